"""The ledger: double-entry accounts and transactions per space, in integer minor units.

A transaction's entries sum to zero in its currency, rows are never changed (a correction is a
reversing transaction), and an account's `balance` is a cache of the sum of its entries that
`peerwork ledger verify` recomputes. Only treasury-side accounts must stay at or above zero:
the `external` account of a space is the world outside it, and goes negative as money comes in.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import pgettext_lazy


class AccountKind(models.TextChoices):
    TREASURY = "treasury", pgettext_lazy("ledger account", "treasury")
    RESERVE = "reserve", pgettext_lazy("ledger account", "reserved")
    PENDING = "pending", pgettext_lazy("ledger account", "pending payouts")
    EARNINGS = "earnings", pgettext_lazy("ledger account", "earnings")
    EXTERNAL = "external", pgettext_lazy("ledger account", "outside the space")


class Account(models.Model):
    """One balance of a space in one currency: its treasury, a reservation for one task or
    challenge (`subject`), payouts waiting for approval, a person's earnings, or the outside."""

    space = models.ForeignKey("spaces.Space", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=AccountKind.choices)
    currency = models.CharField(max_length=3)
    #: whose earnings (kind earnings only).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    #: what a reservation is for, as "app.model:pk" (kind reserve only).
    subject = models.CharField(max_length=80, blank=True, default="")
    #: cache of the sum of this account's entries.
    balance = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["space", "currency", "user"],
                condition=Q(user__isnull=False),
                name="ledger_account_earnings_once",
            ),
            models.UniqueConstraint(
                fields=["space", "kind", "currency", "subject"],
                condition=Q(user__isnull=True),
                name="ledger_account_once",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[kind.value for kind in AccountKind]),
                name="ledger_account_kind_known",
            ),
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"), name="ledger_account_currency_code"
            ),
            # No account of the space may be overdrawn; only the outside world goes negative.
            models.CheckConstraint(
                condition=Q(kind="external") | Q(balance__gte=0),
                name="ledger_account_not_overdrawn",
            ),
            models.CheckConstraint(
                condition=Q(kind="earnings", user__isnull=False)
                | (~Q(kind="earnings") & Q(user__isnull=True)),
                name="ledger_account_earnings_have_a_person",
            ),
            models.CheckConstraint(
                condition=Q(kind="reserve") & ~Q(subject="") | ~Q(kind="reserve") & Q(subject=""),
                name="ledger_account_reserve_has_a_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.currency} {self.user_id or self.subject}".strip()


class Kind(models.TextChoices):
    """What a transaction is, for the ledger page's filter and the flows chart."""

    FUNDING = "funding", pgettext_lazy("ledger", "funding")
    REVENUE = "revenue", pgettext_lazy("ledger", "revenue")
    REFUND = "refund", pgettext_lazy("ledger", "refund to a funder")
    RESERVE = "reserve", pgettext_lazy("ledger", "reservation")
    RELEASE = "release", pgettext_lazy("ledger", "reservation released")
    BOUNTY = "bounty", pgettext_lazy("ledger", "bounty")
    PRIZE = "prize", pgettext_lazy("ledger", "prize")
    REVENUE_SHARE = "revenue_share", pgettext_lazy("ledger", "revenue share")
    HOLD = "hold", pgettext_lazy("ledger", "payout held for approval")
    DISBURSEMENT = "disbursement", pgettext_lazy("ledger", "paid out to the person")
    REVERSAL = "reversal", pgettext_lazy("ledger", "reversal")


class ImmutableRow(models.Model):
    """A row that is written once: saving it again or deleting it is refused."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise RuntimeError(f"{type(self).__name__} rows are never changed; post a reversal")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(f"{type(self).__name__} rows are never deleted; post a reversal")


class Transaction(ImmutableRow):
    space = models.ForeignKey("spaces.Space", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    currency = models.CharField(max_length=3)
    #: the sum of the positive entries: how much moved.
    amount = models.PositiveBigIntegerField()
    #: public description.
    memo = models.CharField(max_length=300, blank=True, default="")
    #: for stewards only: a grant number, an invoice, a receipt.
    reference = models.CharField(max_length=300, blank=True, default="")
    note = models.TextField(max_length=5000, blank=True, default="")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    #: what it is for, as "app.model:pk" ("tasks.task:7"); blank for funding and refunds.
    subject = models.CharField(max_length=80, blank=True, default="")
    #: the caller's idempotency key, unique in the space: the same key returns this row.
    key = models.CharField(max_length=200)
    #: SHA-256 of the request the key was first used with; another request is refused.
    request_hash = models.CharField(max_length=64)
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["space", "-id"], name="ledger_tx_space_recent"),
            models.Index(fields=["space", "subject"], name="ledger_tx_subject"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["space", "key"], name="ledger_tx_key_once"),
            models.CheckConstraint(
                condition=Q(kind__in=[kind.value for kind in Kind]), name="ledger_tx_kind_known"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="ledger_tx_moves_money"),
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"), name="ledger_tx_currency_code"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount} {self.currency}"


class Entry(ImmutableRow):
    transaction = models.ForeignKey(Transaction, on_delete=models.PROTECT, related_name="entries")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="entries")
    #: signed, minor units: what the account gains (positive) or gives (negative).
    amount = models.BigIntegerField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="ledger_entry_not_zero"),
            models.UniqueConstraint(
                fields=["transaction", "account"], name="ledger_entry_one_per_account"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account_id}: {self.amount}"


class Payout(models.Model):
    """Money owed to people for one thing (a task's bounty, a challenge's prizes, an idea's
    revenue share): paid at once, or held until a second steward approves it when over the
    space's limit. Its state changes; the money moves only in transactions."""

    class State(models.TextChoices):
        AWAITING = "awaiting", pgettext_lazy("payout", "awaiting approval")
        PAID = "paid", pgettext_lazy("payout", "paid")
        REJECTED = "rejected", pgettext_lazy("payout", "rejected")

    space = models.ForeignKey("spaces.Space", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    subject = models.CharField(max_length=80)
    currency = models.CharField(max_length=3)
    amount = models.PositiveBigIntegerField()
    state = models.CharField(max_length=10, choices=State.choices)
    memo = models.CharField(max_length=300, blank=True, default="")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(max_length=2000, blank=True, default="")
    key = models.CharField(max_length=200)
    request_hash = models.CharField(max_length=64)
    #: where the money comes from: the subject's reservation, or the treasury.
    source = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")
    #: the transaction that moved the money out of the reservation (to earnings or to pending).
    funded_by = models.OneToOneField(Transaction, on_delete=models.PROTECT, related_name="payout")
    #: when held: the transaction that paid it, or gave it back.
    settled_by = models.OneToOneField(
        Transaction,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="settled_payout",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["space", "key"], name="ledger_payout_key_once"),
            models.CheckConstraint(
                condition=Q(state__in=["awaiting", "paid", "rejected"]),
                name="ledger_payout_state_known",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="ledger_payout_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount} {self.currency} ({self.state})"


class PayoutLine(models.Model):
    """One person's part of a payout."""

    payout = models.ForeignKey(Payout, on_delete=models.CASCADE, related_name="lines")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    amount = models.PositiveBigIntegerField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["payout", "user"], name="ledger_payout_line_once"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="ledger_payout_line_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.amount}"
