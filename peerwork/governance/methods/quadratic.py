"""Quadratic voting: n votes on an option cost n*n credits; votes may be for or against."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .base import (
    Ballots,
    InvalidBallot,
    Method,
    Option,
    best_first,
    check_ballot_keys,
    check_id_map,
    common_result,
    int_setting,
    is_int,
    option_ids,
)


class Quadratic(Method):
    """Rule: the option with the most net votes (for minus against) wins, if that is above 0.

    Ballot: ``{"votes": {option_id: n}}``, whole n, negative for votes against; the cost
    sum(n*n) must be at most the setting ``credits`` (default 100). Ties by option order.
    """

    name = "quadratic"
    label = "Quadratic voting (credits, for or against)"
    kind = "multi"

    def _clean_settings(self, raw: dict[str, Any], options: Sequence[Option]) -> dict:
        return {"credits": int_setting(raw, "credits", 100, minimum=1)}

    def clean_ballot(
        self, raw: Mapping[str, Any], options: Sequence[Option], settings: Mapping[str, Any]
    ) -> dict:
        ballot = check_ballot_keys(raw, ("votes",), required=("votes",))
        votes = check_id_map(ballot["votes"], option_ids(options), "votes")
        for option_id, value in votes.items():
            if not is_int(value):
                raise InvalidBallot(
                    "The votes on %(option)r must be a whole number; got %(value)r.",
                    option=option_id,
                    value=value,
                )
        cost = sum(v * v for v in votes.values())
        if cost > settings["credits"]:
            raise InvalidBallot(
                "These votes cost %(cost)s credits (each option costs votes squared) but each "
                "voter has %(credits)s; lower some votes.",
                cost=cost,
                credits=settings["credits"],
            )
        return {"votes": {i: v for i, v in votes.items() if v}}

    def tally(
        self, options: Sequence[Option], ballots: Ballots, settings: Mapping[str, Any]
    ) -> dict:
        result = common_result(ballots, "quadratic: most net votes (above 0), ties by option order")
        counts = {option.id: {"for": 0, "against": 0, "net": 0} for option in options}
        for ballot, weight in ballots:
            for option_id, v in ballot["votes"].items():
                entry = counts[option_id]
                entry["for" if v > 0 else "against"] += abs(v) * weight
                entry["net"] += v * weight
        ranking = best_first(options, {i: c["net"] for i, c in counts.items()})
        winners = [i for i in ranking[:1] if counts[i]["net"] > 0]
        result.update(winners=winners, passed=bool(winners), counts=counts, ranking=ranking)
        return result
