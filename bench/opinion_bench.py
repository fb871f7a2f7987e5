"""Opinion maps: the time to compute a map of 1,000 participants x 200 statements.

    PYTHONPATH=. python bench/opinion_bench.py

Prints the median of 3 runs of peerwork.governance.opinion.compute on a synthetic matrix of
three planted camps with 20 % unseen votes (no database: the computation alone, as the job
runs it after loading the votes). The lead folds `opinion_map_seconds` into bench/assist.py.
"""

from __future__ import annotations

import statistics
import time

import numpy as np

from peerwork.governance.opinion import Votes, compute


def matrix(participants: int = 1000, statements: int = 200, camps: int = 3, seed: int = 1) -> Votes:
    rng = np.random.default_rng(seed)
    camp = rng.integers(0, camps, size=participants)
    owner = rng.integers(-1, camps, size=statements)  # -1: a statement everyone shares
    seen = rng.random((participants, statements)) >= 0.2
    agree = (owner[np.newaxis, :] == -1) | (owner[np.newaxis, :] == camp[:, np.newaxis])
    values = np.where(agree, 1, -1)
    flip = rng.random((participants, statements)) < 0.08
    values = np.where(flip, -values, values)
    rows, columns = np.nonzero(seen)
    cells = [(int(r), int(c), int(values[r, c])) for r, c in zip(rows, columns, strict=True)]
    return Votes(list(range(participants)), list(range(statements)), cells)


def opinion_map_seconds(runs: int = 3) -> float:
    votes = matrix()
    compute(votes, seed=0)  # a first run imports scikit-learn; it is not timed
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        compute(votes, seed=0)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    votes = matrix()
    document = compute(votes, seed=0)
    seconds = opinion_map_seconds()
    print(
        f"opinion map, 1,000 participants x 200 statements ({len(votes.cells)} votes, "
        f"{document['k']} groups): {seconds:.3f} s (median of 3)"
    )


if __name__ == "__main__":
    main()
