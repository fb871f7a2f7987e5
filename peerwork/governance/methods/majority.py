"""Single choice among options, won by a share of the weight that did not abstain."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

from .base import (
    Ballots,
    InvalidBallot,
    InvalidSettings,
    Method,
    Option,
    check_ballot_keys,
    check_option_id,
    common_result,
    fraction_text,
    option_ids,
    parse_fraction,
)


class Majority(Method):
    """Rule: an option wins with more than half of the non-abstaining weight; else none.

    Ballot: ``{"choice": option_id}`` or ``{"abstain": true}``. Abstentions are counted and
    shown but are not in the denominator. With three or more options a plurality is not
    enough: nothing passes, and the group runs another round (or a ranked method).
    """

    name = "majority"
    label = "Majority (more than half)"
    kind = "single"
    #: a choice needs something to choose between: "yes" and "no" at the least
    min_options = 2

    def threshold(self, settings: Mapping[str, Any]) -> Fraction:
        return Fraction(1, 2)

    def wins(self, weight: int, total: int, settings: Mapping[str, Any]) -> bool:
        return total > 0 and Fraction(weight, total) > self.threshold(settings)

    def rule(self, settings: Mapping[str, Any]) -> str:
        return "majority: more than 1/2 of the non-abstaining weight"

    def clean_ballot(
        self, raw: Mapping[str, Any], options: Sequence[Option], settings: Mapping[str, Any]
    ) -> dict:
        ballot = check_ballot_keys(raw, ("choice", "abstain"))
        abstain = ballot.get("abstain", False)
        if not isinstance(abstain, bool):
            raise InvalidBallot("abstain must be true or false, not %(value)r.", value=abstain)
        if abstain:
            if ballot.get("choice") is not None:
                raise InvalidBallot("A ballot either abstains or makes a choice, not both.")
            return {"abstain": True}
        if ballot.get("choice") is None:
            raise InvalidBallot('Give a choice ({"choice": option_id}) or {"abstain": true}.')
        return {"choice": check_option_id(ballot["choice"], option_ids(options))}

    def tally(
        self, options: Sequence[Option], ballots: Ballots, settings: Mapping[str, Any]
    ) -> dict:
        result = common_result(ballots, self.rule(settings))
        counts = {option.id: 0 for option in options}
        abstained = 0
        for ballot, weight in ballots:
            if ballot.get("abstain"):
                abstained += weight
            else:
                counts[ballot["choice"]] += weight
        voting = sum(counts.values())
        # At most one option can pass a threshold of at least one half strictly or at 2/3 etc.
        winners = [i for i, w in counts.items() if self.wins(w, voting, settings)]
        result.update(
            winners=winners,
            passed=bool(winners),
            counts=counts,
            abstained=abstained,
            voting_weight=voting,
            shares={
                i: fraction_text(Fraction(w, voting)) if voting else None for i, w in counts.items()
            },
            threshold=fraction_text(self.threshold(settings)),
        )
        return result


class Supermajority(Majority):
    """Rule: an option wins with at least `fraction` of the non-abstaining weight.

    Setting ``fraction``: text such as "2/3" (the default) or "0.6"; it must be above 1/2 (so
    at most one option can reach it) and at most 1 ("1" is unanimity of those voting).
    """

    name = "supermajority"
    label = "Supermajority (at least a set share)"

    def _clean_settings(self, raw: dict[str, Any], options: Sequence[Option]) -> dict:
        fraction = parse_fraction(raw.get("fraction", "2/3"), "fraction")
        if not Fraction(1, 2) < fraction <= 1:
            raise InvalidSettings(
                "The setting fraction must be above 1/2 and at most 1; got %(fraction)s. "
                "Use majority for a simple majority.",
                fraction=fraction,
            )
        return {"fraction": fraction_text(fraction)}

    def threshold(self, settings: Mapping[str, Any]) -> Fraction:
        return Fraction(settings["fraction"])

    def wins(self, weight: int, total: int, settings: Mapping[str, Any]) -> bool:
        return total > 0 and Fraction(weight, total) >= self.threshold(settings)

    def rule(self, settings: Mapping[str, Any]) -> str:
        return f"supermajority: at least {settings['fraction']} of the non-abstaining weight"
