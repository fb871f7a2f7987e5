"""Ranked tabulation: instant runoff, STV, Schulze and ranked pairs, under documented rules.

Pure Python with no Django, so the same count runs in the server, in `peerwork tally`, and on
anyone's machine checking a published result. The rules are in `rules.py` and
docs/governance-tally.md; `tabulate` returns a `Report` whose `to_dict()` is the published
round-by-round record.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from .ballots import Ballot, check_ranking, group_ballots
from .condorcet import ranked_pairs, schulze
from .errors import InvalidBallot, TallyError
from .report import Report, Round
from .rules import RankedRules
from .runoff import runoff

METHODS = ("irv", "stv", "schulze", "ranked-pairs")

__all__ = [
    "METHODS",
    "Ballot",
    "InvalidBallot",
    "RankedRules",
    "Report",
    "Round",
    "TallyError",
    "check_ranking",
    "tabulate",
]


def tabulate(
    method: str,
    options: Sequence[str],
    ballots: Iterable[Ballot],
    seats: int = 1,
    rules: RankedRules | None = None,
) -> Report:
    """Count the ballots by `method`; raise TallyError (or InvalidBallot) on input it refuses."""
    if method not in METHODS:
        raise TallyError(
            "unknown method '%(method)s'; use one of %(known)s",
            method=method,
            known=", ".join(METHODS),
        )
    options = list(options)
    if not options or not all(isinstance(option, str) and option for option in options):
        raise TallyError("options must be a non-empty list of non-empty option ids")
    if len(set(options)) != len(options):
        duplicate = next(option for option in options if options.count(option) > 1)
        raise TallyError(
            "option '%(option)s' is listed twice; list each option once", option=duplicate
        )
    if isinstance(seats, bool) or not isinstance(seats, int) or seats < 1:
        raise TallyError("seats must be a whole number 1 or more, not %(seats)r", seats=seats)
    if seats > len(options):
        raise TallyError(
            "%(seats)s seats but only %(count)s options; lower seats",
            seats=seats,
            count=len(options),
        )
    if method == "irv" and seats != 1:
        raise TallyError("instant runoff fills one seat; use stv for more")
    rules = rules or RankedRules()
    groups, count = group_ballots(ballots, options, rules)
    weight = sum(groups.values(), Decimal(0))
    report = Report(
        method=method,
        seats=seats,
        rules=rules,
        options=options,
        ballots=count,
        weight=weight,
        winners=[],
    )
    if method in ("irv", "stv"):
        report.winners, report.rounds = runoff(method, options, groups, seats, rules)
    elif method == "schulze":
        report.winners, report.pairwise, report.strongest_paths, report.tie_breaks = schulze(
            options, groups, seats, rules
        )
    else:
        report.winners, report.pairwise, report.locked_pairs, report.tie_breaks = ranked_pairs(
            options, groups, seats, rules
        )
    return report
