"""Reads of opinion maps: a proposal's statements, what a person has voted, and the cached map
as a reader sees it (participants as numbers; the reader's own dot marked for them alone)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from peerwork.core.policy import signed_in

from .models import OpinionMap, Proposal, Statement, StatementVote
from .opinion_actions import VOTE_NAMES


def statements_of(proposal: Proposal, *, hidden: bool = False) -> QuerySet[Statement]:
    """The proposal's statements with their vote counts (hidden ones only when asked)."""
    statements = Statement.objects.filter(proposal=proposal)
    if not hidden:
        statements = statements.filter(is_hidden=False)
    return statements.annotate(
        agrees=Count("votes", filter=Q(votes__value=1)),
        disagrees=Count("votes", filter=Q(votes__value=-1)),
        passes=Count("votes", filter=Q(votes__value=0)),
    ).order_by("pk")


def statement_get(proposal: Proposal, statement_id: int) -> Statement | None:
    return (
        Statement.objects.filter(proposal=proposal, pk=statement_id)
        .select_related("proposal__space")
        .first()
    )


def my_votes(user: Any, proposal: Proposal) -> dict[int, str]:
    """{statement id: "agree" | "disagree" | "pass"} for the person's votes on the proposal."""
    if not signed_in(user):
        return {}
    rows = StatementVote.objects.filter(proposal=proposal, voter=user).values_list(
        "statement_id", "value"
    )
    return {statement: VOTE_NAMES[value] for statement, value in rows}


def my_number(user: Any, proposal: Proposal) -> int | None:
    """The person's participant number on the map, if they voted."""
    if not signed_in(user):
        return None
    from .opinion_actions import participant_numbers

    return participant_numbers(proposal).get(user.pk)


def cached_map(proposal: Proposal) -> OpinionMap | None:
    return OpinionMap.objects.filter(proposal=proposal).first()


@dataclass
class MapView:
    """The map document joined with the statements it names, for the page and the API."""

    cached: OpinionMap | None
    document: dict[str, Any]
    statements: dict[int, Statement] = field(default_factory=dict)

    @property
    def computed(self) -> bool:
        return self.cached is not None and self.cached.computed_at is not None

    @property
    def outdated(self) -> bool:
        return self.cached is not None and self.cached.is_outdated


def map_view(proposal: Proposal) -> MapView:
    cached = cached_map(proposal)
    document = dict(cached.document) if cached and cached.document else {}
    shown = {s.pk: s for s in Statement.objects.filter(proposal=proposal, is_hidden=False)}
    return MapView(cached=cached, document=document, statements=shown)
