"""REST endpoints of tasks: thin faces on the actions and selectors.

A bounty travels as the amount a person would write ("12.50") with its currency, read by the
one money parser, so a negative or over-precise amount is refused the same way everywhere.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from peerwork.activity.actions import watch_set
from peerwork.core.api import Input, PageOf, PageParams, paginate
from peerwork.core.errors import Invalid
from peerwork.core.money import format_money, parse_money
from peerwork.core.policy import can
from peerwork.discussions.api import CommentOut, DiscussionOut, PostIn, comment_on, discussion_of
from peerwork.spaces.selectors import space_get_visible

from . import actions, selectors
from .models import Claim, Delivery, Task
from .schemas import task_fields

router = Router(tags=["tasks"])

ModeField = Literal["single", "cooperative", "contest"]
StateField = Literal["", "open", "claimed", "in_review", "changes_requested", "done", "cancelled"]


class TaskIn(Input):
    title: str = Field(..., min_length=1, max_length=200)
    description: str = Field("", max_length=100_000, description="Markdown.")
    mode: ModeField = "single"
    skills: list[str] = Field(default_factory=list, max_length=20)
    labels: list[str] = Field(default_factory=list, max_length=20)
    language: str = Field("", max_length=16, description="A language code, or empty for any.")
    estimate_hours: int | None = Field(None, ge=1, le=10_000)
    due_date: date | None = None
    bounty: str = Field(
        "", max_length=40, description="The amount as written, e.g. '25.50'; stewards only."
    )
    currency: str = Field("EUR", min_length=3, max_length=3)
    depends_on: list[int] = Field(default_factory=list, max_length=50)


class TaskPatch(Input):
    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=100_000)
    skills: list[str] | None = Field(None, max_length=20)
    labels: list[str] | None = Field(None, max_length=20)
    language: str | None = Field(None, max_length=16)
    estimate_hours: int | None = Field(None, ge=1, le=10_000)
    due_date: date | None = None
    depends_on: list[int] | None = Field(None, max_length=50)


class TaskClaimOut(Schema):
    id: int
    username: str
    status: str
    share: int
    created_at: datetime
    last_activity_at: datetime


class TaskOut(Schema):
    id: int
    space: str
    title: str
    description: str
    created_by: str
    mode: str
    state: str
    skills: list[str]
    labels: list[str]
    language: str
    estimate_hours: int | None
    due_date: date | None
    bounty: int = Field(..., description="Minor units of `currency`; 0 for none.")
    bounty_text: str | None = Field(None, description="The bounty as people write it.")
    currency: str | None
    depends_on: list[int]
    claims: list[TaskClaimOut] = Field(..., description="Live claims: active and requested.")
    bounty_payout: str | None = Field(
        None,
        description="Once done: 'paid', or 'awaiting' a second steward's approval "
        "(in the answer for one task; null in lists).",
    )
    created_at: datetime
    done_at: datetime | None
    cancelled_at: datetime | None
    can_claim: bool
    can_update: bool
    watching: bool


def claim_out(claim: Claim) -> dict[str, Any]:
    return {
        "id": claim.pk,
        "username": claim.user.username,
        "status": claim.status,
        "share": claim.share,
        "created_at": claim.created_at,
        "last_activity_at": claim.last_activity_at,
    }


def task_out(request: HttpRequest, task: Task, *, one: bool = False) -> dict[str, Any]:
    user = request.user
    watching = getattr(task, "viewer_watching", None)
    if watching is None:
        from peerwork.activity.watching import is_watching

        watching = is_watching(user, task)
    claims = getattr(task, "live_claims", None)
    if claims is None:
        claims = list(task.claims.filter(status__in=["requested", "active"]).select_related("user"))
    return {
        **task_fields(task),
        "bounty_text": format_money(task.bounty, task.currency) if task.bounty else None,
        "claims": [claim_out(claim) for claim in claims],
        "bounty_payout": payout.state
        if one and (payout := selectors.bounty_payout(task))
        else None,
        "can_claim": not task.is_closed and can(user, "task.claim", task),
        "can_update": can(user, "task.update", task),
        "watching": bool(watching),
    }


class TaskSuggestionOut(Schema):
    task: TaskOut
    score: int
    reasons: list[str]


class TaskClaimIn(Input):
    share: int = Field(1, ge=1, le=100, description="Your weight in a cooperative bounty.")


class TaskClaimDecisionIn(Input):
    approve: bool


class TaskCancelIn(Input):
    reason: str = Field("", max_length=2000)


class TaskDeliveryIn(Input):
    text: str = Field(..., min_length=1, max_length=100_000, description="Markdown.")
    links: list[str] = Field(default_factory=list, max_length=20)
    revision_id: int | None = Field(None, ge=1, description="A wiki revision of this space.")


class TaskReviewIn(Input):
    decision: Literal["approved", "changes_requested"]
    reason: str = Field(..., min_length=1, max_length=10_000)


class TaskReviewOut(Schema):
    id: int
    reviewer: str
    decision: str
    reason: str
    created_at: datetime


class TaskDeliveryOut(Schema):
    id: int
    task: int
    submitted_by: str
    created_at: datetime
    text: str | None = Field(None, description="Null for a contest entry not yet public.")
    links: list[str]
    revision_id: int | None
    is_winner: bool
    released_to_commons: bool
    reviews: list[TaskReviewOut]


class TaskWatchOut(Schema):
    watching: bool


def _delivery_out(view: selectors.DeliveryView) -> dict[str, Any]:
    delivery = view.delivery
    return {
        "id": delivery.pk,
        "task": delivery.task_id,
        "submitted_by": delivery.submitted_by.username,
        "created_at": delivery.created_at,
        "text": delivery.text if view.visible else None,
        "links": list(delivery.links) if view.visible else [],
        "revision_id": delivery.revision_id if view.visible else None,
        "is_winner": delivery.is_winner,
        "released_to_commons": delivery.released_at is not None,
        "reviews": [
            {
                "id": review.pk,
                "reviewer": review.reviewer.username,
                "decision": review.decision,
                "reason": review.reason,
                "created_at": review.created_at,
            }
            for review in view.reviews
        ],
    }


def _one_delivery(request: HttpRequest, delivery: Delivery) -> dict[str, Any]:
    views = selectors.deliveries_of(user=request.user, task=delivery.task)
    return _delivery_out(next(view for view in views if view.delivery.pk == delivery.pk))


def _task(request: HttpRequest, slug: str, task_id: int) -> Task:
    space = space_get_visible(user=request.user, slug=slug)
    return selectors.task_get_visible(user=request.user, task_id=task_id, space=space)


def _bounty(amount: str, currency: str) -> tuple[int, str]:
    currency = currency.strip().upper()
    if not amount.strip():
        return 0, ""
    return parse_money(amount, currency, field="bounty"), currency


@router.get("/spaces/{slug}/tasks", response=PageOf[TaskOut], summary="A space's tasks")
def list_tasks(
    request: HttpRequest,
    slug: str,
    page: Query[PageParams],
    skill: str = "",
    label: str = "",
    mode: Literal["", "single", "cooperative", "contest"] = "",
    state: StateField = "",
    has_bounty: bool = False,
    unclaimed: bool = False,
) -> Any:
    space = space_get_visible(user=request.user, slug=slug)
    filters = selectors.Filters(
        skill=skill,
        label=label,
        mode=mode,
        state=state,
        has_bounty=has_bounty,
        unclaimed=unclaimed,
    )
    tasks = selectors.tasks_of_space(user=request.user, space=space, filters=filters)
    return paginate(tasks, page, serialize=lambda t: task_out(request, t))


@router.post("/spaces/{slug}/tasks", response={201: TaskOut}, summary="Post a task")
def create_task(request: HttpRequest, slug: str, payload: TaskIn) -> Any:
    space = space_get_visible(user=request.user, slug=slug)
    data = payload.model_dump()
    data["bounty"], data["currency"] = _bounty(data["bounty"], data["currency"])
    task = actions.task_create(user=request.user, space=space, **data)
    return 201, task_out(request, _task(request, slug, task.pk), one=True)


@router.get(
    "/spaces/{slug}/tasks/for-you",
    response=list[TaskSuggestionOut],
    summary="Open tasks ranked by your skills, languages and past work, with the reasons",
)
def tasks_for_you(request: HttpRequest, slug: str) -> Any:
    space = space_get_visible(user=request.user, slug=slug)
    return [
        {"task": task_out(request, s.task), "score": s.score, "reasons": s.reasons}
        for s in selectors.tasks_for(user=request.user, space=space)
    ]


@router.get("/spaces/{slug}/tasks/{task_id}", response=TaskOut, summary="One task")
def get_task(request: HttpRequest, slug: str, task_id: int) -> Any:
    return task_out(request, _task(request, slug, task_id), one=True)


@router.patch("/spaces/{slug}/tasks/{task_id}", response=TaskOut, summary="Change a task")
def update_task(request: HttpRequest, slug: str, task_id: int, payload: TaskPatch) -> Any:
    task = _task(request, slug, task_id)
    changes = payload.model_dump(exclude_unset=True)
    for key in ("title", "description", "skills", "labels", "language", "depends_on"):
        if key in changes and changes[key] is None:
            raise Invalid(_("This field cannot be null."), field=key)
    actions.task_update(user=request.user, task=task, **changes)
    return task_out(request, _task(request, slug, task_id), one=True)


class TaskBountyIn(Input):
    bounty: str = Field(..., min_length=1, max_length=40, description="As written: '25.50'.")
    currency: str = Field("EUR", min_length=3, max_length=3)


@router.put(
    "/spaces/{slug}/tasks/{task_id}/bounty",
    response=TaskOut,
    summary="Put a bounty on a task posted without one (stewards; reserved from the treasury)",
)
def set_bounty(request: HttpRequest, slug: str, task_id: int, payload: TaskBountyIn) -> Any:
    task = _task(request, slug, task_id)
    amount, currency = _bounty(payload.bounty, payload.currency)
    actions.task_bounty_set(user=request.user, task=task, bounty=amount, currency=currency)
    return task_out(request, _task(request, slug, task_id), one=True)


@router.post(
    "/spaces/{slug}/tasks/{task_id}/cancel",
    response=TaskOut,
    summary="Cancel a task (its bounty goes back to the treasury)",
)
def cancel_task(request: HttpRequest, slug: str, task_id: int, payload: TaskCancelIn) -> Any:
    task = _task(request, slug, task_id)
    actions.task_cancel(user=request.user, task=task, reason=payload.reason)
    return task_out(request, _task(request, slug, task_id), one=True)


@router.put(
    "/spaces/{slug}/tasks/{task_id}/claim",
    response={201: TaskClaimOut},
    summary="Claim a task (self-assign); it may wait for a steward's approval",
)
def claim_task(request: HttpRequest, slug: str, task_id: int, payload: TaskClaimIn) -> Any:
    claim = actions.task_claim(
        user=request.user, task=_task(request, slug, task_id), share=payload.share
    )
    return 201, claim_out(claim)


@router.delete(
    "/spaces/{slug}/tasks/{task_id}/claim", response=TaskClaimOut, summary="Give up your claim"
)
def unclaim_task(request: HttpRequest, slug: str, task_id: int) -> Any:
    return claim_out(actions.task_unclaim(user=request.user, task=_task(request, slug, task_id)))


@router.post(
    "/spaces/{slug}/tasks/{task_id}/claims/{claim_id}/decision",
    response=TaskClaimOut,
    summary="Approve or decline a requested claim (stewards)",
)
def decide_claim(
    request: HttpRequest, slug: str, task_id: int, claim_id: int, payload: TaskClaimDecisionIn
) -> Any:
    task = _task(request, slug, task_id)
    claim = selectors.claim_get(user=request.user, task=task, claim_id=claim_id)
    return claim_out(
        actions.task_claim_decide(user=request.user, claim=claim, approve=payload.approve)
    )


@router.get(
    "/spaces/{slug}/tasks/{task_id}/deliveries",
    response=list[TaskDeliveryOut],
    summary="The deliveries of a task with their reviews",
)
def list_deliveries(request: HttpRequest, slug: str, task_id: int) -> Any:
    task = _task(request, slug, task_id)
    return [_delivery_out(view) for view in selectors.deliveries_of(user=request.user, task=task)]


@router.post(
    "/spaces/{slug}/tasks/{task_id}/deliveries",
    response={201: TaskDeliveryOut},
    summary="Deliver your work for review (claimants)",
)
def deliver(request: HttpRequest, slug: str, task_id: int, payload: TaskDeliveryIn) -> Any:
    task = _task(request, slug, task_id)
    delivery = actions.task_deliver(user=request.user, task=task, **payload.model_dump())
    delivery.task = task
    return 201, _one_delivery(request, delivery)


@router.post(
    "/spaces/{slug}/tasks/{task_id}/deliveries/{task_delivery_id}/review",
    response={201: TaskDeliveryOut},
    summary="Approve a delivery or request changes, with a reason (peers, never the claimants)",
)
def review_delivery(
    request: HttpRequest, slug: str, task_id: int, task_delivery_id: int, payload: TaskReviewIn
) -> Any:
    task = _task(request, slug, task_id)
    delivery = selectors.delivery_get(user=request.user, task=task, delivery_id=task_delivery_id)
    actions.delivery_review(
        user=request.user, delivery=delivery, decision=payload.decision, reason=payload.reason
    )
    return 201, _one_delivery(request, delivery)


@router.post(
    "/spaces/{slug}/tasks/{task_id}/deliveries/{task_delivery_id}/release",
    response=TaskDeliveryOut,
    summary="Release your contest entry to the commons",
)
def release_delivery(request: HttpRequest, slug: str, task_id: int, task_delivery_id: int) -> Any:
    task = _task(request, slug, task_id)
    delivery = selectors.delivery_get(user=request.user, task=task, delivery_id=task_delivery_id)
    actions.delivery_release(user=request.user, delivery=delivery)
    return _one_delivery(request, delivery)


@router.put("/spaces/{slug}/tasks/{task_id}/watch", response=TaskWatchOut, summary="Watch a task")
def watch_task(request: HttpRequest, slug: str, task_id: int) -> Any:
    watch_set(user=request.user, target=_task(request, slug, task_id), watching=True)
    return {"watching": True}


@router.delete(
    "/spaces/{slug}/tasks/{task_id}/watch", response=TaskWatchOut, summary="Stop watching a task"
)
def unwatch_task(request: HttpRequest, slug: str, task_id: int) -> Any:
    watch_set(user=request.user, target=_task(request, slug, task_id), watching=False)
    return {"watching": False}


@router.get(
    "/spaces/{slug}/tasks/{task_id}/comments",
    response=DiscussionOut,
    summary="The discussion of a task",
)
def get_discussion(request: HttpRequest, slug: str, task_id: int) -> Any:
    return discussion_of(request, _task(request, slug, task_id))


@router.post(
    "/spaces/{slug}/tasks/{task_id}/comments",
    response={201: CommentOut},
    summary="Comment on a task (a claimant's comment keeps the claim alive)",
)
def post_comment(request: HttpRequest, slug: str, task_id: int, payload: PostIn) -> Any:
    return 201, comment_on(request, _task(request, slug, task_id), payload)
