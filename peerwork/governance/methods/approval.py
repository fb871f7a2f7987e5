"""Approval voting: approve any number of options; the most approved win."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .base import (
    Ballots,
    InvalidSettings,
    Method,
    Option,
    best_first,
    check_ballot_keys,
    check_id_list,
    common_result,
    int_setting,
    option_ids,
)


class Approval(Method):
    """Rule: the `winners` options (default 1) with the most approval weight win.

    Ballot: ``{"approve": [option ids]}``; an empty list abstains. Ties are broken by option
    order (the earlier option wins), which is also how abcvoting's resolute AV breaks them.
    An option nobody approved never wins, so fewer than `winners` may be returned.
    """

    name = "approval"
    label = "Approval (approve any number)"
    kind = "multi"

    def _clean_settings(self, raw: dict[str, Any], options: Sequence[Option]) -> dict:
        winners = int_setting(raw, "winners", 1, minimum=1)
        if winners > len(options):
            raise InvalidSettings(
                "The setting winners (%(winners)s) is more than the %(count)s options.",
                winners=winners,
                count=len(options),
            )
        return {"winners": winners}

    def clean_ballot(
        self, raw: Mapping[str, Any], options: Sequence[Option], settings: Mapping[str, Any]
    ) -> dict:
        ballot = check_ballot_keys(raw, ("approve",), required=("approve",))
        return {"approve": check_id_list(ballot["approve"], option_ids(options), "approve")}

    def tally(
        self, options: Sequence[Option], ballots: Ballots, settings: Mapping[str, Any]
    ) -> dict:
        k = settings["winners"]
        result = common_result(ballots, f"approval: the {k} most approved, ties by option order")
        counts = {option.id: 0 for option in options}
        for ballot, weight in ballots:
            for option_id in ballot["approve"]:
                counts[option_id] += weight
        ranking = best_first(options, counts)
        winners = [i for i in ranking[:k] if counts[i] > 0]
        result.update(winners=winners, passed=bool(winners), counts=counts, ranking=ranking)
        return result
