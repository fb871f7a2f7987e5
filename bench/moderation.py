"""Moderation's costs: run `python bench/moderation.py`.

- `filters`: one screened contribution's pattern check (every pattern of a space's filters in
  one isolated child process), for 1, 10 and 50 patterns on a 2,000-character comment;
- `evil`: a pattern that backtracks for seconds on its text, stopped at the time limit;
- `classifier`: training naive Bayes on N moderator decisions, and scoring one comment.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerwork.settings")
os.environ.setdefault("PEERWORK_DATA_DIR", "/tmp/peerwork-bench-moderation")

import django  # noqa: E402

django.setup()

from peerwork.moderation import classifier, patterns  # noqa: E402


def _timed(run, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    rng = random.Random(1)
    words = "the map river casino bonus free cheap pills link source edit page".split()
    text = " ".join(rng.choice(words) for _ in range(330))[:2000]
    for count in (1, 10, 50):
        jobs = [(rf"\b{rng.choice(words)}\s+{rng.choice(words)}\b", text) for _ in range(count)]
        seconds = _timed(lambda jobs=jobs: patterns.search_many(jobs))
        print(f"filters: {count:3d} patterns, one contribution: {seconds * 1000:7.1f} ms")
    start = time.perf_counter()
    answer = patterns.search_many([("buy.*cheap.*pills", "buy cheap " * 1500)])
    print(
        f"evil: buy.*cheap.*pills on 15,000 characters stopped after "
        f"{time.perf_counter() - start:.2f} s (limit {patterns.timeout()} s), answer {answer}"
    )
    spam = "casino bonus crypto gratis oferta ganar dinero click viagra".split()
    ham = "map river mapa río source fuente edit página thanks idea".split()
    for decisions in (40, 1000, 10000):
        samples = [
            (" ".join(rng.choice(spam if i % 2 else ham) for _ in range(30)), i % 2)
            for i in range(decisions)
        ]
        start = time.perf_counter()
        weights = classifier._fit(samples)
        fit = time.perf_counter() - start
        assert weights is not None
        seconds = _timed(lambda weights=weights: classifier.score(weights, text), repeat=50)
        print(
            f"classifier: trained on {decisions:5d} decisions in {fit * 1000:7.1f} ms; "
            f"scoring a comment {seconds * 1e6:7.0f} µs"
        )


if __name__ == "__main__":
    main()
