"""Dot voting: spread a fixed number of dots over the options; most dots wins."""

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


class Dots(Method):
    """Rule: the option with the most dots (times weight) wins; ties by option order.

    Ballot: ``{"dots": {option_id: n}}`` with whole n >= 0 and a sum of at most the setting
    ``dots`` (default 10); unspent dots are allowed. An option with no dots cannot win.
    """

    name = "dot"
    label = "Dot voting (spread your dots)"
    kind = "multi"

    def _clean_settings(self, raw: dict[str, Any], options: Sequence[Option]) -> dict:
        return {"dots": int_setting(raw, "dots", 10, minimum=1)}

    def clean_ballot(
        self, raw: Mapping[str, Any], options: Sequence[Option], settings: Mapping[str, Any]
    ) -> dict:
        ballot = check_ballot_keys(raw, ("dots",), required=("dots",))
        dots = check_id_map(ballot["dots"], option_ids(options), "dots")
        for option_id, value in dots.items():
            if not is_int(value) or value < 0:
                raise InvalidBallot(
                    "The dots on %(option)r must be a whole number >= 0; got %(value)r.",
                    option=option_id,
                    value=value,
                )
        spent = sum(dots.values())
        if spent > settings["dots"]:
            raise InvalidBallot(
                "This ballot places %(spent)s dots but each voter has %(dots)s; remove %(over)s.",
                spent=spent,
                dots=settings["dots"],
                over=spent - settings["dots"],
            )
        return {"dots": {i: n for i, n in dots.items() if n}}

    def tally(
        self, options: Sequence[Option], ballots: Ballots, settings: Mapping[str, Any]
    ) -> dict:
        result = common_result(ballots, "dot: most dots, ties by option order")
        counts = {option.id: 0 for option in options}
        for ballot, weight in ballots:
            for option_id, n in ballot["dots"].items():
                counts[option_id] += n * weight
        ranking = best_first(options, counts)
        winners = [i for i in ranking[:1] if counts[i] > 0]
        result.update(winners=winners, passed=bool(winners), counts=counts, ranking=ranking)
        return result
