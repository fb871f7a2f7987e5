"""REST endpoints of governance: thin faces on the actions and selectors.

A ballot travels as the method reads it (docs/governance.md gives each method's shape); the
method's own check refuses a wrong one with the problem `invalid`, naming what was wrong.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from peerwork.activity.actions import watch_set
from peerwork.core.api import Input, PageOf, PageParams, paginate
from peerwork.core.errors import Conflict
from peerwork.core.pagination import decode_cursor, encode_cursor, offset_slice
from peerwork.core.policy import can
from peerwork.discussions.api import CommentOut, DiscussionOut, PostIn, comment_on, discussion_of
from peerwork.spaces.selectors import space_get_visible

from . import actions, selectors
from .models import Ballot, Delegation, Proposal, State
from .schemas import proposal_fields

router = Router(tags=["governance"])

PhaseField = Literal["", "upcoming", "voting", "closed", "cancelled"]


class ProposalOptionIn(Input):
    label: str = Field(..., min_length=1, max_length=200)
    key: str = Field("", max_length=40, description="A short id for ballots; a, b, c... if empty.")
    description: str = Field("", max_length=5000)
    cost: int | None = Field(None, ge=1, description="A budget project's cost, minor units.")


class ProposalIn(Input):
    title: str = Field(..., min_length=1, max_length=200)
    body: str = Field("", max_length=100_000, description="Markdown.")
    method: str = Field("", max_length=20, description="A method of docs/governance.md.")
    options: list[ProposalOptionIn] = Field(default_factory=list, max_length=200)
    settings: dict[str, Any] = Field(default_factory=dict, description="The method's settings.")
    tags: list[str] = Field(default_factory=list, max_length=10, description="Topics.")
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    quorum_percent: int | None = Field(None, ge=0, le=100)
    eligibility: Literal["", "member", "steward"] = ""
    secret: bool | None = None
    live_results: bool = False
    changes: dict[str, Any] = Field(
        default_factory=dict,
        description="Applied if it passes: {'policy': {...}, 'tasks': [...], 'reserve': {...}}.",
    )


class ProposalOptionOut(Schema):
    key: str
    label: str
    description: str
    cost: int | None


class ProposalResultOut(Schema):
    method: str
    eligible: int
    counted: int
    ballots: int
    quorum_percent: int
    quorum_met: bool
    passed: bool
    winners: list[str]
    tally: dict[str, Any]


class ProposalVoteOut(Schema):
    direct: bool
    via: list[str] = Field(..., description="Whose ballot carries your vote, through whom.")
    lost: str = Field("", description="'cycle' or 'no_vote' when your delegated vote is not cast.")


class ProposalOut(Schema):
    id: int
    space: str
    title: str
    body: str
    created_by: str
    method: str
    settings: dict[str, Any]
    options: list[ProposalOptionOut]
    tags: list[str]
    opens_at: datetime
    closes_at: datetime
    quorum_percent: int
    eligibility: str
    secret: bool
    live_results: bool
    state: str
    phase: str = Field(..., description="upcoming, voting, counting, closed or cancelled.")
    changes: dict[str, Any]
    execution: str
    execution_log: list[dict[str, Any]]
    outcome: str
    created_at: datetime
    closed_at: datetime | None
    cancelled_at: datetime | None
    result: ProposalResultOut | None = Field(
        None, description="The stored result once closed; the live tally where shown."
    )
    result_final: bool
    can_vote: bool
    your_vote: ProposalVoteOut | None


def proposal_out(request: HttpRequest, proposal: Proposal, *, one: bool = False) -> dict[str, Any]:
    user = request.user
    result = selectors.result_document(proposal)
    if result is None and one and selectors.tally_visible(user, proposal):
        result = selectors.live_result(proposal)
    vote = selectors.vote_of(user, proposal) if one else None
    return {
        **proposal_fields(proposal),
        "result": result,
        "result_final": proposal.state == State.CLOSED,
        "can_vote": proposal.phase == "voting" and can(user, "proposal.vote", proposal),
        "your_vote": None if vote is None else _vote_out(vote),
    }


def _vote_out(vote: selectors.CastFor) -> dict[str, Any]:
    return {"direct": vote.direct, "via": [p.username for p in vote.via], "lost": vote.lost}


class ProposalBallotIn(Input):
    ballot: dict[str, Any] = Field(..., description="As the method reads it: docs/governance.md.")


class ProposalBallotOut(Schema):
    proposal: int
    choice: dict[str, Any]
    receipt: str = Field(..., description="Find your ballot in the dump with it; keep it.")
    updated_at: datetime


class ProposalPublicBallotOut(Schema):
    voter: str | None = Field(None, description="Null with secret ballots.")
    receipt: str | None = Field(None, description="With secret ballots only.")
    choice: dict[str, Any]
    weight: int = Field(..., description="1 plus the votes delegated to this ballot.")
    carries: list[str] = Field(..., description="Whose delegated votes it carries (public).")


class ProposalCancelIn(Input):
    reason: str = Field(..., min_length=1, max_length=2000)


class ProposalOutcomeIn(Input):
    text: str = Field(..., min_length=1, max_length=100_000, description="Markdown.")


class ProposalWatchOut(Schema):
    watching: bool


class DelegationIn(Input):
    delegate: str = Field(..., min_length=1, max_length=150, description="A member's username.")
    topic: str = Field("", max_length=50, description="Empty: every proposal of the space.")


class DelegationOut(Schema):
    id: int
    delegator: str
    delegate: str
    topic: str
    created_at: datetime


class DelegationsOut(Schema):
    given: list[DelegationOut]
    received: list[DelegationOut]


def ballot_out(ballot: Ballot) -> dict[str, Any]:
    return {
        "proposal": ballot.proposal_id,
        "choice": ballot.choice,
        "receipt": ballot.receipt,
        "updated_at": ballot.updated_at,
    }


def delegation_out(delegation: Delegation) -> dict[str, Any]:
    return {
        "id": delegation.pk,
        "delegator": delegation.delegator.username,
        "delegate": delegation.delegate.username,
        "topic": delegation.topic,
        "created_at": delegation.created_at,
    }


def _proposal(request: HttpRequest, slug: str, proposal_id: int) -> Proposal:
    space = space_get_visible(user=request.user, slug=slug)
    return selectors.proposal_get_visible(user=request.user, space=space, proposal_id=proposal_id)


@router.get("/spaces/{slug}/proposals", response=PageOf[ProposalOut], summary="A space's proposals")
def list_proposals(
    request: HttpRequest, slug: str, page: Query[PageParams], phase: PhaseField = ""
) -> Any:
    space = space_get_visible(user=request.user, slug=slug)
    proposals = selectors.proposals_of_space(user=request.user, space=space, phase=phase)
    proposals = proposals.prefetch_related("options")
    return paginate(proposals, page, serialize=lambda p: proposal_out(request, p))


@router.post("/spaces/{slug}/proposals", response={201: ProposalOut}, summary="Open a proposal")
def create_proposal(request: HttpRequest, slug: str, payload: ProposalIn) -> Any:
    space = space_get_visible(user=request.user, slug=slug)
    data = payload.model_dump()
    data["method_name"] = data.pop("method")
    proposal = actions.proposal_create(user=request.user, space=space, **data)
    return 201, proposal_out(request, _proposal(request, slug, proposal.pk), one=True)


@router.get("/spaces/{slug}/proposals/{proposal_id}", response=ProposalOut, summary="One proposal")
def get_proposal(request: HttpRequest, slug: str, proposal_id: int) -> Any:
    return proposal_out(request, _proposal(request, slug, proposal_id), one=True)


@router.put(
    "/spaces/{slug}/proposals/{proposal_id}/ballot",
    response=ProposalBallotOut,
    summary="Cast or change your ballot (a new receipt each time)",
)
def cast_ballot(
    request: HttpRequest, slug: str, proposal_id: int, payload: ProposalBallotIn
) -> Any:
    proposal = _proposal(request, slug, proposal_id)
    return ballot_out(
        actions.ballot_cast(user=request.user, proposal=proposal, ballot=payload.ballot)
    )


class ProposalMyVoteOut(Schema):
    ballot: ProposalBallotOut | None = Field(None, description="Your own ballot, if you cast one.")
    vote: ProposalVoteOut | None = Field(
        None, description="How your vote stands, delegated or not."
    )


@router.get(
    "/spaces/{slug}/proposals/{proposal_id}/ballot",
    response=ProposalMyVoteOut,
    summary="Your ballot on a proposal with its receipt, or whose ballot carries your vote",
)
def get_ballot(request: HttpRequest, slug: str, proposal_id: int) -> Any:
    proposal = _proposal(request, slug, proposal_id)
    ballot = selectors.my_ballot(request.user, proposal)
    vote = selectors.vote_of(request.user, proposal)
    return {
        "ballot": ballot_out(ballot) if ballot else None,
        "vote": None if vote is None else _vote_out(vote),
    }


@router.get(
    "/spaces/{slug}/proposals/{proposal_id}/ballots",
    response=PageOf[ProposalPublicBallotOut],
    summary="Every ballot, to recount: with voters if public, with receipts if secret",
)
def list_ballots(request: HttpRequest, slug: str, proposal_id: int, page: Query[PageParams]) -> Any:
    proposal = _proposal(request, slug, proposal_id)
    if not selectors.tally_visible(request.user, proposal):
        raise Conflict(_("The ballots are shown when the proposal closes."))
    ballots = selectors.ballots_published(proposal)

    def out(rows: list[Ballot]) -> list[dict[str, Any]]:
        names = {} if proposal.secret else selectors.usernames(pk for b in rows for pk in b.carries)
        return [
            {
                "voter": None if proposal.secret else b.voter.username,
                "receipt": b.receipt if proposal.secret else None,
                "choice": b.choice,
                "weight": b.weight,
                "carries": [] if proposal.secret else [names.get(pk, str(pk)) for pk in b.carries],
            }
            for b in rows
        ]

    if proposal.secret:
        # Closed, so the rows no longer change: pages by offset in receipt order are stable.
        start = decode_cursor(page.cursor) if page.cursor else 0
        rows, after = offset_slice(ballots, size=page.limit, offset=start)
        return {
            "items": out(rows),
            "next_cursor": encode_cursor(after) if after is not None else None,
        }
    found = paginate(ballots, page, newest_first=False)
    return {**found, "items": out(found["items"])}


@router.post(
    "/spaces/{slug}/proposals/{proposal_id}/cancel",
    response=ProposalOut,
    summary="Withdraw a proposal before it closes (its author or a steward)",
)
def cancel_proposal(
    request: HttpRequest, slug: str, proposal_id: int, payload: ProposalCancelIn
) -> Any:
    proposal = _proposal(request, slug, proposal_id)
    actions.proposal_cancel(user=request.user, proposal=proposal, reason=payload.reason)
    return proposal_out(request, _proposal(request, slug, proposal_id), one=True)


@router.put(
    "/spaces/{slug}/proposals/{proposal_id}/outcome",
    response=ProposalOut,
    summary="Write the outcome statement after the close (the author or a steward)",
)
def write_outcome(
    request: HttpRequest, slug: str, proposal_id: int, payload: ProposalOutcomeIn
) -> Any:
    proposal = _proposal(request, slug, proposal_id)
    actions.proposal_outcome(user=request.user, proposal=proposal, text=payload.text)
    return proposal_out(request, _proposal(request, slug, proposal_id), one=True)


@router.put(
    "/spaces/{slug}/proposals/{proposal_id}/watch",
    response=ProposalWatchOut,
    summary="Watch a proposal",
)
def watch_proposal(request: HttpRequest, slug: str, proposal_id: int) -> Any:
    watch_set(user=request.user, target=_proposal(request, slug, proposal_id), watching=True)
    return {"watching": True}


@router.delete(
    "/spaces/{slug}/proposals/{proposal_id}/watch",
    response=ProposalWatchOut,
    summary="Stop watching a proposal",
)
def unwatch_proposal(request: HttpRequest, slug: str, proposal_id: int) -> Any:
    watch_set(user=request.user, target=_proposal(request, slug, proposal_id), watching=False)
    return {"watching": False}


@router.get(
    "/spaces/{slug}/proposals/{proposal_id}/comments",
    response=DiscussionOut,
    summary="The discussion of a proposal",
)
def get_discussion(request: HttpRequest, slug: str, proposal_id: int) -> Any:
    return discussion_of(request, _proposal(request, slug, proposal_id))


@router.post(
    "/spaces/{slug}/proposals/{proposal_id}/comments",
    response={201: CommentOut},
    summary="Comment on a proposal",
)
def post_comment(request: HttpRequest, slug: str, proposal_id: int, payload: PostIn) -> Any:
    return 201, comment_on(request, _proposal(request, slug, proposal_id), payload)


@router.get(
    "/spaces/{slug}/delegations",
    response=DelegationsOut,
    summary="Your live delegations in a space: given and received",
)
def my_delegations(request: HttpRequest, slug: str) -> Any:
    space = space_get_visible(user=request.user, slug=slug)
    found = selectors.delegations_of(request.user, space)
    return {key: [delegation_out(d) for d in rows] for key, rows in found.items()}


@router.put(
    "/spaces/{slug}/delegations",
    response=DelegationOut,
    summary="Delegate your vote in the space, or on one topic, to another member",
)
def set_delegation(request: HttpRequest, slug: str, payload: DelegationIn) -> Any:
    space = space_get_visible(user=request.user, slug=slug)
    delegation = actions.delegation_set(
        user=request.user, space=space, delegate=payload.delegate, topic=payload.topic
    )
    return delegation_out(delegation)


@router.delete(
    "/spaces/{slug}/delegations",
    response=DelegationsOut,
    summary="Take back your delegation on a topic (empty: the space-wide one)",
)
def revoke_delegation(request: HttpRequest, slug: str, topic: str = "") -> Any:
    space = space_get_visible(user=request.user, slug=slug)
    actions.delegation_revoke(user=request.user, space=space, topic=topic)
    found = selectors.delegations_of(request.user, space)
    return {key: [delegation_out(d) for d in rows] for key, rows in found.items()}


# Opinion maps answer under the same proposals (peerwork/governance/opinion_api.py).
from .opinion_api import router as opinion_router  # noqa: E402

router.add_router("", opinion_router)
