"""Consent: a motion passes unless someone objects, and an objection must say why."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .base import (
    Ballots,
    InvalidBallot,
    InvalidSettings,
    Method,
    Option,
    check_ballot_keys,
    common_result,
)

POSITIONS = ("consent", "stand_aside", "object")
MAX_REASON = 5000


class Consent(Method):
    """Rule: the motion passes unless at least one ballot (of any weight) objects.

    Ballot: ``{"position": "consent" | "stand_aside" | "object", "reason": str}``. A stand
    aside is recorded and does not block; an objection needs a non-blank reason, so a block
    always comes with something the group can answer. There is no quorum here (no ballots:
    the motion passes); the app decides who must be asked. Options: none, or one (the
    motion), which is then the winner when it passes.
    """

    name = "consent"
    label = "Consent (passes unless someone objects)"
    kind = "consent"
    min_options = 0

    def _clean_settings(self, raw: dict[str, Any], options: Sequence[Option]) -> dict:
        if len(options) > 1:
            raise InvalidSettings(
                "consent decides one motion; give at most one option, not %(count)s.",
                count=len(options),
            )
        return {}

    def clean_ballot(
        self, raw: Mapping[str, Any], options: Sequence[Option], settings: Mapping[str, Any]
    ) -> dict:
        ballot = check_ballot_keys(raw, ("position", "reason"), required=("position",))
        position = ballot["position"]
        if position not in POSITIONS:
            raise InvalidBallot(
                "position must be one of %(positions)s; got %(value)r.",
                positions=", ".join(POSITIONS),
                value=position,
            )
        reason = ballot.get("reason", "")
        if reason is None:
            reason = ""
        if not isinstance(reason, str):
            raise InvalidBallot("reason must be text, not %(type)s.", type=type(reason).__name__)
        reason = reason.strip()
        if len(reason) > MAX_REASON:
            raise InvalidBallot(
                "reason is %(length)s characters long; keep it under %(limit)s.",
                length=len(reason),
                limit=MAX_REASON,
            )
        if position == "object" and not reason:
            raise InvalidBallot(
                "An objection needs a reason: say what would have to change for you to consent."
            )
        return {"position": position, "reason": reason}

    def tally(
        self, options: Sequence[Option], ballots: Ballots, settings: Mapping[str, Any]
    ) -> dict:
        result = common_result(ballots, "consent: passes unless at least one objection stands")
        counts = dict.fromkeys(POSITIONS, 0)
        objections: dict[str, int] = {}
        stand_asides: dict[str, int] = {}
        for ballot, weight in ballots:
            counts[ballot["position"]] += weight
            if ballot["position"] == "object":
                objections[ballot["reason"]] = objections.get(ballot["reason"], 0) + weight
            elif ballot["position"] == "stand_aside" and ballot["reason"]:
                stand_asides[ballot["reason"]] = stand_asides.get(ballot["reason"], 0) + weight
        passed = counts["object"] == 0
        result.update(
            passed=passed,
            winners=[options[0].id] if passed and options else [],
            counts=counts,
            # Grouped by reason so that a delegated (weighted) ballot reads as its copies would.
            objections=[{"reason": r, "weight": w} for r, w in sorted(objections.items())],
            stand_asides=[{"reason": r, "weight": w} for r, w in sorted(stand_asides.items())],
        )
        return result
