"""Timing of scored-challenge uploads: run `python bench/scoring.py [--rows N]`.

For each kind of metric it builds a truth file and a predictions file of N rows (1,000,000 by
default; seeded, so every run reads the same bytes), then times reading the truth, reading the
predictions, splitting the ids and scoring the public and the private part, and prints the
sizes, the best time of each step over --repeat runs (3; the least disturbed by other work on
the machine) and the peak memory of the process. The target is a few seconds for a
1,000,000-row upload (parse plus score).
"""

from __future__ import annotations

import argparse
import math
import os
import random
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerwork.settings")

import django  # noqa: E402

django.setup()

from peerwork.challenges import scoring  # noqa: E402

SEED = 20261130


def build(metric: str, rows: int, rng: random.Random) -> tuple[bytes, bytes]:
    """Truth and predictions (columns swapped, rows shuffled, as a solver might send them)."""
    kind = scoring.METRICS[metric].kind
    ids = [f"row-{i:07d}" for i in range(rows)]
    if kind == "label":
        classes = ["cat", "dog", "bird", "fish"]
        truth = [rng.choice(classes) for _ in ids]
        guesses = [t if rng.random() < 0.7 else rng.choice(classes) for t in truth]
    elif kind == "number":
        truth = [f"{rng.gauss(100, 15):.4f}" for _ in ids]
        guesses = [f"{float(t) + rng.gauss(0, 5):.4f}" for t in truth]
    else:
        truth = [str(rng.randint(0, 1)) for _ in ids]
        guesses = [f"{min(max(rng.gauss(0.7 if t == '1' else 0.3, 0.2), 0), 1):.6f}" for t in truth]
    truth_text = "id,target\n" + "".join(f"{i},{t}\n" for i, t in zip(ids, truth, strict=True))
    order = list(range(rows))
    rng.shuffle(order)
    guess_text = "target,id\n" + "".join(f"{guesses[k]},{ids[k]}\n" for k in order)
    return truth_text.encode(), guess_text.encode()


def timed(step: Callable[[], Any]) -> tuple[Any, float, float]:
    """The step's result, its wall time and its CPU time (which a busy machine inflates less)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = step()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def run(metric: str, rows: int, repeat: int, rng: random.Random) -> str:
    """One line of the table: sizes, the best time of each step over `repeat` runs, both scores."""
    truth_data, predictions_data = build(metric, rows, rng)
    best: dict[str, tuple[float, float]] = {}

    def keep(name: str, wall: float, cpu: float) -> None:
        old = best.get(name, (math.inf, math.inf))
        best[name] = (min(old[0], wall), min(old[1], cpu))

    for _ in range(repeat):
        truth, *times = timed(lambda: scoring.parse_truth(truth_data, metric=metric))
        keep("truth", *times)
        predictions, *times = timed(
            lambda: scoring.parse_predictions(predictions_data, truth, metric=metric)  # noqa: B023
        )
        keep("predictions", *times)
        (public, private), *times = timed(
            lambda: scoring.split_ids(truth.values, seed="bench-seed")  # noqa: B023
        )
        keep("split", *times)
        scores, *times = timed(
            lambda: [
                scoring.score(metric, truth, predictions, part)  # noqa: B023
                for part in (public, private)  # noqa: B023
            ]
        )
        keep("score", *times)
    # What a solver waits for: read the predictions and score both parts (the truth is read
    # and split once per challenge, though a caller may also redo it per upload).
    upload = [best["predictions"][i] + best["score"][i] for i in (0, 1)]
    steps = " ".join(
        f"{best[name][0]:>8.2f}" for name in ("truth", "predictions", "split", "score")
    )
    return (
        f"{metric:<9} {len(truth_data) / 1e6:>8.1f} {len(predictions_data) / 1e6:>8.1f} {steps} "
        f"{upload[0]:>9.2f} {upload[1]:>8.2f}  {scores[0]:.6f} / {scores[1]:.6f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--metrics", nargs="*", default=sorted(scoring.METRICS))
    parser.add_argument("--repeat", type=int, default=3, help="best of this many runs")
    args = parser.parse_args()
    rng = random.Random(SEED)

    print(
        f"{args.rows:,} rows per file, best of {args.repeat} runs, seconds, "
        f"Python {sys.version.split()[0]}, load average {os.getloadavg()[0]:.1f}"
    )
    header = (
        f"{'metric':<9} {'truth MB':>8} {'preds MB':>8} {'truth s':>8} {'preds s':>8} "
        f"{'split s':>8} {'score s':>8} {'upload s':>9} {'(cpu s)':>8}  public / private score"
    )
    print(header)
    print("-" * len(header))
    for metric in args.metrics:
        print(run(metric, args.rows, args.repeat, rng), flush=True)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of the process: {peak_mb:,.0f} MB")


if __name__ == "__main__":
    main()
