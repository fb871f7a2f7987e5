"""Reads of a space's ledger, already narrowed to what the viewer may see.

Pages, the API, the CSV and the chart all read through here, so the private columns
(reference, note) have one door: `private_columns`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from peerwork.accounts.models import User
from peerwork.core import policy
from peerwork.core.errors import NotFound
from peerwork.spaces.models import Space
from peerwork.spaces.selectors import space_get_visible

from .models import Account, AccountKind, Entry, Kind, Payout, Transaction

#: Kinds that bring money into the space, and kinds that send it out; the rest move it inside.
MONEY_IN = (Kind.FUNDING, Kind.REVENUE)
MONEY_OUT = (Kind.REFUND, Kind.DISBURSEMENT)


def ledger_space(*, user: Any, slug: str) -> Space:
    """The space, if the viewer may read both it and its ledger (404 otherwise)."""
    space = space_get_visible(user=user, slug=slug)
    policy.require(user, "ledger.view", space)
    return space


def private_columns(user: Any, space: Space) -> bool:
    """References and notes: stewards only (grant numbers, invoices, receipts)."""
    return policy.can(user, "ledger.view_private", space)


@dataclass
class Balance:
    currency: str
    treasury: int = 0
    reserved: int = 0
    pending: int = 0


def balances(space: Space) -> list[Balance]:
    """Per currency: what the treasury holds, what is set aside, what waits for approval."""
    found: dict[str, Balance] = {}
    rows = (
        Account.objects.filter(
            space=space, kind__in=[AccountKind.TREASURY, AccountKind.RESERVE, AccountKind.PENDING]
        )
        .values("currency", "kind")
        .annotate(total=Sum("balance"))
        .order_by("currency", "kind")
    )
    for row in rows:
        balance = found.setdefault(row["currency"], Balance(row["currency"]))
        name = "reserved" if row["kind"] == AccountKind.RESERVE else row["kind"]
        setattr(balance, name, int(row["total"] or 0))
    return [found[currency] for currency in sorted(found)]


@dataclass(frozen=True)
class Filters:
    kind: str = ""
    currency: str = ""
    person: str = ""
    since: date | None = None
    until: date | None = None

    def query(self) -> dict[str, str]:
        """As the query string that produced them (for links to the next page and the CSV)."""
        values = {
            "kind": self.kind,
            "currency": self.currency,
            "person": self.person,
            "since": self.since.isoformat() if self.since else "",
            "until": self.until.isoformat() if self.until else "",
        }
        return {key: value for key, value in values.items() if value}


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def filters_from(data: Any) -> Filters:
    """Filters from a query string; an unknown kind or a bad date reads as no filter."""
    kind = (data.get("kind") or "").strip()
    return Filters(
        kind=kind if kind in Kind.values else "",
        currency=(data.get("currency") or "").strip().upper()[:3],
        person=(data.get("person") or "").strip()[:150],
        since=_day(data.get("since")),
        until=_day(data.get("until")),
    )


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def transactions(space: Space, filters: Filters | None = None) -> QuerySet[Transaction]:
    """Every transaction of the space, newest first, with its actor; filtered by kind,
    currency, the person whose earnings it touches, and a date range (both days included)."""
    filters = filters or Filters()
    rows = Transaction.objects.filter(space=space).select_related("actor")
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.currency:
        rows = rows.filter(currency=filters.currency)
    if filters.person:
        touched = Entry.objects.filter(
            account__space=space,
            account__kind=AccountKind.EARNINGS,
            account__user__username=filters.person,
        ).values("transaction_id")
        rows = rows.filter(Q(pk__in=touched) | Q(actor__username=filters.person))
    if filters.since:
        rows = rows.filter(created_at__gte=_start_of(filters.since))
    if filters.until:
        rows = rows.filter(created_at__lt=_start_of(filters.until) + timedelta(days=1))
    return rows.order_by("-pk")


def transaction_get(*, space: Space, transaction_id: int) -> Transaction:
    found = (
        Transaction.objects.filter(space=space, pk=transaction_id)
        .select_related("actor", "reverses")
        .prefetch_related("entries__account__user")
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def reversal_of(tx: Transaction) -> Transaction | None:
    return Transaction.objects.filter(reverses=tx).first()


def reversed_ids(ids: list[int]) -> set[int]:
    """Which of these transactions a later one reverses (one query for a page of rows)."""
    return set(
        Transaction.objects.filter(reverses_id__in=ids).values_list("reverses_id", flat=True)
    )


def payouts(space: Space, state: str = "") -> QuerySet[Payout]:
    rows = Payout.objects.filter(space=space).select_related("space", "requested_by", "decided_by")
    if state:
        rows = rows.filter(state=state)
    return rows.prefetch_related("lines__user").order_by("-pk")


def payout_get(*, user: Any, space: Space, payout_id: int) -> Payout:
    found = payouts(space).filter(pk=payout_id).select_related("space").first()
    if found is None:
        raise NotFound()
    policy.require(user, "ledger.payout.view", found)
    return found


def person_or_none(username: str) -> User | None:
    return User.objects.filter(username=username).first()


@dataclass
class Earnings:
    currency: str
    earned: int = 0
    paid_out: int = 0
    balance: int = 0


def earnings(space: Space, person: User) -> list[Earnings]:
    """Per currency: what the person earned here, what was paid out to them, and what is
    still owed (the balance of their earnings account)."""
    found: dict[str, Earnings] = {}
    for held in Account.objects.filter(space=space, kind=AccountKind.EARNINGS, user=person):
        found[held.currency] = Earnings(held.currency, balance=held.balance)
    rows = (
        Entry.objects.filter(
            account__space=space, account__kind=AccountKind.EARNINGS, account__user=person
        )
        .values("account__currency")
        .annotate(
            earned=Sum("amount", filter=Q(amount__gt=0)),
            spent=Sum("amount", filter=Q(amount__lt=0)),
        )
    )
    for row in rows:
        item = found.setdefault(row["account__currency"], Earnings(row["account__currency"]))
        item.earned = int(row["earned"] or 0)
        item.paid_out = -int(row["spent"] or 0)
    return [found[currency] for currency in sorted(found)]


def currencies(space: Space) -> list[str]:
    return sorted(
        set(Transaction.objects.filter(space=space).values_list("currency", flat=True).distinct())
    )


@dataclass
class Flows:
    """Money moved per month and kind in one currency: the flows chart and its table."""

    currency: str
    months: list[date] = field(default_factory=list)
    #: kind -> amounts, one per month (zero where nothing moved).
    series: dict[str, list[int]] = field(default_factory=dict)


def flows(space: Space, currency: str) -> Flows:
    rows = (
        Transaction.objects.filter(space=space, currency=currency)
        .annotate(month=TruncMonth("created_at"))
        .values("month", "kind")
        .annotate(total=Sum("amount"))
        .order_by("month", "kind")
    )
    by_kind: dict[str, dict[date, int]] = defaultdict(dict)
    seen: set[date] = set()
    for row in rows:
        month = row["month"]
        month = month.date() if isinstance(month, datetime) else month
        by_kind[row["kind"]][month] = int(row["total"] or 0)
        seen.add(month)
    months = _every_month(min(seen), max(seen)) if seen else []
    return Flows(
        currency,
        months,
        {
            kind: [by_kind[kind].get(month, 0) for month in months]
            for kind in Kind.values
            if kind in by_kind
        },
    )


def _every_month(first: date, last: date) -> list[date]:
    months, current = [], first.replace(day=1)
    while current <= last:
        months.append(current)
        current = current.replace(
            year=current.year + current.month // 12, month=current.month % 12 + 1
        )
    return months
