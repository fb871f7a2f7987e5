"""SQLite with a first-come write queue (docs/decisions/0012-sqlite-write-queue.md).

SQLite lets one writer in at a time; the others wait in its busy handler, which sleeps in
growing steps up to 100 ms between tries. A writer that has slept long keeps losing to
writers that just arrived, so under four concurrent writers a save could wait over a second
while the median waited 40 ms. Here a write transaction first takes a lock that wakes a
waiter as soon as it is free: a thread lock inside the process, then an exclusive `flock` on
a file beside the database, polled every half millisecond, between processes. Only then is
`BEGIN IMMEDIATE` sent, so it finds the database free. A wait longer than the timeout falls
back to SQLite's own busy handler, so nothing can wait on this lock forever.
"""

from __future__ import annotations

import os
import threading
import time
from typing import Any

from django.db.backends.sqlite3 import base

try:
    import fcntl
except ImportError:  # not POSIX: SQLite's busy handler alone
    fcntl = None  # type: ignore[assignment]

#: Wait this long for the queue before leaving it to SQLite's busy timeout.
QUEUE_TIMEOUT = 10.0
POLL = 0.0005


class WriteQueue:
    """One per database file and process: a thread lock, then an flock shared by processes."""

    _registry: dict[tuple[int, str], WriteQueue] = {}
    _registry_lock = threading.Lock()

    def __init__(self, path: str) -> None:
        self.path = path
        self.threads = threading.Lock()
        self.fd: int | None = None

    @classmethod
    def for_database(cls, database: str) -> WriteQueue:
        # Keyed by process id too: a forked worker must not share its parent's open file,
        # since an flock belongs to the open file, and both would then hold it at once.
        key = (os.getpid(), database)
        with cls._registry_lock:
            queue = cls._registry.get(key)
            if queue is None:
                queue = cls._registry[key] = cls(database + "-writer.lock")
            return queue

    def acquire(self, timeout: float | None = None) -> bool:
        timeout = QUEUE_TIMEOUT if timeout is None else timeout
        deadline = time.monotonic() + timeout
        if not self.threads.acquire(timeout=timeout):
            return False
        try:
            if self.fd is None:
                self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            while True:
                try:
                    fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    return True
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        self.threads.release()
                        return False
                    time.sleep(POLL)
        except BaseException:
            if self.threads.locked():
                self.threads.release()
            raise

    def release(self) -> None:
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
        self.threads.release()


class DatabaseWrapper(base.DatabaseWrapper):
    _queue_held: bool = False

    def _queue(self) -> WriteQueue | None:
        name = str(self.settings_dict["NAME"])
        if fcntl is None or self.is_in_memory_db() or self.transaction_mode != "IMMEDIATE":  # type: ignore[attr-defined]
            return None
        return WriteQueue.for_database(os.path.abspath(name))

    def _start_transaction_under_autocommit(self) -> None:
        queue = self._queue()
        if queue is not None and not self._queue_held:
            self._queue_held = queue.acquire()
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]
        except BaseException:
            self._leave_queue()
            raise

    def _leave_queue(self) -> None:
        if self._queue_held:
            self._queue_held = False
            queue = self._queue()
            if queue is not None:
                queue.release()

    def _commit(self) -> Any:
        try:
            return super()._commit()  # type: ignore[misc]
        finally:
            self._leave_queue()

    def _rollback(self) -> Any:
        try:
            return super()._rollback()  # type: ignore[misc]
        finally:
            self._leave_queue()

    def _close(self) -> Any:
        try:
            return super()._close()  # type: ignore[misc]
        finally:
            self._leave_queue()
