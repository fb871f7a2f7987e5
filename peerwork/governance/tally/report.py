"""The published record of a count: enough, round by round, for anyone to check it by hand."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .rules import RankedRules


@dataclass
class Round:
    """One round: the votes it started with, what was decided, and where the votes then went.

    `transfers` lists, for each option elected or eliminated this round, the votes that moved
    from it to each continuing option and to "exhausted" before the next round.
    """

    number: int
    tally: dict[str, Decimal]
    threshold: Decimal | None
    exhausted: dict[str, Decimal]
    elected: list[str] = field(default_factory=list)
    eliminated: list[str] = field(default_factory=list)
    transfers: dict[str, dict[str, Decimal]] = field(default_factory=dict)
    tie_breaks: list[dict[str, Any]] = field(default_factory=list)
    residual_surplus: Decimal = Decimal(0)

    def to_dict(self, rules: RankedRules) -> dict[str, Any]:
        text = rules.text
        return {
            "round": self.number,
            "tally": {option: text(votes) for option, votes in self.tally.items()},
            "threshold": None if self.threshold is None else text(self.threshold),
            "elected": list(self.elected),
            "eliminated": list(self.eliminated),
            "transfers": {
                source: {target: text(votes) for target, votes in moved.items()}
                for source, moved in self.transfers.items()
            },
            "exhausted": text(sum(self.exhausted.values(), Decimal(0))),
            "exhausted_by": {reason: text(votes) for reason, votes in self.exhausted.items()},
            "residual_surplus": text(self.residual_surplus),
            "tie_breaks": list(self.tie_breaks),
        }


@dataclass
class Report:
    """What `tabulate` returns: the winners in the order elected and the record behind them."""

    method: str
    seats: int
    rules: RankedRules
    options: list[str]
    ballots: int
    weight: Decimal
    winners: list[str]
    rounds: list[Round] = field(default_factory=list)
    pairwise: dict[str, dict[str, Decimal]] | None = None
    strongest_paths: dict[str, dict[str, Decimal]] | None = None
    locked_pairs: list[tuple[str, str, Decimal]] | None = None
    tie_breaks: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able dict; equal counts give equal dicts (every number a fixed-place string)."""
        text = self.rules.text
        data: dict[str, Any] = {
            "method": self.method,
            "seats": self.seats,
            "rules": self.rules.to_dict(),
            "options": list(self.options),
            "ballots": self.ballots,
            "weight": text(self.weight),
            "rounds": [one.to_dict(self.rules) for one in self.rounds],
        }
        if self.pairwise is not None:
            data["pairwise"] = _matrix(self.pairwise, self.rules)
        if self.strongest_paths is not None:
            data["strongest_paths"] = _matrix(self.strongest_paths, self.rules)
        if self.locked_pairs is not None:
            data["locked_pairs"] = [
                {"winner": winner, "loser": loser, "margin": text(margin)}
                for winner, loser, margin in self.locked_pairs
            ]
        if self.tie_breaks:
            data["tie_breaks"] = list(self.tie_breaks)
        data["winners"] = list(self.winners)
        return data


def _matrix(matrix: dict[str, dict[str, Decimal]], rules: RankedRules) -> dict[str, Any]:
    return {
        row: {col: rules.text(value) for col, value in cells.items()}
        for row, cells in matrix.items()
    }
