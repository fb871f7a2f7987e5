"""The seam for a revision's weight in the contribution graph.

By default a revision weighs one point plus one point per thousand bytes it added (a revision
that only removes text still counts once): a stand-in for surviving authorship. An authorship
engine registers a better measure (the tokens a revision wrote that are still in its page's
current text) with `register_revision_weight`, and every credit computation uses it from then.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class RevisionFacts:
    """What a weight function may read of one revision (read in bulk, no query per row)."""

    id: int
    page_id: int
    author_id: int | None
    size: int
    size_delta: int


#: fn(revisions) -> {revision id: weight >= 0}; a revision left out weighs nothing.
RevisionWeight = Callable[[Sequence[RevisionFacts]], dict[int, float]]


def size_added_weight(revisions: Sequence[RevisionFacts]) -> dict[int, float]:
    """One per revision, plus one per thousand bytes added."""
    return {rev.id: 1.0 + max(rev.size_delta, 0) / 1000.0 for rev in revisions}


_provider: list[RevisionWeight] = [size_added_weight]


def register_revision_weight(weight: RevisionWeight) -> None:
    """Use `weight` for every revision from now on (the last registration wins)."""
    _provider[0] = weight


def revision_weight() -> RevisionWeight:
    return _provider[0]
