"""`peerwork ledger verify`: recompute the ledger from its rows and name the first difference.

Four checks, each one query or one pass, so 100,000 transactions take seconds:
1. every transaction's entries sum to zero, and its amount is what its entries moved;
2. every account's cached balance is the sum of its entries, and no account of the space is
   below zero;
3. every transaction matches the activity event that recorded it, which sits in the space's
   SHA-256 chain (`peerwork verify-log` checks the chain): changing an entry and the balances
   together still shows here;
4. every payout was moved by its own transaction, for its amount, to its people.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q, Sum

from peerwork.activity.models import Event

from .actions import event_data
from .models import Account, AccountKind, Entry, Payout, Transaction


@dataclass(frozen=True)
class Report:
    transactions: int
    accounts: int
    payouts: int
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def _sums(space_id: int | None) -> Any:
    entries = Entry.objects.all()
    if space_id is not None:
        entries = entries.filter(transaction__space_id=space_id)
    return entries


def _unbalanced(space_id: int | None) -> Iterator[str]:
    rows = (
        _sums(space_id)
        .values("transaction_id", "transaction__amount")
        .annotate(total=Sum("amount"), moved=Sum("amount", filter=Q(amount__gt=0)))
        .exclude(total=0, moved=F("transaction__amount"))
        .order_by("transaction_id")
    )
    for row in rows[:1]:
        yield (
            f"transaction {row['transaction_id']}: its entries sum to {row['total']} and move "
            f"{row['moved']}, but it says {row['transaction__amount']}"
        )
    transactions = Transaction.objects.filter(entries__isnull=True)
    if space_id is not None:
        transactions = transactions.filter(space_id=space_id)
    for pk in transactions.values_list("pk", flat=True)[:1]:
        yield f"transaction {pk}: it has no entries"
    mixed = _sums(space_id).exclude(account__currency=F("transaction__currency")).order_by("pk")
    for entry in mixed.values("pk", "transaction_id")[:1]:
        yield (
            f"transaction {entry['transaction_id']}: entry {entry['pk']} is in another "
            "currency than its transaction"
        )


def _balances(space_id: int | None) -> Iterator[str]:
    sums = dict(
        _sums(space_id)
        .values("account_id")
        .annotate(total=Sum("amount"))
        .values_list("account_id", "total")
    )
    accounts = Account.objects.order_by("pk")
    if space_id is not None:
        accounts = accounts.filter(space_id=space_id)
    for pk, kind, balance in accounts.values_list("pk", "kind", "balance").iterator():
        total = sums.get(pk, 0)
        if balance != total:
            yield f"account {pk} ({kind}): its balance says {balance}, its entries sum to {total}"
            return
        if kind != AccountKind.EXTERNAL and total < 0:
            yield f"account {pk} ({kind}) is overdrawn: {total}"
            return


def _events(space_id: int | None) -> Iterator[str]:
    """Each transaction against its event, in chunks of ids."""
    transactions = Transaction.objects.order_by("pk")
    if space_id is not None:
        transactions = transactions.filter(space_id=space_id)
    last = 0
    while True:
        chunk = list(transactions.filter(pk__gt=last)[:5000])
        if not chunk:
            return
        last = chunk[-1].pk
        ids = [tx.pk for tx in chunk]
        events = dict(
            Event.objects.filter(
                target_type="ledger.transaction", target_id__in=[str(pk) for pk in ids]
            ).values_list("target_id", "data")
        )
        moves: dict[int, list[tuple[Account, int]]] = defaultdict(list)
        for entry in Entry.objects.filter(transaction_id__in=ids).select_related("account"):
            moves[entry.transaction_id].append((entry.account, entry.amount))
        for tx in chunk:
            recorded = events.get(str(tx.pk))
            if recorded is None:
                yield f"transaction {tx.pk}: no activity event records it"
                return
            if recorded != event_data(tx, moves[tx.pk]):
                yield f"transaction {tx.pk}: it differs from the activity event that recorded it"
                return


def _payouts(space_id: int | None) -> Iterator[str]:
    payouts = Payout.objects.order_by("pk").prefetch_related("lines")
    if space_id is not None:
        payouts = payouts.filter(space_id=space_id)
    for payout in payouts.iterator(chunk_size=2000):
        lines = {line.user_id: line.amount for line in payout.lines.all()}
        if sum(lines.values()) != payout.amount:
            total = sum(lines.values())
            yield f"payout {payout.pk}: its lines add up to {total}, not {payout.amount}"
            return
        paying = payout.funded_by_id if payout.settled_by_id is None else payout.settled_by_id
        if payout.state == Payout.State.AWAITING and payout.settled_by_id is not None:
            yield f"payout {payout.pk}: it awaits approval but was settled"
            return
        if payout.state == Payout.State.REJECTED:
            continue
        paid = dict(
            Entry.objects.filter(
                transaction_id=paying, account__kind=AccountKind.EARNINGS
            ).values_list("account__user_id", "amount")
        )
        if payout.state == Payout.State.PAID and paid != lines:
            yield f"payout {payout.pk}: its transaction pays {paid}, its lines say {lines}"
            return


def verify(space_id: int | None = None) -> Report:
    problems: list[str] = []
    for check in (_unbalanced, _balances, _events, _payouts):
        problems.extend(check(space_id))
        if problems:
            break
    transactions = Transaction.objects.all()
    accounts = Account.objects.all()
    payouts = Payout.objects.all()
    if space_id is not None:
        transactions = transactions.filter(space_id=space_id)
        accounts = accounts.filter(space_id=space_id)
        payouts = payouts.filter(space_id=space_id)
    return Report(transactions.count(), accounts.count(), payouts.count(), problems)
