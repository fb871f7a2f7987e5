"""Benchmark for wikitext expansion and rendering: median times of generated pages.

Run: PEERWORK_DATA_DIR=/tmp/bench .venv/bin/python bench/wikitext_templates.py
Prints the time to expand and render a ~100 KB page calling templates 500 times, and the time
the expansion limits take to stop a template that calls the next level ten times, eight deep.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerwork.settings")

import django  # noqa: E402

django.setup()

from peerwork.wiki.preprocess import PageFacts, expand  # noqa: E402
from peerwork.wiki.wikitext import render_wikitext_page  # noqa: E402

RUNS = 5
TEMPLATES = {
    (
        10,
        "Infobox",
    ): '{| class="wikitable"\n! {{{title|Untitled}}}\n|-\n| {{{1}}} || {{Small|{{{2|none}}}}}\n|}',
    (10, "Small"): "<small>{{uc:{{{1}}}}}</small>",
}
SECTION = (
    "== Section {n} ==\n"
    "Some ''emphasis'' and '''strong''' words about [[Topic {n}]] on {{{{PAGENAME}}}}.\n"
    "{{{{Infobox|title=Item {n}|first {n}|second}}}} {{{{#if:{n}|yes|no}}}}\n\n"
    "* a list item with [[Page {n}|a link]]\n* another, {{{{plural:{n}|one|many}}}}\n\n"
)


def _median(function: object, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    text = "".join(SECTION.format(n=n) for n in range(250))
    facts = PageFacts(title="Bench page")

    def fetch(namespace: int, title: str) -> str | None:
        return TEMPLATES.get((namespace, title))

    page_ms = _median(lambda: render_wikitext_page(text, fetch=fetch, facts=facts))
    print(f"page {len(text.encode()) // 1024} KB, 500 template calls: {page_ms:.1f} ms median")

    bomb = {(10, f"L{level}"): f"{{{{L{level + 1}}}}}" * 10 for level in range(8)}
    bomb[(10, "L8")] = "x" * 1000
    bomb_ms = _median(
        lambda: expand("{{L0}}", facts=facts, fetch=lambda ns, title: bomb.get((ns, title)))
    )
    print(f"10**8-call template stopped by the limits: {bomb_ms:.1f} ms median")


if __name__ == "__main__":
    main()
