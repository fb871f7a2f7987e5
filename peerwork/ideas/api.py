"""REST endpoints of ideas: `/spaces/{slug}/ideas/...`, thin faces on actions and selectors."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import ConfigDict, Field

from peerwork.accounts.selectors import user_by_username
from peerwork.activity import watching
from peerwork.activity.actions import watch_set
from peerwork.core.api import Input, PageOf, paginate
from peerwork.core.api import PageParams as BasePageParams
from peerwork.core.errors import Invalid
from peerwork.core.pagination import offset_page
from peerwork.core.policy import can
from peerwork.discussions.api import (
    CommentOut,
    DiscussionOut,
    PostIn,
    comment_on,
    discussion_of,
)
from peerwork.spaces.models import Space
from peerwork.spaces.selectors import space_get_visible

from . import actions, selectors
from .models import Idea, Status
from .schemas import idea_fields
from .settings import ideas_policy

router = Router(tags=["ideas"])

StatusName = Literal[
    "draft", "open", "in_review", "accepted", "rejected", "expired", "merged", "done"
]


class ProgressOut(Schema):
    stage: int = Field(..., description="Milestones reached so far.")
    stages: int
    supporters: int
    goal: int | None = Field(..., description="Supporters the next milestone needs.")
    percent: int
    deadline: datetime | None = Field(..., description="When the next milestone is due.")
    days_left: int | None


class IdeaOut(Schema):
    id: int
    title: str
    status: str = Field(..., description="As readers see it: overdue open ideas are expired.")
    tags: list[str]
    supporters: int
    created_by: str
    created_at: datetime
    published_at: datetime | None
    status_reason: str
    status_changed_at: datetime | None
    progress: ProgressOut
    url: str


class MilestoneOut(Schema):
    supporters: int
    days: int
    reached_at: datetime | None


class CreatorOut(Schema):
    username: str
    share: int
    state: str
    via_merge: bool


class FlagOut(Schema):
    duplicate_of: int
    duplicate_of_title: str
    flagged_by: str
    reason: str
    created_at: datetime


class MergeOut(Schema):
    source: int
    target: int
    merged_by: str
    reason: str
    merged_at: datetime
    undone_at: datetime | None


class RevenueShareOut(Schema):
    username: str
    basis_points: int


class IdeaDetailOut(IdeaOut):
    description: str
    html: str
    status_reason_html: str
    milestones: list[MilestoneOut]
    creators: list[CreatorOut]
    merged_into: int | None
    flags: list[FlagOut]
    merges: list[MergeOut]
    revenue_shares: list[RevenueShareOut]
    review_criteria_html: str
    supporting: bool
    watching: bool
    can_update: bool
    can_publish: bool
    can_support: bool
    can_review: bool
    can_merge: bool
    can_respond_to_invitation: bool


def _url(idea: Idea) -> str:
    return f"/s/{idea.space.slug}/ideas/{idea.pk}/"


def idea_out(idea: Idea) -> dict[str, Any]:
    progress = selectors.progress_of(idea)
    return {
        **idea_fields(idea),
        "status": selectors.shown_status(idea),
        "created_by": idea.created_by.username,
        "status_reason": expiry_reason(idea) or idea.status_reason,
        "status_changed_at": progress.deadline if progress.overdue else idea.status_changed_at,
        "progress": {
            "stage": progress.stage,
            "stages": progress.stages,
            "supporters": progress.supporters,
            "goal": progress.goal,
            "percent": progress.percent,
            "deadline": progress.deadline,
            "days_left": progress.days_left,
        },
        "url": _url(idea),
    }


def expiry_reason(idea: Idea) -> str:
    """The reason an overdue idea shows before the expiry job has written it."""
    progress = selectors.progress_of(idea)
    if not progress.overdue or progress.deadline is None or progress.goal is None:
        return ""
    return actions.missed_milestone_reason(
        goal=progress.goal, deadline=progress.deadline, count=idea.support_count
    )


def idea_detail_out(request: HttpRequest, idea: Idea) -> dict[str, Any]:
    user = request.user
    reached = {m.stage: m.reached_at for m in idea.milestones_reached.all()}
    data = idea_out(idea)
    data.update(
        description=idea.description,
        html=selectors.markdown_html(idea.space, idea.description),
        status_reason_html=selectors.markdown_html(idea.space, data["status_reason"]),
        milestones=[
            {"supporters": m["supporters"], "days": m["days"], "reached_at": reached.get(index)}
            for index, m in enumerate(idea.milestones)
        ],
        creators=[
            {
                "username": c.user.username,
                "share": c.share,
                "state": c.state,
                "via_merge": c.via_merge_id is not None,
            }
            for c in selectors.creators_of(idea)
        ],
        merged_into=idea.merged_into_id,
        flags=[
            {
                "duplicate_of": f.duplicate_of_id,
                "duplicate_of_title": f.duplicate_of.title,
                "flagged_by": f.flagged_by.username,
                "reason": f.reason,
                "created_at": f.created_at,
            }
            for f in selectors.flags_of(user=user, idea=idea)
        ],
        merges=[
            {
                "source": m.source_id,
                "target": m.target_id,
                "merged_by": m.merged_by.username,
                "reason": m.reason,
                "merged_at": m.merged_at,
                "undone_at": m.undone_at,
            }
            for m in selectors.merges_of(idea)
        ],
        revenue_shares=[
            {"username": r.user.username, "basis_points": r.basis_points}
            for r in selectors.revenue_shares_of(idea)
        ],
        review_criteria_html=selectors.markdown_html(
            idea.space, ideas_policy(idea.space).review_criteria
        ),
        supporting=selectors.supports_given(user, idea),
        watching=watching.is_watching(user, idea),
        can_update=can(user, "idea.update", idea),
        can_publish=can(user, "idea.publish", idea) and idea.status == Status.DRAFT,
        can_support=can(user, "idea.support", idea) and data["status"] == Status.OPEN,
        can_review=can(user, "idea.review", idea),
        can_merge=can(user, "idea.merge", idea),
        can_respond_to_invitation=can(user, "idea.invitation.respond", idea),
    )
    return data


# ---- inputs --------------------------------------------------------------------------------

Title = Field(..., max_length=1000)
Description = Field("", max_length=60_000)


class CreateIn(Input):
    title: str = Title
    description: str = Description
    tags: list[str] = Field(default_factory=list, max_length=50)
    share: int = Field(1, ge=1, le=1_000_000, description="Your agreed weight in the split.")


class UpdateIn(Input):
    title: str | None = Field(None, max_length=1000)
    description: str | None = Field(None, max_length=60_000)
    tags: list[str] | None = Field(None, max_length=50)


class CreatorInviteIn(Input):
    username: str = Field(..., min_length=1, max_length=150)
    share: int = Field(1, ge=1, le=1_000_000)


class RespondIn(Input):
    accept: bool


class ReviewIn(Input):
    decision: Literal["accept", "reject"]
    reason: str = Field(..., max_length=20_000)


class RevenueIn(Input):
    amount: int = Field(
        ..., ge=1, le=10**15, description="Net revenue in minor units (cents): 1050 is 10.50."
    )
    currency: str = Field(..., min_length=3, max_length=3, description="ISO 4217, such as EUR.")
    reference: str = Field(
        "", max_length=300, description="For stewards only: an invoice or a statement."
    )
    note: str = Field("", max_length=5000, description="For stewards only.")


class PayoutLineOut(Schema):
    username: str
    amount: int


class RevenuePayoutOut(Schema):
    id: int
    state: str = Field(..., description="paid, awaiting (a second steward's approval), rejected")
    amount: int
    lines: list[PayoutLineOut]


class RevenueOut(Schema):
    transaction: int
    amount: int
    currency: str
    created_at: datetime
    payout: RevenuePayoutOut | None = Field(
        ..., description="The creators' share; null when it rounds down to nothing."
    )


def revenue_out(revenue: Any, payout: Any) -> dict[str, Any]:
    return {
        "transaction": revenue.pk,
        "amount": revenue.amount,
        "currency": revenue.currency,
        "created_at": revenue.created_at,
        "payout": None
        if payout is None
        else {
            "id": payout.pk,
            "state": payout.state,
            "amount": payout.amount,
            "lines": [
                {"username": line.user.username, "amount": line.amount}
                for line in payout.lines.select_related("user").order_by("id")
            ],
        },
    }


class DoneReasonIn(Input):
    reason: str = Field("", max_length=20_000)


class FlagIn(Input):
    duplicate_of: int = Field(..., ge=1)
    reason: str = Field("", max_length=5000)


class MergeIn(Input):
    into: int = Field(..., ge=1)
    reason: str = Field("", max_length=5000)


class SupportOut(Schema):
    supporting: bool
    supporters: int
    status: str


class WatchOut(Schema):
    watching: bool


class ListParams(BasePageParams):
    model_config = ConfigDict(extra="forbid")

    status: StatusName | None = None
    tag: str = Field("", max_length=40)
    sort: Literal["newest", "supporters", "closest", "bridged"] = Field(
        "newest",
        description="bridged: by support across viewpoints (when the bridging app is installed).",
    )
    mine: bool = Field(False, description="Only ideas you create or are invited to.")


class SimilarParams(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(..., max_length=300)
    exclude: int | None = None


class SimilarOut(Schema):
    id: int
    title: str
    status: str
    supporters: int
    score: float
    url: str


# ---- helpers -------------------------------------------------------------------------------


def _space(request: HttpRequest, slug: str) -> Space:
    return space_get_visible(user=request.user, slug=slug)


def _idea(request: HttpRequest, slug: str, idea_id: int) -> Idea:
    space = _space(request, slug)
    return selectors.idea_get_visible(user=request.user, space=space, idea_id=idea_id)


def _fresh(request: HttpRequest, idea: Idea) -> dict[str, Any]:
    idea = Idea.objects.select_related("space", "created_by").get(pk=idea.pk)
    return idea_detail_out(request, idea)


def _offset_page(rows: Any, params: ListParams) -> dict[str, Any]:
    """Offset pages for orders other than newest (keyset on the id only fits newest first)."""
    found, cursor = offset_page(rows, size=params.limit, cursor=params.cursor)
    return {"items": [idea_out(i) for i in found], "next_cursor": cursor}


# ---- endpoints -----------------------------------------------------------------------------


@router.get("/spaces/{slug}/ideas", response=PageOf[IdeaOut], summary="The space's ideas")
def list_ideas(request: HttpRequest, slug: str, params: Query[ListParams]) -> Any:
    space = _space(request, slug)
    ideas = selectors.ideas_listed(
        user=request.user,
        space=space,
        status=params.status or "",
        tag=params.tag,
        sort=params.sort,
        mine=params.mine,
    )
    if params.sort == "newest":
        return paginate(ideas, params, serialize=idea_out)
    return _offset_page(ideas, params)


@router.get(
    "/spaces/{slug}/ideas/similar",
    response=list[SimilarOut],
    summary="Published ideas with titles like this one (to find duplicates while typing)",
)
def similar(request: HttpRequest, slug: str, params: Query[SimilarParams]) -> Any:
    space = _space(request, slug)
    found = selectors.similar_ideas(
        user=request.user, space=space, title=params.title, exclude=params.exclude
    )
    return [
        {
            "id": idea.pk,
            "title": idea.title,
            "status": selectors.shown_status(idea),
            "supporters": idea.support_count,
            "score": round(score, 3),
            "url": _url(idea),
        }
        for idea, score in found
    ]


@router.post("/spaces/{slug}/ideas", response={201: IdeaDetailOut}, summary="Start a draft idea")
def create_idea(request: HttpRequest, slug: str, payload: CreateIn) -> Any:
    space = _space(request, slug)
    idea = actions.idea_create(
        user=request.user,
        space=space,
        title=payload.title,
        description=payload.description,
        tags=payload.tags,
        share=payload.share,
    )
    return 201, _fresh(request, idea)


@router.get("/spaces/{slug}/ideas/{idea_id}", response=IdeaDetailOut, summary="One idea")
def get_idea(request: HttpRequest, slug: str, idea_id: int) -> Any:
    return idea_detail_out(request, _idea(request, slug, idea_id))


@router.patch("/spaces/{slug}/ideas/{idea_id}", response=IdeaDetailOut, summary="Edit an idea")
def update_idea(request: HttpRequest, slug: str, idea_id: int, payload: UpdateIn) -> Any:
    idea = actions.idea_update(
        user=request.user,
        idea=_idea(request, slug, idea_id),
        title=payload.title,
        description=payload.description,
        tags=payload.tags,
    )
    return _fresh(request, idea)


@router.post(
    "/spaces/{slug}/ideas/{idea_id}/publish",
    response=IdeaDetailOut,
    summary="Publish a draft: it opens for support",
)
def publish_idea(request: HttpRequest, slug: str, idea_id: int) -> Any:
    idea = actions.idea_publish(user=request.user, idea=_idea(request, slug, idea_id))
    return _fresh(request, idea)


@router.post(
    "/spaces/{slug}/ideas/{idea_id}/creators",
    response={201: IdeaDetailOut},
    summary="Invite a co-creator with an agreed share",
)
def invite_creator(request: HttpRequest, slug: str, idea_id: int, payload: CreatorInviteIn) -> Any:
    idea = _idea(request, slug, idea_id)
    invitee = user_by_username(payload.username)
    if invitee is None:
        raise Invalid(
            _("There is no person named '%(name)s'.") % {"name": payload.username}, field="username"
        )
    actions.idea_invite_creator(user=request.user, idea=idea, invitee=invitee, share=payload.share)
    return 201, _fresh(request, idea)


@router.post(
    "/spaces/{slug}/ideas/{idea_id}/invitation",
    response=IdeaDetailOut,
    summary="Accept or decline your invitation to co-create",
)
def respond_to_invitation(request: HttpRequest, slug: str, idea_id: int, payload: RespondIn) -> Any:
    idea = _idea(request, slug, idea_id)
    actions.idea_invitation_respond(user=request.user, idea=idea, accept=payload.accept)
    return _fresh(request, idea)


def _support_out(request: HttpRequest, idea: Idea) -> dict[str, Any]:
    idea = Idea.objects.select_related("space").get(pk=idea.pk)
    return {
        "supporting": selectors.supports_given(request.user, idea),
        "supporters": idea.support_count,
        "status": selectors.shown_status(idea),
    }


@router.put(
    "/spaces/{slug}/ideas/{idea_id}/support", response=SupportOut, summary="Support an idea"
)
def support_idea(request: HttpRequest, slug: str, idea_id: int) -> Any:
    idea = _idea(request, slug, idea_id)
    actions.idea_support(user=request.user, idea=idea)
    return _support_out(request, idea)


@router.delete(
    "/spaces/{slug}/ideas/{idea_id}/support",
    response=SupportOut,
    summary="Withdraw your support",
)
def withdraw_support(request: HttpRequest, slug: str, idea_id: int) -> Any:
    idea = _idea(request, slug, idea_id)
    actions.idea_support_withdraw(user=request.user, idea=idea)
    return _support_out(request, idea)


@router.post(
    "/spaces/{slug}/ideas/{idea_id}/review",
    response=IdeaDetailOut,
    summary="Accept or reject an idea in review, with the reason",
)
def review_idea(request: HttpRequest, slug: str, idea_id: int, payload: ReviewIn) -> Any:
    idea = actions.idea_review(
        user=request.user,
        idea=_idea(request, slug, idea_id),
        decision=payload.decision,
        reason=payload.reason,
    )
    return _fresh(request, idea)


@router.post(
    "/spaces/{slug}/ideas/{idea_id}/done",
    response=IdeaDetailOut,
    summary="Mark an accepted idea done",
)
def mark_done(request: HttpRequest, slug: str, idea_id: int, payload: DoneReasonIn) -> Any:
    idea = actions.idea_mark_done(
        user=request.user, idea=_idea(request, slug, idea_id), reason=payload.reason
    )
    return _fresh(request, idea)


@router.post(
    "/spaces/{slug}/ideas/{idea_id}/revenue",
    response={201: RevenueOut},
    summary="Record net revenue of an accepted idea and pay its creators' share",
    description=(
        "A steward records net revenue (in minor units); it comes into the space's treasury and "
        "the creators' agreed basis points of it, rounded down to the unit and split among them "
        "by largest remainder, go to their earnings (held for a second steward above the "
        "space's limit). The Idempotency-Key header is required: the same key with the same "
        "body returns the first result, with another body a 409 idempotency-key-reused."
    ),
)
def record_revenue(request: HttpRequest, slug: str, idea_id: int, payload: RevenueIn) -> Any:
    try:
        recorded = actions.idea_revenue_record(
            user=request.user,
            idea=_idea(request, slug, idea_id),
            amount=payload.amount,
            currency=payload.currency,
            key=request.headers.get("Idempotency-Key", ""),
            reference=payload.reference,
            note=payload.note,
        )
    except Invalid as error:
        if error.field != "key":
            raise
        raise Invalid(
            _("Send an Idempotency-Key header: any unique text, such as a UUID."),
            field="Idempotency-Key",
        ) from None
    return 201, revenue_out(recorded.revenue, recorded.payout)


@router.post(
    "/spaces/{slug}/ideas/{idea_id}/flags",
    response={201: IdeaDetailOut},
    summary="Flag an idea as a duplicate of another",
)
def flag_idea(request: HttpRequest, slug: str, idea_id: int, payload: FlagIn) -> Any:
    idea = _idea(request, slug, idea_id)
    actions.idea_flag_duplicate(
        user=request.user, idea=idea, duplicate_of=payload.duplicate_of, reason=payload.reason
    )
    return 201, _fresh(request, idea)


@router.post(
    "/spaces/{slug}/ideas/{idea_id}/merge",
    response=IdeaDetailOut,
    summary="Merge this duplicate into another idea",
)
def merge_idea(request: HttpRequest, slug: str, idea_id: int, payload: MergeIn) -> Any:
    idea = _idea(request, slug, idea_id)
    actions.idea_merge(user=request.user, idea=idea, into=payload.into, reason=payload.reason)
    return _fresh(request, idea)


@router.post(
    "/spaces/{slug}/ideas/{idea_id}/unmerge",
    response=IdeaDetailOut,
    summary="Undo the merge of this idea",
)
def unmerge_idea(request: HttpRequest, slug: str, idea_id: int) -> Any:
    idea = actions.idea_unmerge(user=request.user, idea=_idea(request, slug, idea_id))
    return _fresh(request, idea)


@router.put("/spaces/{slug}/ideas/{idea_id}/watch", response=WatchOut, summary="Watch an idea")
def watch_idea(request: HttpRequest, slug: str, idea_id: int) -> Any:
    watch_set(user=request.user, target=_idea(request, slug, idea_id), watching=True)
    return {"watching": True}


@router.delete(
    "/spaces/{slug}/ideas/{idea_id}/watch", response=WatchOut, summary="Stop watching an idea"
)
def unwatch_idea(request: HttpRequest, slug: str, idea_id: int) -> Any:
    watch_set(user=request.user, target=_idea(request, slug, idea_id), watching=False)
    return {"watching": False}


@router.get(
    "/spaces/{slug}/ideas/{idea_id}/comments",
    response=DiscussionOut,
    summary="An idea's comments, in thread order",
)
def get_comments(request: HttpRequest, slug: str, idea_id: int) -> Any:
    return discussion_of(request, _idea(request, slug, idea_id))


@router.post(
    "/spaces/{slug}/ideas/{idea_id}/comments",
    response={201: CommentOut},
    summary="Comment on an idea, or reply to a comment",
)
def post_comment(request: HttpRequest, slug: str, idea_id: int, payload: PostIn) -> Any:
    return 201, comment_on(request, _idea(request, slug, idea_id), payload)
