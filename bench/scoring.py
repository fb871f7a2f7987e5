"""Timing of scored-challenge uploads: run `python bench/scoring.py [--rows N]`.

For each kind of metric it builds a truth file and a predictions file of N rows (1,000,000 by
default; seeded, so every run reads the same bytes), then times reading the truth, reading the
predictions, splitting the ids and scoring the public and the private part, and prints the
sizes, the times and the peak memory of the process. The target is a few seconds for a
1,000,000-row upload (parse plus score).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import time
from pathlib import Path

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


def run(metric: str, rows: int, rng: random.Random) -> str:
    """One line of the table: sizes, the time of each step, and both scores."""
    truth_data, predictions_data = build(metric, rows, rng)
    clock = time.perf_counter
    start = clock()
    truth = scoring.parse_truth(truth_data, metric=metric)
    truth_s, start = clock() - start, clock()
    cpu = time.process_time()
    predictions = scoring.parse_predictions(predictions_data, truth, metric=metric)
    predictions_s, start = clock() - start, clock()
    cpu = time.process_time() - cpu
    public, private = scoring.split_ids(truth.values, seed="bench-seed")
    split_s, start = clock() - start, clock()
    cpu_start = time.process_time()
    scores = [scoring.score(metric, truth, predictions, part) for part in (public, private)]
    score_s = clock() - start
    cpu += time.process_time() - cpu_start
    # What a solver waits for: read the predictions and score both parts (the truth is read
    # and split once per challenge, though a caller may also redo it per upload). The CPU time
    # of the same steps shows what a busy machine hides.
    upload_s = predictions_s + score_s
    return (
        f"{metric:<9} {len(truth_data) / 1e6:>8.1f} {len(predictions_data) / 1e6:>8.1f} "
        f"{truth_s:>8.2f} {predictions_s:>8.2f} {split_s:>8.2f} {score_s:>8.2f} "
        f"{upload_s:>9.2f} {cpu:>8.2f}  {scores[0]:.6f} / {scores[1]:.6f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--metrics", nargs="*", default=["accuracy", "f1", "rmse", "log_loss"])
    args = parser.parse_args()
    rng = random.Random(SEED)

    print(f"{args.rows:,} rows per file, Python {sys.version.split()[0]}")
    header = (
        f"{'metric':<9} {'truth MB':>8} {'preds MB':>8} {'truth s':>8} {'preds s':>8} "
        f"{'split s':>8} {'score s':>8} {'upload s':>9} {'(cpu s)':>8}  public / private score"
    )
    print(header)
    print("-" * len(header))
    for metric in args.metrics:
        print(run(metric, args.rows, rng), flush=True)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of the process: {peak_mb:,.0f} MB")


if __name__ == "__main__":
    main()
