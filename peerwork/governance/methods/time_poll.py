"""Finding a time: each slot gets yes, maybe or no."""

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
    option_ids,
)

ANSWERS = ("yes", "maybe", "no")


class TimePoll(Method):
    """Rule: the slot with the most "yes" weight; ties by yes+maybe, then option order.

    Ballot: ``{"slots": {option_id: "yes" | "maybe" | "no"}}``; a slot left out is
    unanswered. A slot with neither yes nor maybe cannot be chosen.
    """

    name = "time_poll"
    label = "Time poll (find a time)"
    kind = "multi"

    def clean_ballot(
        self, raw: Mapping[str, Any], options: Sequence[Option], settings: Mapping[str, Any]
    ) -> dict:
        ballot = check_ballot_keys(raw, ("slots",), required=("slots",))
        slots = check_id_map(ballot["slots"], option_ids(options), "slots")
        for option_id, value in slots.items():
            if value not in ANSWERS:
                raise InvalidBallot(
                    "The answer for slot %(option)r must be yes, maybe or no; got %(value)r.",
                    option=option_id,
                    value=value,
                )
        return {"slots": slots}

    def tally(
        self, options: Sequence[Option], ballots: Ballots, settings: Mapping[str, Any]
    ) -> dict:
        result = common_result(
            ballots, "time_poll: most yes, then most yes+maybe, then option order"
        )
        counts = {option.id: dict.fromkeys(ANSWERS, 0) for option in options}
        for ballot, weight in ballots:
            for option_id, answer in ballot["slots"].items():
                counts[option_id][answer] += weight
        key = {i: (c["yes"], c["yes"] + c["maybe"]) for i, c in counts.items()}
        ranking = best_first(options, key)
        winners = [i for i in ranking[:1] if key[i][1] > 0]
        result.update(winners=winners, passed=bool(winners), counts=counts, ranking=ranking)
        return result
