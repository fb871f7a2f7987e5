"""Every movement of money, each one named action; `_post` is the only code that writes entries.

Each movement takes an idempotency key, unique in the space (Stripe's rule): the same key with
the same request returns the first result, the same key with another request is refused, so a
retried request or a double click never pays twice. Writes of one space's ledger are serialized
by locking the space row, so a balance read under the lock is the balance the entry lands on.

The movements that tasks, challenges and ideas make (`funds_reserve`, `funds_release`,
`payout_create`) check no permission themselves: they run inside those apps' actions, which
have already asked the policy whether the person may post, award or approve.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import F, Model
from django.utils import timezone
from django.utils.translation import gettext as _

from peerwork.activity.recorder import notify, record
from peerwork.core import policy
from peerwork.core.errors import Conflict, Forbidden, InsufficientFunds, Invalid, KeyReused
from peerwork.core.money import format_money, known_currency
from peerwork.spaces.models import Space

from .models import Account, AccountKind, Entry, Kind, Payout, PayoutLine, Transaction
from .policy_schema import ledger_policy

MEMO_LIMIT = 300
KEY_LIMIT = 200


def subject_of(obj: Model | str) -> str:
    """ "tasks.task:7": what a reservation or a payout is for."""
    if isinstance(obj, str):
        return obj
    meta = obj._meta
    return f"{meta.app_label}.{meta.model_name}:{obj.pk}"


def request_hash(request: dict[str, Any]) -> str:
    text = json.dumps(request, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _clean_key(key: str) -> str:
    key = (key or "").strip()
    if not key:
        raise Invalid(
            _("Give an idempotency key: any unique text, such as a UUID, sent again on retry."),
            field="key",
        )
    if len(key) > KEY_LIMIT:
        raise Invalid(
            _("An idempotency key has at most %(limit)s characters.") % {"limit": KEY_LIMIT},
            field="key",
        )
    return key


def _clean_amount(amount: Any, field: str = "amount") -> int:
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise Invalid(_("An amount is a whole number of minor units (cents)."), field=field)
    if amount <= 0:
        raise Invalid(_("An amount must be more than zero."), field=field)
    return amount


def _clean_currency(currency: str) -> str:
    currency = (currency or "").strip().upper()
    if not known_currency(currency):
        raise Invalid(
            _("'%(code)s' is not a currency code; use ISO 4217, such as EUR or USD.")
            % {"code": currency},
            field="currency",
        )
    return currency


def _clean_text(value: str, field: str, limit: int) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise Invalid(
            _("At most %(limit)s characters.") % {"limit": limit},
            field=field,
        )
    return value


def _lock(space: Space) -> Space:
    """Serialize this space's ledger writes (PostgreSQL waits here; SQLite already holds its
    single write lock for the whole transaction)."""
    return Space.objects.select_for_update().get(pk=space.pk)


def account(
    space: Space,
    kind: str,
    currency: str,
    *,
    user: Any = None,
    subject: str = "",
) -> Account:
    """The account, created empty on first use (call under the space's lock)."""
    if kind == AccountKind.EARNINGS:
        found, _created = Account.objects.get_or_create(
            space=space, kind=kind, currency=currency, user=user
        )
    else:
        found, _created = Account.objects.get_or_create(
            space=space, kind=kind, currency=currency, subject=subject, user=None
        )
    return found


def _replayed(space: Space, key: str, digest: str) -> Transaction | None:
    earlier = Transaction.objects.filter(space=space, key=key).first()
    if earlier is None:
        return None
    if earlier.request_hash != digest:
        raise KeyReused(
            _(
                "The idempotency key '%(key)s' was first used for a different request; "
                "use a new key for a new request."
            )
            % {"key": key}
        )
    return earlier


def _entry_label(entry_account: Account) -> dict[str, Any]:
    return {
        "account": entry_account.kind,
        "user": entry_account.user_id,
        "subject": entry_account.subject,
    }


def _post(
    *,
    space: Space,
    kind: str,
    currency: str,
    lines: Sequence[tuple[Account, int]],
    actor: Any,
    key: str,
    digest: str,
    memo: str = "",
    reference: str = "",
    note: str = "",
    subject: str = "",
    reverses: Transaction | None = None,
) -> Transaction:
    """Write one balanced transaction, its entries and the cached balances, and record it in
    the space's activity chain. The caller holds the space's lock and checked the key."""
    merged: dict[int, tuple[Account, int]] = {}
    for line_account, amount in lines:
        if line_account.currency != currency:
            raise RuntimeError("an entry in another currency than its transaction")
        earlier = merged.get(line_account.pk, (line_account, 0))[1]
        merged[line_account.pk] = (line_account, earlier + amount)
    moves = [(a, amount) for a, amount in merged.values() if amount]
    if sum(amount for _a, amount in moves) != 0:
        raise RuntimeError("a transaction's entries must sum to zero")
    total = sum(amount for _a, amount in moves if amount > 0)
    for line_account, amount in moves:
        line_account.refresh_from_db(fields=["balance"])
        if line_account.kind != AccountKind.EXTERNAL and line_account.balance + amount < 0:
            raise InsufficientFunds(
                _("%(account)s holds %(balance)s; %(amount)s cannot come out of it.")
                % {
                    "account": AccountKind(line_account.kind).label,
                    "balance": format_money(line_account.balance, currency),
                    "amount": format_money(-amount, currency),
                }
            )
    tx = Transaction(
        space=space,
        kind=kind,
        currency=currency,
        amount=total,
        memo=memo,
        reference=reference,
        note=note,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        subject=subject,
        key=key,
        request_hash=digest,
        reverses=reverses,
        created_at=timezone.now(),
    )
    tx.save(force_insert=True)
    Entry.objects.bulk_create(
        Entry(transaction=tx, account=line_account, amount=amount) for line_account, amount in moves
    )
    for line_account, amount in moves:
        Account.objects.filter(pk=line_account.pk).update(balance=F("balance") + amount)
    record(
        actor=tx.actor,
        verb=f"ledger:{kind}",
        target=tx,
        space=space,
        data=event_data(tx, [(a, amount) for a, amount in moves]),
    )
    return tx


def event_data(tx: Transaction, moves: Sequence[tuple[Account, int]]) -> dict[str, Any]:
    """What the activity chain holds of a transaction: every public fact, and so every amount
    (`ledger verify` compares the rows with it)."""
    return {
        "kind": tx.kind,
        "currency": tx.currency,
        "amount": tx.amount,
        "memo": tx.memo,
        "subject": tx.subject,
        "reverses": tx.reverses_id,
        "entries": sorted(
            ({**_entry_label(a), "amount": amount} for a, amount in moves),
            key=lambda e: (e["account"], e["user"] or 0, e["subject"], e["amount"]),
        ),
    }


# ---- money in and out of the space ---------------------------------------------------------


@transaction.atomic
def treasury_fund(
    *,
    actor: Any,
    space: Space,
    amount: int,
    currency: str,
    key: str,
    memo: str = "",
    reference: str = "",
    note: str = "",
    kind: str = Kind.FUNDING,
    subject: str = "",
) -> Transaction:
    """Money into the treasury from outside: a grant, a sponsor, an idea's revenue."""
    person = policy.require_person(actor, "ledger.manage", space)
    amount, currency = _clean_amount(amount), _clean_currency(currency)
    key = _clean_key(key)
    memo = _clean_text(memo, "memo", MEMO_LIMIT)
    reference = _clean_text(reference, "reference", MEMO_LIMIT)
    note = _clean_text(note, "note", 5000)
    digest = request_hash(
        {
            "op": "fund",
            "kind": kind,
            "amount": amount,
            "currency": currency,
            "memo": memo,
            "reference": reference,
            "note": note,
            "subject": subject,
        }
    )
    space = _lock(space)
    if earlier := _replayed(space, key, digest):
        return earlier
    return _post(
        space=space,
        kind=kind,
        currency=currency,
        lines=[
            (account(space, AccountKind.EXTERNAL, currency), -amount),
            (account(space, AccountKind.TREASURY, currency), amount),
        ],
        actor=person,
        key=key,
        digest=digest,
        memo=memo,
        reference=reference,
        note=note,
        subject=subject,
    )


@transaction.atomic
def treasury_refund(
    *,
    actor: Any,
    space: Space,
    amount: int,
    currency: str,
    key: str,
    memo: str = "",
    reference: str = "",
    note: str = "",
) -> Transaction:
    """Money back from the treasury to a funder outside the space."""
    person = policy.require_person(actor, "ledger.manage", space)
    amount, currency = _clean_amount(amount), _clean_currency(currency)
    key = _clean_key(key)
    memo = _clean_text(memo, "memo", MEMO_LIMIT)
    reference = _clean_text(reference, "reference", MEMO_LIMIT)
    note = _clean_text(note, "note", 5000)
    digest = request_hash(
        {
            "op": "refund",
            "amount": amount,
            "currency": currency,
            "memo": memo,
            "reference": reference,
            "note": note,
        }
    )
    space = _lock(space)
    if earlier := _replayed(space, key, digest):
        return earlier
    return _post(
        space=space,
        kind=Kind.REFUND,
        currency=currency,
        lines=[
            (account(space, AccountKind.TREASURY, currency), -amount),
            (account(space, AccountKind.EXTERNAL, currency), amount),
        ],
        actor=person,
        key=key,
        digest=digest,
        memo=memo,
        reference=reference,
        note=note,
    )


@transaction.atomic
def earnings_disburse(
    *,
    actor: Any,
    space: Space,
    user: Any,
    amount: int,
    currency: str,
    key: str,
    reference: str = "",
    note: str = "",
) -> Transaction:
    """Record that a person was paid what they earned (by bank transfer, outside peerwork):
    their earnings go down by the amount. The receipt stays private in `reference`."""
    person = policy.require_person(actor, "ledger.manage", space)
    if person.pk == getattr(user, "pk", None):
        raise Forbidden(_("Another steward records a payment to you; nobody pays themselves."))
    amount, currency = _clean_amount(amount), _clean_currency(currency)
    key = _clean_key(key)
    reference = _clean_text(reference, "reference", MEMO_LIMIT)
    note = _clean_text(note, "note", 5000)
    digest = request_hash(
        {
            "op": "disburse",
            "user": user.pk,
            "amount": amount,
            "currency": currency,
            "reference": reference,
            "note": note,
        }
    )
    space = _lock(space)
    if earlier := _replayed(space, key, digest):
        return earlier
    return _post(
        space=space,
        kind=Kind.DISBURSEMENT,
        currency=currency,
        lines=[
            (account(space, AccountKind.EARNINGS, currency, user=user), -amount),
            (account(space, AccountKind.EXTERNAL, currency), amount),
        ],
        actor=person,
        key=key,
        digest=digest,
        memo=_("Paid out to %(name)s") % {"name": user.username},
        reference=reference,
        note=note,
    )


# ---- reservations: a prize or a bounty is never promised without the funds ------------------


@transaction.atomic
def funds_reserve(
    *,
    space: Space,
    actor: Any,
    subject: Model | str,
    amount: int,
    currency: str,
    key: str,
    memo: str = "",
) -> Transaction:
    """Set money of the treasury aside for one task or challenge; InsufficientFunds (and
    nothing written) when the treasury holds less."""
    amount, currency = _clean_amount(amount), _clean_currency(currency)
    key, label = _clean_key(key), subject_of(subject)
    memo = _clean_text(memo, "memo", MEMO_LIMIT)[:MEMO_LIMIT]
    digest = request_hash(
        {"op": "reserve", "subject": label, "amount": amount, "currency": currency}
    )
    space = _lock(space)
    if earlier := _replayed(space, key, digest):
        return earlier
    treasury = account(space, AccountKind.TREASURY, currency)
    treasury.refresh_from_db(fields=["balance"])
    if treasury.balance < amount:
        raise InsufficientFunds(
            _(
                "The treasury holds %(balance)s, less than the %(amount)s to set aside; "
                "a steward funds the treasury first."
            )
            % {
                "balance": format_money(treasury.balance, currency),
                "amount": format_money(amount, currency),
            },
            field="amount",
        )
    return _post(
        space=space,
        kind=Kind.RESERVE,
        currency=currency,
        lines=[
            (treasury, -amount),
            (account(space, AccountKind.RESERVE, currency, subject=label), amount),
        ],
        actor=actor,
        key=key,
        digest=digest,
        memo=memo,
        subject=label,
    )


def reserved(space: Space, subject: Model | str) -> dict[str, int]:
    """{currency: minor units} still set aside for `subject`."""
    return dict(
        Account.objects.filter(
            space=space, kind=AccountKind.RESERVE, subject=subject_of(subject), balance__gt=0
        ).values_list("currency", "balance")
    )


@transaction.atomic
def funds_release(
    *,
    space: Space,
    actor: Any,
    subject: Model | str,
    key: str,
    memo: str = "",
) -> Transaction | None:
    """Give back to the treasury whatever is still set aside for `subject` (a cancelled task,
    a withdrawn challenge, the unawarded places); None when nothing is left."""
    key, label = _clean_key(key), subject_of(subject)
    memo = _clean_text(memo, "memo", MEMO_LIMIT)[:MEMO_LIMIT]
    digest = request_hash({"op": "release", "subject": label})
    space = _lock(space)
    if earlier := _replayed(space, key, digest):
        return earlier
    released = None
    held = Account.objects.filter(
        space=space, kind=AccountKind.RESERVE, subject=label, balance__gt=0
    ).order_by("currency")
    for index, reserve in enumerate(held):
        released = _post(
            space=space,
            kind=Kind.RELEASE,
            currency=reserve.currency,
            lines=[
                (reserve, -reserve.balance),
                (account(space, AccountKind.TREASURY, reserve.currency), reserve.balance),
            ],
            actor=actor,
            key=key if index == 0 else f"{key}:{reserve.currency}",
            digest=digest,
            memo=memo,
            subject=label,
        )
    return released


# ---- payouts ------------------------------------------------------------------------------


def _payout_replayed(space: Space, key: str, digest: str) -> Payout | None:
    earlier = Payout.objects.filter(space=space, key=key).first()
    if earlier is None:
        return None
    if earlier.request_hash != digest:
        raise KeyReused(
            _(
                "The idempotency key '%(key)s' was first used for a different payout; "
                "use a new key for a new payout."
            )
            % {"key": key}
        )
    return earlier


@transaction.atomic
def payout_create(
    *,
    space: Space,
    actor: Any,
    subject: Model | str,
    kind: str,
    to: Sequence[tuple[Any, int]],
    currency: str,
    key: str,
    memo: str = "",
    from_treasury: bool = False,
) -> Payout:
    """Pay people their part for `subject`, out of its reservation (or the treasury).

    Over the space's `approval_above` limit the money moves to pending payouts and waits for a
    second steward (neither the one who asked nor a payee) to approve it.
    """
    if kind not in {Kind.BOUNTY, Kind.PRIZE, Kind.REVENUE_SHARE}:
        raise ValueError(f"{kind!r} is not a kind of payout")
    currency = _clean_currency(currency)
    key, label = _clean_key(key), subject_of(subject)
    memo = _clean_text(memo, "memo", MEMO_LIMIT)[:MEMO_LIMIT]
    parts: dict[int, tuple[Any, int]] = {}
    for person, amount in to:
        if amount:
            _clean_amount(amount)
            earlier_amount = parts.get(person.pk, (person, 0))[1]
            parts[person.pk] = (person, earlier_amount + amount)
    total = sum(amount for _person, amount in parts.values())
    if not total:
        raise Invalid(_("A payout pays someone something."), field="to")
    digest = request_hash(
        {
            "op": "payout",
            "kind": kind,
            "subject": label,
            "currency": currency,
            "to": sorted([pk, amount] for pk, (_p, amount) in parts.items()),
            "from_treasury": from_treasury,
        }
    )
    space = _lock(space)
    if earlier := _payout_replayed(space, key, digest):
        return earlier
    source = (
        account(space, AccountKind.TREASURY, currency)
        if from_treasury
        else account(space, AccountKind.RESERVE, currency, subject=label)
    )
    limit = ledger_policy(space).approval_above.get(currency)
    held = limit is not None and total > limit
    if held:
        lines = [(source, -total), (account(space, AccountKind.PENDING, currency), total)]
    else:
        lines = [(source, -total)] + [
            (account(space, AccountKind.EARNINGS, currency, user=person), amount)
            for person, amount in parts.values()
        ]
    funded = _post(
        space=space,
        kind=Kind.HOLD if held else kind,
        currency=currency,
        lines=lines,
        actor=actor,
        key=key,
        digest=digest,
        memo=memo,
        subject=label,
    )
    payout = Payout.objects.create(
        space=space,
        kind=kind,
        subject=label,
        currency=currency,
        amount=total,
        state=Payout.State.AWAITING if held else Payout.State.PAID,
        memo=memo,
        requested_by=actor if getattr(actor, "is_authenticated", False) else None,
        key=key,
        request_hash=digest,
        source=source,
        funded_by=funded,
    )
    PayoutLine.objects.bulk_create(
        PayoutLine(payout=payout, user=person, amount=amount) for person, amount in parts.values()
    )
    return payout


def _lock_payout(payout: Payout) -> Payout:
    _lock(payout.space)
    return Payout.objects.select_related("space", "source").get(pk=payout.pk)


@transaction.atomic
def payout_approve(*, actor: Any, payout: Payout) -> Payout:
    """A second steward pays a held payout; nobody approves a payout to themselves or one
    they asked for."""
    person = policy.require_person(actor, "ledger.payout.decide", payout)
    payout = _lock_payout(payout)
    if payout.state != Payout.State.AWAITING:
        raise Conflict(
            _("This payout is already %(state)s.") % {"state": Payout.State(payout.state).label}
        )
    lines = list(payout.lines.select_related("user"))
    if any(line.user_id == person.pk for line in lines):
        raise Forbidden(_("You are paid by this payout; another steward approves it."))
    if payout.requested_by_id == person.pk:
        raise Forbidden(_("You asked for this payout; a second steward approves it."))
    space, currency = payout.space, payout.currency
    settled = _post(
        space=space,
        kind=payout.kind,
        currency=currency,
        lines=[(account(space, AccountKind.PENDING, currency), -payout.amount)]
        + [
            (account(space, AccountKind.EARNINGS, currency, user=line.user), line.amount)
            for line in lines
        ],
        actor=person,
        key=f"{payout.key}:approved",
        digest=request_hash({"op": "approve", "payout": payout.pk}),
        memo=payout.memo,
        subject=payout.subject,
    )
    Payout.objects.filter(pk=payout.pk).update(
        state=Payout.State.PAID, decided_by=person, decided_at=timezone.now(), settled_by=settled
    )
    payout.refresh_from_db()
    event = _payout_event(person, payout, "ledger:payout_approved")
    notify(users=[line.user_id for line in lines], event=event)
    return payout


@transaction.atomic
def payout_reject(*, actor: Any, payout: Payout, reason: str) -> Payout:
    """A steward turns a held payout down with a reason; the money goes back where it was."""
    person = policy.require_person(actor, "ledger.payout.decide", payout)
    reason = _clean_text(reason, "reason", 2000)
    if not reason:
        raise Invalid(_("Say why the payout is turned down."), field="reason")
    payout = _lock_payout(payout)
    if payout.state != Payout.State.AWAITING:
        raise Conflict(
            _("This payout is already %(state)s.") % {"state": Payout.State(payout.state).label}
        )
    space, currency = payout.space, payout.currency
    settled = _post(
        space=space,
        kind=Kind.RELEASE,
        currency=currency,
        lines=[
            (account(space, AccountKind.PENDING, currency), -payout.amount),
            (payout.source, payout.amount),
        ],
        actor=person,
        key=f"{payout.key}:rejected",
        digest=request_hash({"op": "reject", "payout": payout.pk}),
        memo=payout.memo,
        subject=payout.subject,
    )
    Payout.objects.filter(pk=payout.pk).update(
        state=Payout.State.REJECTED,
        decided_by=person,
        decided_at=timezone.now(),
        settled_by=settled,
        reason=reason,
    )
    payout.refresh_from_db()
    event = _payout_event(person, payout, "ledger:payout_rejected")
    notify(users=[line.user_id for line in payout.lines.all()], event=event)
    return payout


def _payout_event(person: Any, payout: Payout, verb: str) -> Any:
    return record(
        actor=person,
        verb=verb,
        target=payout,
        space=payout.space,
        data={
            "kind": payout.kind,
            "subject": payout.subject,
            "currency": payout.currency,
            "amount": payout.amount,
            "state": payout.state,
        },
    )


# ---- corrections ---------------------------------------------------------------------------


@transaction.atomic
def transaction_reverse(
    *, actor: Any, transaction: Transaction, key: str, reason: str
) -> Transaction:
    """Undo a transaction with its mirror image: rows are never changed, a correction is a new
    row. A reversal cannot itself be reversed (post a new transaction instead), and a
    transaction is reversed at most once."""
    tx = transaction
    person = policy.require_person(actor, "ledger.manage", tx.space)
    key = _clean_key(key)
    reason = _clean_text(reason, "reason", MEMO_LIMIT)
    if not reason:
        raise Invalid(_("Say why the transaction is reversed."), field="reason")
    digest = request_hash({"op": "reverse", "transaction": tx.pk, "reason": reason})
    space = _lock(tx.space)
    if earlier := _replayed(space, key, digest):
        return earlier
    if tx.reverses_id is not None:
        raise Conflict(_("A reversal is not reversed; record a new transaction instead."))
    if Transaction.objects.filter(reverses=tx).exists():
        raise Conflict(_("This transaction is already reversed."))
    entries = list(tx.entries.select_related("account"))
    return _post(
        space=space,
        kind=Kind.REVERSAL,
        currency=tx.currency,
        lines=[(entry.account, -entry.amount) for entry in entries],
        actor=person,
        key=key,
        digest=digest,
        memo=reason,
        subject=tx.subject,
        reverses=tx,
    )
