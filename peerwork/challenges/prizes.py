"""Ranking and prize arithmetic: pure functions, integer money that adds up exactly.

The rules (docs/challenges.md): a submission's judged score is the weighted mean over the
criteria of the judges' mean score on each; ties go to the earlier submission, then to the
lower id. A place's prize is split among the team's members by largest remainder, so the
shares always add up to the place's amount to the last minor unit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction

# The money rule itself lives with money (ideas' revenue shares and tasks use it too).
from peerwork.core.money import split_exact

__all__ = ["Entry", "places", "rank", "split_exact", "weighted_score"]


@dataclass(frozen=True)
class Entry:
    """Something that can be ranked: a submission with its score (None: no score)."""

    key: int
    score: Fraction | float | None
    submitted_at: datetime


def rank(entries: Iterable[Entry], *, higher_is_better: bool = True) -> list[Entry]:
    """Best first; unscored last; ties broken by the earlier submission, then the lower id."""

    def order(entry: Entry) -> tuple[int, Fraction | float, datetime, int]:
        if entry.score is None:
            return (1, 0, entry.submitted_at, entry.key)
        value = entry.score if not higher_is_better else -entry.score
        return (0, value, entry.submitted_at, entry.key)

    return sorted(entries, key=order)


def weighted_score(weights: dict[int, int], scores: Iterable[tuple[int, int]]) -> Fraction | None:
    """Judges' scores `(criterion_id, value)` of one submission -> its weighted score (0-10).

    Each criterion counts with the mean of the judges' scores on it, a criterion no judge
    scored counts 0; None when no judge scored anything.
    """
    by_criterion: dict[int, list[int]] = {}
    for criterion, value in scores:
        by_criterion.setdefault(criterion, []).append(value)
    if not by_criterion or not weights:
        return None
    total = sum(weights.values())
    weighted = sum(
        (
            Fraction(weight) * Fraction(sum(values), len(values))
            for criterion, weight in weights.items()
            if (values := by_criterion.get(criterion))
        ),
        Fraction(0),
    )
    return weighted / total


def places(
    split: Sequence[int], ranked: Sequence[Entry]
) -> tuple[list[tuple[int, Entry, int]], int]:
    """[(place, entry, amount)] for the places someone fills, and the amount left unawarded."""
    filled = [(index + 1, entry, split[index]) for index, entry in enumerate(ranked[: len(split)])]
    unawarded = sum(split[len(filled) :])
    return filled, unawarded
