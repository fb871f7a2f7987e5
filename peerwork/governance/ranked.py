"""Ranked-ballot methods (instant runoff, single transferable vote, Schulze, ranked pairs) in the
shape of the other decision methods, on the one tabulation engine of `governance.tally`.

A ranked ballot is `{"ranking": [["a"], ["b"], ...]}`: one list per rank, first rank first;
a plain list of option keys `["a", "b"]` is accepted and means one option per rank. The
proposal's settings are `{"seats": N, "rules": {...}}`, the rules of docs/governance-tally.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .methods import InvalidBallot, InvalidSettings, Option
from .tally import Ballot, RankedRules, TallyError, check_ranking, tabulate
from .tally import InvalidBallot as RankingRefused

MAX_RANKS = 100


class RankedMethod:
    kind = "ranked"

    def __init__(self, name: str, engine: str, label: str, multi: bool) -> None:
        self.name, self.engine, self.label, self.multi = name, engine, label, multi

    def clean_settings(self, raw: dict[str, Any], options: Sequence[Option]) -> dict[str, Any]:
        raw = dict(raw or {})
        unknown = set(raw) - {"seats", "rules"}
        if unknown:
            raise InvalidSettings(
                "Unknown setting '%(setting)s' for %(method)s; use seats and rules.",
                setting=sorted(unknown)[0],
                method=self.name,
            )
        if len(options) < 2:
            raise InvalidSettings("A ranked vote needs at least two options.")
        seats = raw.get("seats", 1)
        if isinstance(seats, bool) or not isinstance(seats, int) or seats < 1:
            raise InvalidSettings("Seats is a whole number, 1 or more.")
        if seats >= len(options):
            raise InvalidSettings("There must be more options than seats.")
        if seats > 1 and not self.multi and self.engine == "irv":
            raise InvalidSettings("Instant runoff fills one seat; use stv for several.")
        try:
            rules = RankedRules.from_dict(raw.get("rules") or {})
        except TallyError as error:
            raise InvalidSettings(error.template, **error.params) from None
        return {"seats": seats, "rules": rules.to_dict()}

    def clean_ballot(
        self, raw: dict[str, Any], options: Sequence[Option], settings: dict[str, Any]
    ) -> dict[str, Any]:
        ranking = raw.get("ranking") if isinstance(raw, dict) else None
        if not isinstance(ranking, list) or not ranking:
            raise InvalidBallot("Rank at least one option: give 'ranking', first choice first.")
        if len(ranking) > MAX_RANKS:
            raise InvalidBallot("At most %(limit)s ranks.", limit=MAX_RANKS)
        ranks: list[tuple[str, ...]] = []
        for rank in ranking:
            if isinstance(rank, str):
                ranks.append((rank,) if rank else ())
            elif isinstance(rank, list) and all(isinstance(key, str) for key in rank):
                ranks.append(tuple(rank))
            else:
                raise InvalidBallot("Each rank is an option key or a list of option keys.")
        while ranks and not ranks[-1]:
            ranks.pop()
        if not ranks:
            raise InvalidBallot("Rank at least one option.")
        rules = RankedRules.from_dict(settings.get("rules") or {})
        try:
            check_ranking(tuple(ranks), [option.id for option in options], rules)
        except RankingRefused as error:
            raise InvalidBallot(error.template, **error.params) from None
        return {"ranking": [list(rank) for rank in ranks]}

    def tally(
        self,
        options: Sequence[Option],
        ballots: Sequence[tuple[dict[str, Any], int]],
        settings: dict[str, Any],
    ) -> dict[str, Any]:
        report = tabulate(
            self.engine,
            [option.id for option in options],
            (
                Ballot(tuple(tuple(rank) for rank in choice["ranking"]), weight)
                for choice, weight in ballots
            ),
            seats=int(settings.get("seats", 1)),
            rules=RankedRules.from_dict(settings.get("rules") or {}),
        )
        data = report.to_dict()
        data["winners"] = list(report.winners)
        data["passed"] = bool(report.winners)
        data["ballots"] = len(ballots)
        data["weight"] = sum(weight for _, weight in ballots)
        return data


RANKED: dict[str, RankedMethod] = {
    "irv": RankedMethod("irv", "irv", "Ranked choice: instant runoff", multi=False),
    "stv": RankedMethod("stv", "stv", "Ranked choice: single transferable vote", multi=True),
    "schulze": RankedMethod("schulze", "schulze", "Ranked choice: Schulze", multi=True),
    "ranked_pairs": RankedMethod(
        "ranked_pairs", "ranked-pairs", "Ranked choice: ranked pairs", multi=True
    ),
}
