"""Edit risk: run `python bench/risk_bench.py` from the repository root.

Two measures, on the seeded generated history (peerwork/risk/synthetic.py):
- scoring: the features of one edit and the model's score with its top-3 explanation, per
  revision, median microseconds over 5,000 revisions (the default model);
- training: fitting the gradient-boosting model on 20,000 revisions' features.
"""

from __future__ import annotations

import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerwork.settings")


def main() -> None:
    import django

    django.setup()
    from peerwork.risk import features, scoring, synthetic

    scorer = scoring.default_scorer()
    edits = synthetic.history(5000, seed=99)
    timings = []
    for edit, _label in edits:
        start = time.perf_counter()
        scorer.explain(features.vector(edit))
        timings.append((time.perf_counter() - start) * 1e6)
    print(f"scoring: median {statistics.median(timings):.0f} µs per revision over {len(edits)}")
    data = synthetic.history(20000, seed=7)
    rows = [features.vector(edit) for edit, _ in data]
    labels = [label for _, label in data]
    start = time.perf_counter()
    scoring.fit(rows, labels)
    print(f"training: {time.perf_counter() - start:.2f} s on {len(rows)} revisions")


if __name__ == "__main__":
    main()
