"""Score voting: give each option 0..max_score; the best mean wins."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
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
    fraction_text,
    int_setting,
    is_int,
    option_ids,
)


def weighted_median(pairs: list[tuple[int, int]]) -> Fraction:
    """The median of the list where each (score, weight) appears weight times.

    With an even total weight it is the mean of the two middle values, as for a plain list,
    so a ballot of weight 3 reads exactly like three copies.
    """
    pairs = sorted(pairs)
    total = sum(weight for _, weight in pairs)
    lower, upper = (total - 1) // 2, total // 2  # 0-based positions of the middle value(s)
    values: list[int] = []
    seen = 0
    for score, weight in pairs:
        for position in (lower, upper):
            if seen <= position < seen + weight:
                values.append(score)
        seen += weight
    return Fraction(sum(values), len(values))


class Score(Method):
    """Rule: the option with the highest mean score wins; ties by median, then option order.

    Ballot: ``{"scores": {option_id: 0..max_score}}`` (setting ``max_score``, default 5).
    An option left out is "not scored" and does not pull its mean down; means and medians are
    over the ballots that scored the option, each counted by its weight. An option nobody
    scored cannot win.
    """

    name = "score"
    label = "Score (rate each option)"
    kind = "multi"

    def _clean_settings(self, raw: dict[str, Any], options: Sequence[Option]) -> dict:
        return {"max_score": int_setting(raw, "max_score", 5, minimum=1)}

    def clean_ballot(
        self, raw: Mapping[str, Any], options: Sequence[Option], settings: Mapping[str, Any]
    ) -> dict:
        ballot = check_ballot_keys(raw, ("scores",), required=("scores",))
        scores = check_id_map(ballot["scores"], option_ids(options), "scores")
        top = settings["max_score"]
        for option_id, value in scores.items():
            if not is_int(value) or not 0 <= value <= top:
                raise InvalidBallot(
                    "The score for %(option)r must be a whole number from 0 to %(top)s; "
                    "got %(value)r. Leave an option out to not score it.",
                    option=option_id,
                    top=top,
                    value=value,
                )
        return {"scores": scores}

    def tally(
        self, options: Sequence[Option], ballots: Ballots, settings: Mapping[str, Any]
    ) -> dict:
        result = common_result(
            ballots, "score: highest mean, then highest median, then option order"
        )
        given: dict[str, list[tuple[int, int]]] = {option.id: [] for option in options}
        for ballot, weight in ballots:
            for option_id, value in ballot["scores"].items():
                given[option_id].append((value, weight))
        means: dict[str, Fraction] = {}
        medians: dict[str, Fraction] = {}
        counts: dict[str, dict[str, Any]] = {}
        for option_id, pairs in given.items():
            weight = sum(w for _, w in pairs)
            entry: dict[str, Any] = {"weight": weight, "mean": None, "median": None}
            if weight:
                means[option_id] = Fraction(sum(s * w for s, w in pairs), weight)
                medians[option_id] = weighted_median(pairs)
                entry.update(
                    mean=fraction_text(means[option_id]),
                    median=fraction_text(medians[option_id]),
                    total=sum(s * w for s, w in pairs),
                )
            counts[option_id] = entry
        key = {i: (means[i], medians[i]) for i in means}
        ranking = best_first(options, key, eligible=[o.id for o in options if o.id in means])
        winners = ranking[:1]
        result.update(winners=winners, passed=bool(winners), counts=counts, ranking=ranking)
        return result
