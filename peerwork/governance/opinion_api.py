"""REST endpoints of opinion maps: statements, votes, hiding, the map and the draft from its
consensus; thin faces on peerwork/governance/opinion_actions.py. Participants appear only as
numbers, and a reader learns only their own number."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from peerwork.core.api import Input
from peerwork.core.errors import NotFound
from peerwork.core.policy import can

from . import opinion_actions as actions
from . import opinion_selectors as selectors
from .api import ProposalOut, _proposal, proposal_out
from .models import Proposal, Statement

router: Router = Router(tags=["opinion maps"])

BASE = "/spaces/{slug}/proposals/{proposal_id}"


class StatementIn(Input):
    text: str = Field(..., min_length=1, max_length=actions.MAX_STATEMENT)


class StatementHiddenIn(Input):
    hidden: bool = True
    reason: str = Field("", max_length=500, description="Required when hiding.")


class StatementVoteIn(Input):
    vote: Literal["agree", "disagree", "pass"]


class StatementOut(Schema):
    id: int
    proposal: int
    text: str
    created_at: datetime
    hidden: bool
    hidden_reason: str = Field("", description="Shown to stewards only.")
    agree: int
    disagree: int
    passed: int = Field(..., description="Votes 'pass'.")
    your_vote: str | None = Field(None, description="agree, disagree or pass; null if none.")
    yours: bool = Field(..., description="You wrote it.")


class StatementVoteOut(Schema):
    statement: int
    vote: str
    updated_at: datetime


class OpinionRepresentativeOut(Schema):
    statement: int
    kind: str = Field(..., description="agree or disagree: what the group does more than others.")
    agree_percent: int
    disagree_percent: int
    seen: int = Field(..., description="Votes on it inside the group.")
    outside_percent: int = Field(..., description="The same share among everyone else.")
    ratio: float = Field(..., description="(a+1)/(s+2) inside over outside, Laplace-smoothed.")
    z: float = Field(..., description="Two-proportion z statistic.")


class OpinionGroupOut(Schema):
    label: int
    name: str
    size: int
    center: list[float]
    representatives: list[OpinionRepresentativeOut]


class OpinionPointOut(Schema):
    participant: int = Field(..., description="A number, in the order people first voted.")
    x: float
    y: float
    group: int


class OpinionConsensusGroupOut(Schema):
    group: int
    agree_percent: int
    seen: int


class OpinionConsensusOut(Schema):
    statement: int
    score: float = Field(..., description="Product over groups of (agrees+1)/(seen+2).")
    groups: list[OpinionConsensusGroupOut]


class OpinionMapOut(Schema):
    computed_at: datetime | None
    outdated: bool = Field(..., description="Votes came in after it was computed.")
    vote_count: int
    participants: int
    placed: int = Field(..., description="Participants with enough votes to be placed.")
    statements: int
    min_votes: int
    k: int = Field(..., description="Number of groups.")
    silhouettes: dict[str, float]
    groups: list[OpinionGroupOut]
    points: list[OpinionPointOut]
    consensus: list[OpinionConsensusOut]
    you: int | None = Field(None, description="Your participant number, if you voted.")


class OpinionDraftIn(Input):
    statements: list[int] = Field(..., min_length=1, max_length=actions.MAX_CLAUSES)
    title: str = Field("", max_length=200)
    method: str = Field("consent", max_length=20)
    days: int | None = Field(None, ge=1, le=365, description="Voting days; the space's default.")


def _statement(proposal: Proposal, statement_id: int) -> Statement:
    statement = selectors.statement_get(proposal, statement_id)
    if statement is None:
        raise NotFound()
    return statement


def _visible(request: HttpRequest, proposal: Proposal, statement: Statement) -> Statement:
    """A hidden statement answers 404 to whoever may not hide statements."""
    if statement.is_hidden and not can(request.user, "statement.hide", statement):
        raise NotFound()
    return statement


def statement_out(
    request: HttpRequest, statement: Statement, mine: dict[int, str], steward: bool | None = None
) -> dict:
    if steward is None:
        steward = can(request.user, "statement.hide", statement)
    counts = getattr(statement, "agrees", None)
    if counts is None:
        votes = list(statement.votes.values_list("value", flat=True))
        agree, disagree, passed = votes.count(1), votes.count(-1), votes.count(0)
    else:
        # counted by selectors.statements_of
        agree, disagree, passed = counts, statement.disagrees, statement.passes  # type: ignore[attr-defined]
    return {
        "id": statement.pk,
        "proposal": statement.proposal_id,
        "text": statement.text,
        "created_at": statement.created_at,
        "hidden": statement.is_hidden,
        "hidden_reason": statement.hidden_reason if steward else "",
        "agree": agree,
        "disagree": disagree,
        "passed": passed,
        "your_vote": mine.get(statement.pk),
        "yours": statement.author_id == getattr(request.user, "pk", None),
    }


@router.get(BASE + "/statements", response=list[StatementOut], summary="A proposal's statements")
def list_statements(request: HttpRequest, slug: str, proposal_id: int) -> Any:
    proposal = _proposal(request, slug, proposal_id)
    steward = can(request.user, "statement.hide", Statement(proposal=proposal))
    mine = selectors.my_votes(request.user, proposal)
    statements = selectors.statements_of(proposal, hidden=steward)
    return [statement_out(request, s, mine, steward) for s in statements]


@router.post(
    BASE + "/statements", response={201: StatementOut}, summary="Add a statement (you agree)"
)
def add_statement(request: HttpRequest, slug: str, proposal_id: int, payload: StatementIn) -> Any:
    proposal = _proposal(request, slug, proposal_id)
    statement = actions.statement_add(user=request.user, proposal=proposal, text=payload.text)
    return 201, statement_out(request, statement, selectors.my_votes(request.user, proposal))


@router.get(BASE + "/statements/{statement_id}", response=StatementOut, summary="One statement")
def get_statement(request: HttpRequest, slug: str, proposal_id: int, statement_id: int) -> Any:
    proposal = _proposal(request, slug, proposal_id)
    statement = _visible(request, proposal, _statement(proposal, statement_id))
    return statement_out(request, statement, selectors.my_votes(request.user, proposal))


@router.patch(
    BASE + "/statements/{statement_id}",
    response=StatementOut,
    summary="Reword your statement (while nobody else has voted on it)",
)
def edit_statement(
    request: HttpRequest, slug: str, proposal_id: int, statement_id: int, payload: StatementIn
) -> Any:
    proposal = _proposal(request, slug, proposal_id)
    statement = _visible(request, proposal, _statement(proposal, statement_id))
    statement = actions.statement_edit(user=request.user, statement=statement, text=payload.text)
    return statement_out(request, statement, selectors.my_votes(request.user, proposal))


@router.delete(
    BASE + "/statements/{statement_id}",
    response={204: None},
    summary="Withdraw your statement (while nobody else has voted on it)",
)
def withdraw_statement(request: HttpRequest, slug: str, proposal_id: int, statement_id: int) -> Any:
    proposal = _proposal(request, slug, proposal_id)
    statement = _visible(request, proposal, _statement(proposal, statement_id))
    actions.statement_withdraw(user=request.user, statement=statement)
    return 204, None


@router.put(
    BASE + "/statements/{statement_id}/hidden",
    response=StatementOut,
    summary="Hide a statement from the map, or show it again (stewards; logged)",
)
def hide_statement(
    request: HttpRequest,
    slug: str,
    proposal_id: int,
    statement_id: int,
    payload: StatementHiddenIn,
) -> Any:
    proposal = _proposal(request, slug, proposal_id)
    statement = _statement(proposal, statement_id)
    statement = actions.statement_hide(
        user=request.user, statement=statement, hidden=payload.hidden, reason=payload.reason
    )
    return statement_out(request, statement, selectors.my_votes(request.user, proposal))


@router.put(
    BASE + "/statements/{statement_id}/vote",
    response=StatementVoteOut,
    summary="Agree, disagree or pass on a statement (voting again changes it)",
)
def vote_statement(
    request: HttpRequest, slug: str, proposal_id: int, statement_id: int, payload: StatementVoteIn
) -> Any:
    proposal = _proposal(request, slug, proposal_id)
    statement = _visible(request, proposal, _statement(proposal, statement_id))
    cast = actions.statement_vote(user=request.user, statement=statement, vote=payload.vote)
    return {
        "statement": statement.pk,
        "vote": actions.VOTE_NAMES[cast.value],
        "updated_at": cast.updated_at,
    }


@router.get(
    BASE + "/opinion-map",
    response=OpinionMapOut,
    summary="The opinion map: groups, representative statements, consensus, anonymous dots",
)
def get_map(request: HttpRequest, slug: str, proposal_id: int) -> Any:
    proposal = _proposal(request, slug, proposal_id)
    view = selectors.map_view(proposal)
    document = view.document
    return {
        "computed_at": view.cached.computed_at if view.cached else None,
        "outdated": view.outdated or not view.computed,
        "vote_count": view.cached.vote_count if view.cached else 0,
        "participants": document.get("participants", 0),
        "placed": document.get("placed", 0),
        "statements": document.get("statements", 0),
        "min_votes": document.get("min_votes", 0),
        "k": document.get("k", 0),
        "silhouettes": document.get("silhouettes", {}),
        "groups": document.get("groups", []),
        "points": document.get("points", []),
        "consensus": document.get("consensus", []),
        "you": selectors.my_number(request.user, proposal),
    }


@router.post(
    BASE + "/opinion-map/draft",
    response={201: ProposalOut},
    summary="Open a new proposal whose clauses are chosen statements, each citing its statement",
)
def draft_from_consensus(
    request: HttpRequest, slug: str, proposal_id: int, payload: OpinionDraftIn
) -> Any:
    proposal = _proposal(request, slug, proposal_id)
    draft = actions.proposal_draft_from_consensus(
        user=request.user,
        proposal=proposal,
        statement_ids=payload.statements,
        title=payload.title,
        method_name=payload.method,
        days=payload.days,
    )
    return 201, proposal_out(request, _proposal(request, slug, draft.pk), one=True)
