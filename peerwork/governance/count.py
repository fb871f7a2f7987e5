"""The one way a proposal's result is counted, at the close and by `peerwork tally --from-dump`.

Pure: it takes the proposal's method, settings and options, the ballots with the weights
delegation gave them, and the number of eligible voters, and returns the result document that
the close stores and the dump publishes. Counting the dump's rows again gives the same
document, key for key.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from .methods import METHOD_NAMES, InvalidSettings, Option, get_method
from .ranked import RANKED

ALL_METHODS: tuple[str, ...] = (*METHOD_NAMES, *RANKED)


def method(name: str) -> Any:
    """The decision method called `name` (InvalidSettings naming the known ones)."""
    if name in RANKED:
        return RANKED[name]
    try:
        return get_method(name)
    except InvalidSettings:
        raise InvalidSettings(
            "Unknown decision method '%(name)s'; choose one of: %(known)s.",
            name=name,
            known=", ".join(ALL_METHODS),
        ) from None


def options_of(rows: Sequence[dict[str, Any]]) -> list[Option]:
    return [Option(id=row["key"], label=row["label"], cost=row.get("cost")) for row in rows]


def quorum_met(*, counted: int, eligible: int, quorum_percent: int) -> bool:
    """Met when the people counted are at least the quorum share of the eligible."""
    return counted * 100 >= quorum_percent * eligible


def count(
    *,
    method_name: str,
    settings: dict[str, Any],
    options: Sequence[dict[str, Any]],
    ballots: Sequence[tuple[dict[str, Any], int]],
    eligible: int,
    quorum_percent: int,
) -> dict[str, Any]:
    """The result document: the method's tally, and whether the proposal passed.

    A proposal passes when the quorum is met and the method reports it passed (consent with no
    objection standing, a majority reached, a winner found)."""
    tally = method(method_name).tally(options_of(options), list(ballots), settings)
    counted = sum(weight for _, weight in ballots)
    met = quorum_met(counted=counted, eligible=eligible, quorum_percent=quorum_percent)
    document = {
        "method": method_name,
        "eligible": eligible,
        "counted": counted,
        "ballots": len(ballots),
        "quorum_percent": quorum_percent,
        "quorum_met": met,
        "passed": bool(met and tally.get("passed")),
        "winners": list(tally.get("winners") or []) if met else [],
        "tally": tally,
    }
    # what the database and the dump give back: lists, not tuples; string keys
    normal: dict[str, Any] = json.loads(json.dumps(document))
    return normal
