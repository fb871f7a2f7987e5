"""REST endpoints of credit: thin faces on the selectors and actions (docs/credit.md).

Scores are fractions of the walk; shares are basis points that add up to 10,000. Starting a
distribution takes an `Idempotency-Key` header, as every movement of money does.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from peerwork.core import policy
from peerwork.core.api import Input, PageOf, PageParams, paginate
from peerwork.core.errors import Invalid

from . import actions, compute, selectors
from .models import Distribution, Epoch
from .words import describe_part

router = Router(tags=["credit"])

KEY_HEADER = "Idempotency-Key"
CreditMethod = Literal["immediate", "recent", "balanced"]


class CreditParams(Schema):
    method: CreditMethod = "immediate"
    period_end: date | None = Field(None, description="The period's last day (UTC); today.")


class PersonCreditOut(Schema):
    username: str
    score: float
    share_basis_points: int


class CreditOut(Schema):
    space: str
    method: str
    period_start: datetime
    period_end: datetime
    people: list[PersonCreditOut]


class PartOut(Schema):
    node: str
    kind: str
    name: str
    text: str
    relations: list[str]
    basis_points: int
    value: float | None = Field(None, description="The part's exact value (computed parts).")
    note: str | None = None
    points: int | None = None
    count: int | None = None


class ExplanationOut(Schema):
    username: str
    method: str
    period_start: datetime
    period_end: datetime
    score: float
    share_basis_points: int
    parts: list[PartOut]


class WhatIfIn(Input):
    weights: dict[str, int] = Field(
        ..., description='Weights to change, such as {"nodes.revision": 10, "edges.links_to": 0}.'
    )
    period_end: date | None = None


class WhatIfRowOut(Schema):
    username: str
    before: int
    after: int
    change: int


class WhatIfOut(Schema):
    weights: dict[str, int]
    people: list[WhatIfRowOut]


class ShareOut(Schema):
    username: str
    amount: int
    weight: float
    parts: list[PartOut]
    paid_before: int | None = None


class DistributionOut(Schema):
    id: int
    method: str
    currency: str
    amount: int
    period_start: datetime
    period_end: datetime
    epoch: int | None
    memo: str
    created_by: str
    created_at: datetime
    payout_state: str | None
    shares: list[ShareOut] | None = Field(None, description="On one distribution only.")


class DistributionIn(Input):
    method: Literal["immediate", "recent", "balanced", "peer"]
    amount: int = Field(..., description="Integer minor units (cents).")
    currency: str = Field(..., min_length=3, max_length=3)
    period_end: date | None = Field(None, description="Last day of the period paid; today.")
    epoch: int | None = Field(None, description="The closed epoch whose points pay (peer).")
    memo: str = Field("", max_length=300)


class AllocationOut(Schema):
    giver: str
    receiver: str
    points: int
    note: str


class ReceivedOut(Schema):
    username: str
    points: int


class EpochOut(Schema):
    id: int
    title: str
    points: int
    state: str
    opened_at: datetime
    closed_at: datetime | None
    allocations: list[AllocationOut] | None = None
    received: list[ReceivedOut] | None = None


class EpochIn(Input):
    title: str = Field(..., min_length=1, max_length=200)


class PointsIn(Input):
    username: str = Field(..., min_length=1, max_length=150)
    points: int = Field(..., ge=0)
    note: str = Field("", max_length=500)


def _space(request: HttpRequest, slug: str) -> Any:
    return selectors.credit_space(user=request.user, slug=slug)


def _part(part: dict[str, Any]) -> dict[str, Any]:
    return {**part, "text": describe_part(part)}


@router.get("/spaces/{slug}/credit", response=CreditOut, summary="Everyone's credit in a period")
def get_credit(request: HttpRequest, slug: str, params: Query[CreditParams]) -> Any:
    space = _space(request, slug)
    result = selectors.credit_of(
        space, period_end=compute.end_of(params.period_end), method=params.method
    )
    shares = compute.shares_in_basis_points(result)
    return {
        "space": space.slug,
        "method": result.method,
        "period_start": result.period.start,
        "period_end": result.period.end,
        "people": [
            {"username": result.names[user], "score": score, "share_basis_points": shares[user]}
            for user, score in result.ordered()
        ],
    }


@router.get(
    "/spaces/{slug}/credit/people/{username}",
    response=ExplanationOut,
    summary="Why a person has their credit: every part, from which contribution",
)
def get_explanation(
    request: HttpRequest, slug: str, username: str, params: Query[CreditParams]
) -> Any:
    space = _space(request, slug)
    person = selectors.person_get(username)
    result = selectors.credit_of(
        space, period_end=compute.end_of(params.period_end), method=params.method
    )
    shares = compute.shares_in_basis_points(result)
    return {
        "username": person.username,
        "method": result.method,
        "period_start": result.period.start,
        "period_end": result.period.end,
        "score": result.scores.get(person.pk, 0.0),
        "share_basis_points": shares.get(person.pk, 0),
        "parts": [_part({**vars(part)}) for part in result.parts(person.pk)],
    }


@router.post(
    "/spaces/{slug}/credit/what-if",
    response=WhatIfOut,
    summary="Everyone's share if some weights were different (nothing is saved)",
)
def post_what_if(request: HttpRequest, slug: str, payload: WhatIfIn) -> Any:
    space = _space(request, slug)
    result = selectors.what_if(
        space, changes=payload.weights, period_end=compute.end_of(payload.period_end)
    )
    return {
        "weights": result.changes,
        "people": [
            {"username": name, "before": before, "after": after, "change": change}
            for name, before, after, change in result.rows()
        ],
    }


def distribution_out(distribution: Distribution, *, shares: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": distribution.pk,
        "method": distribution.method,
        "currency": distribution.currency,
        "amount": distribution.amount,
        "period_start": distribution.period_start,
        "period_end": distribution.period_end,
        "epoch": distribution.epoch_id,
        "memo": distribution.memo,
        "created_by": distribution.created_by.username,
        "created_at": distribution.created_at,
        "payout_state": distribution.payout.state if distribution.payout else None,
    }
    if shares:
        data["shares"] = [
            {
                "username": share.user.username,
                "amount": share.amount,
                "weight": share.weight,
                "parts": [_part(part) for part in share.explanation.get("parts", [])],
                "paid_before": share.explanation.get("paid_before"),
            }
            for share in selectors.shares(distribution)
        ]
    return data


@router.get(
    "/spaces/{slug}/credit/distributions",
    response=PageOf[DistributionOut],
    summary="A space's distributions by credit, newest first",
)
def list_distributions(request: HttpRequest, slug: str, page: Query[PageParams]) -> Any:
    space = _space(request, slug)
    return paginate(
        selectors.distributions(user=request.user, space=space),
        page,
        serialize=distribution_out,
    )


@router.get(
    "/spaces/{slug}/credit/distributions/{distribution_id}",
    response=DistributionOut,
    summary="One distribution with every share and its explanation",
)
def get_distribution(request: HttpRequest, slug: str, distribution_id: int) -> Any:
    space = _space(request, slug)
    found = selectors.distribution_get(
        user=request.user, space=space, distribution_id=distribution_id
    )
    return distribution_out(found, shares=True)


@router.post(
    "/spaces/{slug}/credit/distributions",
    response={201: DistributionOut},
    summary="Split a budget of the treasury by credit and pay it through the ledger",
)
def create_distribution(request: HttpRequest, slug: str, payload: DistributionIn) -> Any:
    space = _space(request, slug)
    policy.require(request.user, "credit.distribute", space)
    key = request.headers.get(KEY_HEADER, "").strip()
    if not key:
        raise Invalid(
            _(
                "Send an Idempotency-Key header: any unique text, such as a UUID, sent "
                "again on retry."
            ),
            field=KEY_HEADER,
        )
    epoch = (
        selectors.epoch_get(user=request.user, space=space, epoch_id=payload.epoch)
        if payload.epoch is not None
        else None
    )
    distribution = actions.distribution_create(
        actor=request.user,
        space=space,
        method=payload.method,
        amount=payload.amount,
        currency=payload.currency,
        key=key,
        period_end=compute.end_of(payload.period_end),
        epoch=epoch,
        memo=payload.memo,
    )
    found = selectors.distribution_get(
        user=request.user, space=space, distribution_id=distribution.pk
    )
    return 201, distribution_out(found, shares=True)


def epoch_out(epoch: Epoch, *, full: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": epoch.pk,
        "title": epoch.title,
        "points": epoch.points,
        "state": epoch.state,
        "opened_at": epoch.opened_at,
        "closed_at": epoch.closed_at,
    }
    if full:
        data["allocations"] = [
            {
                "giver": row.giver.username,
                "receiver": row.receiver.username,
                "points": row.points,
                "note": row.note,
            }
            for row in selectors.allocations(epoch)
        ]
        data["received"] = [
            {"username": name, "points": points} for name, points in selectors.received(epoch)
        ]
    return data


@router.get(
    "/spaces/{slug}/credit/epochs",
    response=PageOf[EpochOut],
    summary="A space's peer allocation epochs, newest first",
)
def list_epochs(request: HttpRequest, slug: str, page: Query[PageParams]) -> Any:
    space = _space(request, slug)
    return paginate(selectors.epochs(user=request.user, space=space), page, serialize=epoch_out)


@router.get(
    "/spaces/{slug}/credit/epochs/{epoch_id}",
    response=EpochOut,
    summary="One epoch with the points given and received",
)
def get_epoch(request: HttpRequest, slug: str, epoch_id: int) -> Any:
    space = _space(request, slug)
    return epoch_out(
        selectors.epoch_get(user=request.user, space=space, epoch_id=epoch_id), full=True
    )


@router.post(
    "/spaces/{slug}/credit/epochs", response={201: EpochOut}, summary="Open a peer allocation epoch"
)
def open_epoch(request: HttpRequest, slug: str, payload: EpochIn) -> Any:
    space = _space(request, slug)
    epoch = actions.epoch_open(actor=request.user, space=space, title=payload.title)
    return 201, epoch_out(epoch, full=True)


@router.post(
    "/spaces/{slug}/credit/epochs/{epoch_id}/allocations",
    response=EpochOut,
    summary="Give a member points in an open epoch (0 takes them back)",
)
def give_points(request: HttpRequest, slug: str, epoch_id: int, payload: PointsIn) -> Any:
    space = _space(request, slug)
    epoch = selectors.epoch_get(user=request.user, space=space, epoch_id=epoch_id)
    policy.require(request.user, "credit.epoch.give", epoch)
    receiver = selectors.person_or_none(payload.username)
    if receiver is None:
        raise Invalid(_("There is no such person."), field="username")
    actions.points_give(
        actor=request.user, epoch=epoch, receiver=receiver, points=payload.points, note=payload.note
    )
    epoch.refresh_from_db()
    return epoch_out(epoch, full=True)


@router.post(
    "/spaces/{slug}/credit/epochs/{epoch_id}/closing",
    response=EpochOut,
    summary="Close an epoch: points not given vanish",
)
def close_epoch(request: HttpRequest, slug: str, epoch_id: int) -> Any:
    space = _space(request, slug)
    epoch = selectors.epoch_get(user=request.user, space=space, epoch_id=epoch_id)
    return epoch_out(actions.epoch_close(actor=request.user, epoch=epoch), full=True)
