"""Timing of the wiki's text operations on a 1 MB page: run `python bench/textops.py`.

With ``--baseline`` it also times one run of plain
``difflib.SequenceMatcher(autojunk=False)`` over the page's lines, for comparison.

The page is ~20,000 lines of seeded random prose with headings and blank lines between
paragraphs (so repeated lines exist, as in real pages); 50 scattered edits stand in for a
busy day of saves. The target is a diff of the whole page well under ~300 ms.
"""

from __future__ import annotations

import difflib
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from peerwork.wiki.textops import diff_lines, diff_stats, merge_three, undo  # noqa: E402

SEED = 20240601
RUNS = 5
EDITS = 50


def _vocabulary(rng: random.Random, size: int = 3000) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return ["".join(rng.choices(letters, k=rng.randint(2, 10))) for _ in range(size)]


def _line(rng: random.Random, words: list[str]) -> str:
    sentence = " ".join(rng.choices(words, k=rng.randint(4, 12)))
    return sentence.capitalize() + rng.choice([".", ",", ";", ". See [[Link]].", "!"])


def build_page(rng: random.Random, target_bytes: int = 1_000_000) -> list[str]:
    """Paragraphs of a few lines, headings, list items and blank lines, about 1 MB."""
    words = _vocabulary(rng)
    lines: list[str] = []
    size = 0
    while size < target_bytes:
        kind = rng.random()
        if kind < 0.05:
            block = ["", f"== {_line(rng, words)[:30]} ==", ""]
        elif kind < 0.15:
            block = [f"* {_line(rng, words)}" for _ in range(rng.randint(2, 5))] + [""]
        else:
            block = [_line(rng, words) for _ in range(rng.randint(1, 6))] + [""]
        lines.extend(block)
        size += sum(len(line) + 1 for line in block)
    return lines


def edit(rng: random.Random, lines: list[str], positions: list[int]) -> list[str]:
    """Change a word, insert a line or delete a line at each position (highest first)."""
    words = _vocabulary(rng, 200)
    out = list(lines)
    for pos in sorted(positions, reverse=True):
        choice = rng.random()
        if choice < 0.6:
            parts = out[pos].split(" ")
            parts[rng.randrange(len(parts))] = rng.choice(words)
            out[pos] = " ".join(parts) + " (edited)"
        elif choice < 0.8:
            out.insert(pos, _line(rng, words))
        else:
            del out[pos]
    return out


def median_ms(func: Callable[[], object]) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    rng = random.Random(SEED)
    base_lines = build_page(rng)
    base = "\n".join(base_lines) + "\n"
    n = len(base_lines)

    # 100 well-separated positions: even ones edited by "current", odd ones by "theirs".
    spots = sorted(rng.sample(range(10, n - 10, 10), 2 * EDITS))
    scattered = edit(rng, base_lines, spots[:EDITS])
    current = edit(rng, base_lines, spots[0::2])
    theirs = edit(rng, base_lines, spots[1::2])
    new = "\n".join(scattered) + "\n"
    cur_text = "\n".join(current) + "\n"
    their_text = "\n".join(theirs) + "\n"

    print(f"page: {len(base.encode()):,} bytes, {n:,} lines; {EDITS} scattered edits")
    hunks = diff_lines(base, new)
    print(f"  diff: {len(hunks)} hunks, stats {diff_stats(base, new)} (added, removed)")
    merged = merge_three(base, cur_text, their_text)
    print(f"  merge: conflicted={merged.conflicted}")
    print(f"median of {RUNS} runs:")
    print(f"  diff_lines   {median_ms(lambda: diff_lines(base, new)):8.1f} ms")
    print(f"  diff_stats   {median_ms(lambda: diff_stats(base, new)):8.1f} ms")
    print(f"  merge_three  {median_ms(lambda: merge_three(base, cur_text, their_text)):8.1f} ms")
    print(f"  undo         {median_ms(lambda: undo(base=base, undone=new, current=new)):8.1f} ms")

    # A bad case for difflib: the second half of the page rewritten wholesale.
    half = n // 2
    rewritten = "\n".join(base_lines[:half] + build_page(random.Random(SEED + 1), 500_000))
    print(f"  diff, 2nd half rewritten {median_ms(lambda: diff_lines(base, rewritten)):8.1f} ms")

    if "--baseline" in sys.argv:
        start = time.perf_counter()
        difflib.SequenceMatcher(None, base_lines, scattered, autojunk=False).get_opcodes()
        took = (time.perf_counter() - start) * 1000
        print(f"baseline, one run of plain SequenceMatcher over the lines: {took:8.1f} ms")


if __name__ == "__main__":
    main()
