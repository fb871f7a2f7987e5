"""Timing of ranked tabulation: run `python bench/tally.py [--ballots N] [--options K]`.

It casts N random ranked ballots (100,000 by default) over K options (20), seeded so every run
counts the same ballots: each voter ranks between 1 and K options, ordered by a noisy liking of
popular options (so counts differ, as in real elections, and nearly every ballot is a ranking
of its own, the hard case for grouping identical ballots). It then times `tabulate` with
instant runoff and with STV for 3 seats, and prints the median of --repeat runs (5) with the
number of distinct rankings and rounds. The engine needs no Django, so neither does this. It
is a command, not a test: it prints numbers and asserts nothing. The target is a few seconds.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from peerwork.governance.tally import Ballot, tabulate  # noqa: E402


def cast(count: int, options: list[str], seed: int) -> list[Ballot]:
    chance = random.Random(seed)
    liking = {option: chance.random() * 3 for option in options}
    ballots = []
    for _ in range(count):
        order = sorted(options, key=lambda option: -(liking[option] + chance.gauss(0, 1)))
        depth = chance.randint(1, len(options))
        ballots.append(Ballot(tuple((option,) for option in order[:depth])))
    return ballots


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ballots", type=int, default=100_000)
    parser.add_argument("--options", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    options = [f"option-{number:02d}" for number in range(args.options)]
    started = time.perf_counter()
    ballots = cast(args.ballots, options, seed=2026)
    distinct = len({ballot.ranking for ballot in ballots})
    print(
        f"{args.ballots} ballots over {args.options} options, {distinct} distinct rankings "
        f"(cast in {time.perf_counter() - started:.1f} s)"
    )
    for method, seats in (("irv", 1), ("stv", 3)):
        times = []
        report = None
        for _ in range(args.repeat):
            start = time.perf_counter()
            report = tabulate(method, options, ballots, seats=seats)
            times.append(time.perf_counter() - start)
        assert report is not None
        label = f"{method} ({seats} seat{'s' if seats > 1 else ''})"
        print(
            f"{label}: median {statistics.median(times):.2f} s "
            f"of {args.repeat} runs (min {min(times):.2f}, max {max(times):.2f}); "
            f"{len(report.rounds)} rounds, winners {', '.join(report.winners)}"
        )


if __name__ == "__main__":
    main()
