"""Micro-benchmark for peerwork.core.markup: median render time of generated documents.

Run: .venv/bin/python bench/markup.py
The budget is "a 100 KB page well under 100 ms"; this prints the numbers to check it.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from peerwork.core.markup import extract_links, register_title_rules, render_markdown  # noqa: E402
from peerwork.wiki.titles import MEDIAWIKI_TITLES  # noqa: E402

# Outside Django nothing runs wiki/apps.py: register the wiki's title rules as it would.
register_title_rules(MEDIAWIKI_TITLES)

RUNS = 5

SECTION = """\
## Section {n}: notes on [[Topic {n}]]

Some *emphasis*, **strong words**, `inline code` and ~~struck~~ text, with a
[markdown link](https://example.org/{n}) and [[Page {m}|a labelled wiki link]], plus
[[Page {m}#Details]] and a footnote.[^f{n}] H<sub>2</sub>O and x<sup>2</sup>.<br>
A long sentence to make the paragraph realistic: the quick brown fox jumps over the lazy
dog while the committee discusses [[Governance:Rules]] and [[User:Ada]] edits.

- [ ] open task {n}
- [x] done task with [[Task {m}]]
- plain item

| Name | Value | Link |
|:-----|------:|:----:|
| a{n} | {m} | [[Row {m}\\|row]] |
| b{n} | {n} | `[[not a link]]` |

```python
def f(x):
    return "[[not a link]]" + str(x)
```

> Quoted text with <em>raw html</em> and <span title="t">a span</span>.

[^f{n}]: Footnote {n} with [[Source {m}]].

[[Category:Generated {k}]]
"""


PROSE = """\
{sentence} {sentence} See [[Topic {m}]] for the background, and the discussion in
[[Talk:Topic {m}|the talk page]]. {sentence} {sentence} *{sentence}* {sentence}

"""
SENTENCES = [
    "Commons-based peer production relies on many small, voluntary contributions.",
    "The working group agreed to revisit the question after the next release.",
    "Volunteers documented each step so that newcomers could follow along easily.",
    "A shared glossary keeps the terminology consistent across the whole wiki.",
]


def prose(size: int) -> str:
    """A typical article: mostly paragraphs, a heading now and then, a few links."""
    rng = random.Random(size)  # noqa: S311 - not cryptographic
    parts: list[str] = []
    total = 0
    n = 0
    while total < size:
        if n % 6 == 0:
            parts.append(f"## Part {n}\n\n")
        part = PROSE.format(m=rng.randrange(500), sentence=SENTENCES[n % 4])
        parts.append(part)
        total += len(part)
        n += 1
    return "".join(parts)[:size]


def document(size: int) -> str:
    rng = random.Random(size)  # noqa: S311 - not cryptographic
    parts: list[str] = ["# Generated document\n\n"]
    total = len(parts[0])
    n = 0
    while total < size:
        part = SECTION.format(n=n, m=rng.randrange(500), k=n % 7)
        parts.append(part)
        total += len(part)
        n += 1
    return "".join(parts)[:size]


def timings_ms(function, *args, **kwargs) -> str:  # type: ignore[no-untyped-def]
    """Median (and best) of RUNS calls: the best shows the cost without machine noise."""
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        function(*args, **kwargs)
        times.append((time.perf_counter() - start) * 1000)
    return f"{statistics.median(times):8.1f} ms (best {min(times):7.1f})"


def main() -> None:
    existing = {(0, f"Page {m}") for m in range(0, 500, 2)}
    print(f"median of {RUNS} runs")
    for kind, make in (("dense markup", document), ("article prose", prose)):
        print(kind)
        for label, size in (("10 KB", 10_000), ("100 KB", 100_000), ("1 MB", 1_000_000)):
            text = make(size)
            render = timings_ms(
                render_markdown, text, link_exists=lambda ns, title: (ns, title) in existing
            )
            extract = timings_ms(extract_links, text)
            print(f"{label:>8}: render_markdown {render}   extract_links {extract}")
    print("pathological input")
    for label, text in (
        ("1 MB of '[['", "[[" * 500_000),
        ("1 MB of '[[a|'", "[[a|" * 250_000),
        ("1 MB nested '>'", "> " * 500_000),
    ):
        print(f"{label:>16}: render_markdown {timings_ms(render_markdown, text)}")


if __name__ == "__main__":
    main()
