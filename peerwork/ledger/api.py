"""REST endpoints of the ledger: thin faces on the actions and selectors.

Amounts are integer minor units with an ISO 4217 code. Every POST that moves money takes an
`Idempotency-Key` header: the same key again returns the first result, the same key with
another body is a 409 `idempotency-key-reused` problem.
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
from peerwork.core.errors import Invalid, NotFound
from peerwork.spaces.models import Space

from . import actions, selectors
from .models import Kind, Payout, Transaction
from .policy_schema import ledger_policy

router = Router(tags=["ledger"])

KEY_HEADER = "Idempotency-Key"


class BalanceOut(Schema):
    currency: str
    treasury: int
    reserved: int
    pending: int


class LedgerOut(Schema):
    space: str
    visibility: str
    balances: list[BalanceOut]
    approval_above: dict[str, int]
    can_manage: bool


class EntryOut(Schema):
    account: str
    user: str | None
    subject: str
    amount: int


class TransactionOut(Schema):
    id: int
    kind: str
    currency: str
    amount: int
    memo: str
    subject: str
    actor: str | None
    created_at: datetime
    reverses: int | None
    reversed: bool
    reference: str | None = Field(None, description="Stewards only.")
    note: str | None = Field(None, description="Stewards only.")
    entries: list[EntryOut] | None = Field(None, description="On one transaction only.")


def transaction_out(
    tx: Transaction, *, private: bool, reversed_ids: set[int], entries: bool = False
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": tx.pk,
        "kind": tx.kind,
        "currency": tx.currency,
        "amount": tx.amount,
        "memo": tx.memo,
        "subject": tx.subject,
        "actor": tx.actor.username if tx.actor else None,
        "created_at": tx.created_at,
        "reverses": tx.reverses_id,
        "reversed": tx.pk in reversed_ids,
        "reference": tx.reference if private else None,
        "note": tx.note if private else None,
    }
    if entries:
        data["entries"] = [
            {
                "account": entry.account.kind,
                "user": entry.account.user.username if entry.account.user else None,
                "subject": entry.account.subject,
                "amount": entry.amount,
            }
            for entry in tx.entries.all()
        ]
    return data


class PayoutLineOut(Schema):
    username: str
    amount: int


class PayoutOut(Schema):
    id: int
    kind: str
    subject: str
    currency: str
    amount: int
    state: str
    memo: str
    requested_by: str | None
    decided_by: str | None
    decided_at: datetime | None
    reason: str
    created_at: datetime
    lines: list[PayoutLineOut]
    can_decide: bool


def payout_out(request: HttpRequest, payout: Payout) -> dict[str, Any]:
    return {
        "id": payout.pk,
        "kind": payout.kind,
        "subject": payout.subject,
        "currency": payout.currency,
        "amount": payout.amount,
        "state": payout.state,
        "memo": payout.memo,
        "requested_by": payout.requested_by.username if payout.requested_by else None,
        "decided_by": payout.decided_by.username if payout.decided_by else None,
        "decided_at": payout.decided_at,
        "reason": payout.reason,
        "created_at": payout.created_at,
        "lines": [
            {"username": line.user.username, "amount": line.amount} for line in payout.lines.all()
        ],
        "can_decide": payout.state == Payout.State.AWAITING
        and policy.can(request.user, "ledger.payout.decide", payout),
    }


class EarningsLineOut(Schema):
    currency: str
    earned: int
    paid_out: int
    balance: int


class EarningsOut(Schema):
    username: str
    earnings: list[EarningsLineOut]


class TransactionFilters(Schema):
    kind: Literal[tuple(Kind.values)] | None = None  # type: ignore[valid-type]
    currency: str | None = Field(None, min_length=3, max_length=3)
    person: str | None = Field(None, max_length=150, description="A username.")
    since: date | None = Field(None, description="First day, included.")
    until: date | None = Field(None, description="Last day, included.")


class FundingIn(Input):
    amount: int = Field(..., description="Integer minor units (cents).")
    currency: str = Field(..., min_length=3, max_length=3)
    memo: str = Field("", max_length=300)
    reference: str = Field("", max_length=300)
    note: str = Field("", max_length=5000)


class DisbursementIn(Input):
    username: str = Field(..., min_length=1, max_length=150)
    amount: int = Field(..., description="Integer minor units (cents).")
    currency: str = Field(..., min_length=3, max_length=3)
    reference: str = Field("", max_length=300)
    note: str = Field("", max_length=5000)


class ReversalIn(Input):
    reason: str = Field(..., max_length=300)


class RejectionIn(Input):
    reason: str = Field(..., max_length=2000)


def _ledger(request: HttpRequest, slug: str) -> Space:
    return selectors.ledger_space(user=request.user, slug=slug)


def _key(request: HttpRequest) -> str:
    """The Idempotency-Key header, required on every POST that moves money."""
    key = request.headers.get(KEY_HEADER, "").strip()
    if not key:
        raise Invalid(
            _(
                "Send an Idempotency-Key header: any unique text, such as a UUID, sent "
                "again on retry."
            ),
            field=KEY_HEADER,
        )
    return key


def _one(request: HttpRequest, tx: Transaction, *, fetched: bool = False) -> dict[str, Any]:
    """One transaction with its entries (read again after a write, with what it shows)."""
    if not fetched:
        tx = selectors.transaction_get(space=tx.space, transaction_id=tx.pk)
    return transaction_out(
        tx,
        private=selectors.private_columns(request.user, tx.space),
        reversed_ids=selectors.reversed_ids([tx.pk]),
        entries=True,
    )


@router.get("/spaces/{slug}/ledger", response=LedgerOut, summary="A space's ledger: balances")
def get_ledger(request: HttpRequest, slug: str) -> Any:
    space = _ledger(request, slug)
    settings = ledger_policy(space)
    return {
        "space": space.slug,
        "visibility": settings.visibility,
        "balances": [vars(balance) for balance in selectors.balances(space)],
        "approval_above": settings.approval_above,
        "can_manage": policy.can(request.user, "ledger.manage", space),
    }


@router.get(
    "/spaces/{slug}/ledger/transactions",
    response=PageOf[TransactionOut],
    summary="Every transaction of a space's ledger, newest first",
)
def list_transactions(
    request: HttpRequest,
    slug: str,
    page: Query[PageParams],
    filters: Query[TransactionFilters],
) -> Any:
    space = _ledger(request, slug)
    chosen = selectors.Filters(
        kind=filters.kind or "",
        currency=(filters.currency or "").upper(),
        person=filters.person or "",
        since=filters.since,
        until=filters.until,
    )
    found = paginate(selectors.transactions(space, chosen), page)
    private = selectors.private_columns(request.user, space)
    reversed_ids = selectors.reversed_ids([tx.pk for tx in found["items"]])
    found["items"] = [
        transaction_out(tx, private=private, reversed_ids=reversed_ids) for tx in found["items"]
    ]
    return found


@router.get(
    "/spaces/{slug}/ledger/transactions/{transaction_id}",
    response=TransactionOut,
    summary="One transaction with its entries",
)
def get_transaction(request: HttpRequest, slug: str, transaction_id: int) -> Any:
    space = _ledger(request, slug)
    found = selectors.transaction_get(space=space, transaction_id=transaction_id)
    return _one(request, found, fetched=True)


@router.post(
    "/spaces/{slug}/ledger/funding",
    response={201: TransactionOut},
    summary="Record money coming into the treasury",
)
def record_funding(request: HttpRequest, slug: str, payload: FundingIn) -> Any:
    space = _ledger(request, slug)
    policy.require(request.user, "ledger.manage", space)
    tx = actions.treasury_fund(actor=request.user, space=space, key=_key(request), **payload.dict())
    return 201, _one(request, tx)


@router.post(
    "/spaces/{slug}/ledger/refunds",
    response={201: TransactionOut},
    summary="Record money given back to a funder",
)
def record_refund(request: HttpRequest, slug: str, payload: FundingIn) -> Any:
    space = _ledger(request, slug)
    policy.require(request.user, "ledger.manage", space)
    tx = actions.treasury_refund(
        actor=request.user, space=space, key=_key(request), **payload.dict()
    )
    return 201, _one(request, tx)


@router.post(
    "/spaces/{slug}/ledger/disbursements",
    response={201: TransactionOut},
    summary="Record that a person was paid what they earned",
)
def record_disbursement(request: HttpRequest, slug: str, payload: DisbursementIn) -> Any:
    space = _ledger(request, slug)
    policy.require(request.user, "ledger.manage", space)
    key = _key(request)
    data = payload.dict()
    person = selectors.person_or_none(data.pop("username"))
    if person is None:
        raise Invalid(_("There is no such person."), field="username")
    tx = actions.earnings_disburse(actor=request.user, space=space, user=person, key=key, **data)
    return 201, _one(request, tx)


@router.post(
    "/spaces/{slug}/ledger/transactions/{transaction_id}/reversal",
    response={201: TransactionOut},
    summary="Reverse a transaction with its mirror image",
)
def reverse_transaction(
    request: HttpRequest, slug: str, transaction_id: int, payload: ReversalIn
) -> Any:
    space = _ledger(request, slug)
    tx = selectors.transaction_get(space=space, transaction_id=transaction_id)
    policy.require(request.user, "ledger.manage", space)
    reversal = actions.transaction_reverse(
        actor=request.user, transaction=tx, key=_key(request), reason=payload.reason
    )
    return 201, _one(request, reversal)


class PayoutFilters(Schema):
    state: Literal["awaiting", "paid", "rejected"] | None = None


@router.get(
    "/spaces/{slug}/ledger/payouts", response=PageOf[PayoutOut], summary="A space's payouts"
)
def list_payouts(
    request: HttpRequest, slug: str, page: Query[PageParams], filters: Query[PayoutFilters]
) -> Any:
    space = _ledger(request, slug)
    return paginate(
        selectors.payouts(space, filters.state or ""),
        page,
        serialize=lambda payout: payout_out(request, payout),
    )


def _payout(request: HttpRequest, slug: str, payout_id: int) -> Payout:
    space = _ledger(request, slug)
    return selectors.payout_get(user=request.user, space=space, payout_id=payout_id)


@router.post(
    "/spaces/{slug}/ledger/payouts/{payout_id}/approval",
    response=PayoutOut,
    summary="Approve a held payout (a second steward)",
)
def approve_payout(request: HttpRequest, slug: str, payout_id: int) -> Any:
    payout = actions.payout_approve(actor=request.user, payout=_payout(request, slug, payout_id))
    return payout_out(
        request, selectors.payout_get(user=request.user, space=payout.space, payout_id=payout.pk)
    )


@router.post(
    "/spaces/{slug}/ledger/payouts/{payout_id}/rejection",
    response=PayoutOut,
    summary="Turn a held payout down, with a reason",
)
def reject_payout(request: HttpRequest, slug: str, payout_id: int, payload: RejectionIn) -> Any:
    payout = actions.payout_reject(
        actor=request.user, payout=_payout(request, slug, payout_id), reason=payload.reason
    )
    return payout_out(
        request, selectors.payout_get(user=request.user, space=payout.space, payout_id=payout.pk)
    )


@router.get(
    "/spaces/{slug}/ledger/people/{username}",
    response=EarningsOut,
    summary="What a person earned in a space, was paid, and is owed",
)
def get_earnings(request: HttpRequest, slug: str, username: str) -> Any:
    space = _ledger(request, slug)
    person = selectors.person_or_none(username)
    if person is None:
        raise NotFound()
    return {
        "username": person.username,
        "earnings": [vars(line) for line in selectors.earnings(space, person)],
    }
