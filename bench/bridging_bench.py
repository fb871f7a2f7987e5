"""Time to factorize 10,000 raters x 2,000 items with 200,000 ratings (median of 3).

    python bench/bridging_bench.py

Ratings are synthetic: two camps of raters, items that one camp or both find helpful, each
rating a noisy 0/1 drawn from the rater's camp and the item's kind. Prints the median wall
time, the iterations used, and whether the bridged items scored above the one-camp items.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from peerwork.bridging.factorize import factorize  # noqa: E402

RATERS, ITEMS, RATINGS = 10_000, 2_000, 200_000


def ratings(seed: int = 0) -> list[tuple[int, int, float]]:
    rng = np.random.default_rng(seed)
    camp = rng.integers(0, 2, RATERS)  # 0 or 1
    # item kinds: 0 liked by camp 0, 1 liked by camp 1, 2 liked by both (bridging)
    kind = rng.choice(3, ITEMS, p=[0.45, 0.45, 0.10])
    pairs = set()
    rows = []
    while len(rows) < RATINGS:
        r = rng.integers(0, RATERS, RATINGS)
        i = rng.integers(0, ITEMS, RATINGS)
        for rater, item in zip(r.tolist(), i.tolist(), strict=True):
            if (rater, item) in pairs:
                continue
            pairs.add((rater, item))
            liked = kind[item] == 2 or kind[item] == camp[rater]
            p = 0.85 if liked else 0.15
            rows.append((rater, item, float(rng.random() < p)))
            if len(rows) == RATINGS:
                break
    return rows, kind


def main() -> None:
    rows, kind = ratings()
    times = []
    result = None
    for _ in range(3):
        start = time.perf_counter()
        result = factorize(rows, seed=17)
        times.append(time.perf_counter() - start)
    assert result is not None
    intercepts = np.array([result.item_intercepts.get(i, np.nan) for i in range(ITEMS)])
    bridged = np.nanmean(intercepts[kind == 2])
    one_camp = np.nanmean(intercepts[kind != 2])
    print(f"factorize {RATERS} raters x {ITEMS} items, {len(rows)} ratings")
    print(
        f"  median of 3: {statistics.median(times):.3f} s  (runs: "
        + ", ".join(f"{t:.3f}" for t in times)
        + ")"
    )
    print(f"  iterations: {result.iterations}")
    print(f"  mean intercept, bridging items: {bridged:.3f}; one-camp items: {one_camp:.3f}")


if __name__ == "__main__":
    main()
