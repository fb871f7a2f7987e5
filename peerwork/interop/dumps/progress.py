"""A progress line for long imports: revisions, pages and revisions per second, on stderr.

On a terminal the line is redrawn in place a few times a second; otherwise (a log file, a
pipe, a test) a plain line is written every `interval` seconds and once at the end.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    def __init__(
        self,
        stream: TextIO | None = None,
        *,
        total_bytes: int | None = None,
        interval: float | None = None,
    ) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.is_tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.interval = interval if interval is not None else (0.2 if self.is_tty else 10.0)
        self.total_bytes = total_bytes
        self.started = time.monotonic()
        self.last_shown = self.started
        self.revisions = 0
        self.added = 0
        self.pages = 0
        self.bytes_read = 0

    @property
    def rate(self) -> float:
        elapsed = time.monotonic() - self.started
        return self.revisions / elapsed if elapsed > 0 else 0.0

    def line(self) -> str:
        done = ""
        if self.total_bytes:
            done = f"{min(100.0, 100 * self.bytes_read / self.total_bytes):5.1f}% "
        return (
            f"{done}{self.pages} pages, {self.revisions} revisions "
            f"({self.added} new), {self.rate:.0f} revisions/s"
        )

    def update(
        self, *, revisions: int = 0, added: int = 0, pages: int = 0, bytes_read: int | None = None
    ) -> None:
        self.revisions += revisions
        self.added += added
        self.pages += pages
        if bytes_read is not None:
            self.bytes_read = bytes_read
        now = time.monotonic()
        if now - self.last_shown >= self.interval:
            self.last_shown = now
            self._show()

    def _show(self) -> None:
        if self.is_tty:
            self.stream.write("\r\x1b[K" + self.line())
        else:
            self.stream.write(self.line() + "\n")
        self.stream.flush()

    def finish(self) -> None:
        if self.is_tty:
            self.stream.write("\r\x1b[K")
        self.stream.write(self.line() + "\n")
        self.stream.flush()
