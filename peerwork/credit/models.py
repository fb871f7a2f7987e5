"""Distributions of a space's money by credit, and peer allocation epochs.

Credit itself is never stored: it is computed from the contribution rows whenever it is read
(docs/credit.md). What is stored is what was decided with it: a distribution's shares, each
with the explanation it was paid by, and the points people gave each other in an epoch.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import pgettext_lazy


class Method(models.TextChoices):
    """How a distribution turns credit into shares (SourceCred's policies, and peer points)."""

    IMMEDIATE = "immediate", pgettext_lazy("distribution", "this period's credit")
    RECENT = "recent", pgettext_lazy("distribution", "recent credit, earlier periods discounted")
    BALANCED = "balanced", pgettext_lazy("distribution", "lifetime credit, less what was paid")
    PEER = "peer", pgettext_lazy("distribution", "points given in a peer epoch")


class Epoch(models.Model):
    """A round of peer allocation: each member may give up to `points` to others, with a note;
    whatever is not given when the epoch closes vanishes."""

    class State(models.TextChoices):
        OPEN = "open", pgettext_lazy("epoch", "open")
        CLOSED = "closed", pgettext_lazy("epoch", "closed")

    space = models.ForeignKey("spaces.Space", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    points = models.PositiveIntegerField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=Q(points__gt=0), name="credit_epoch_points_positive"),
            models.CheckConstraint(
                condition=Q(state="open", closed_at__isnull=True)
                | Q(state="closed", closed_at__isnull=False),
                name="credit_epoch_closed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Allocation(models.Model):
    """Points one member gives another in an epoch; giving again replaces the amount."""

    epoch = models.ForeignKey(Epoch, on_delete=models.CASCADE, related_name="allocations")
    giver = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    receiver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    points = models.PositiveIntegerField()
    note = models.CharField(max_length=500, blank=True, default="")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["epoch", "giver", "receiver"], name="credit_allocation_once"
            ),
            models.CheckConstraint(
                condition=~Q(giver=F("receiver")), name="credit_allocation_not_to_self"
            ),
            models.CheckConstraint(
                condition=Q(points__gt=0), name="credit_allocation_points_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.giver_id} -> {self.receiver_id}: {self.points}"


class Distribution(models.Model):
    """A budget from the treasury split among people by their credit and paid through the
    ledger as one payout. Written once; its idempotency key makes a retry return it."""

    space = models.ForeignKey("spaces.Space", on_delete=models.PROTECT, related_name="+")
    method = models.CharField(max_length=10, choices=Method.choices)
    currency = models.CharField(max_length=3)
    amount = models.PositiveBigIntegerField()
    #: the period whose credit is paid: [period_start, period_end).
    period_start = models.DateTimeField()
    period_end = models.DateTimeField()
    epoch = models.ForeignKey(
        Epoch, on_delete=models.PROTECT, null=True, blank=True, related_name="distributions"
    )
    memo = models.CharField(max_length=300, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    key = models.CharField(max_length=200)
    request_hash = models.CharField(max_length=64)
    #: the ledger payout that moved the money (paid at once, or held for a second steward).
    payout = models.OneToOneField(
        "ledger.Payout", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["space", "key"], name="credit_distribution_key_once"),
            models.CheckConstraint(
                condition=Q(method__in=[method.value for method in Method]),
                name="credit_distribution_method_known",
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="credit_distribution_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(period_start__lt=F("period_end")),
                name="credit_distribution_period_ordered",
            ),
            models.CheckConstraint(
                condition=Q(method="peer", epoch__isnull=False)
                | (~Q(method="peer") & Q(epoch__isnull=True)),
                name="credit_distribution_peer_has_epoch",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.amount} {self.currency}"


class Share(models.Model):
    """One person's part of a distribution, with why: `weight` is what the split read (credit
    or points), `explanation` the parts it came from, in basis points that add up to 10,000."""

    distribution = models.ForeignKey(Distribution, on_delete=models.CASCADE, related_name="shares")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    amount = models.PositiveBigIntegerField()
    weight = models.FloatField()
    explanation = models.JSONField(default=list)

    class Meta:
        ordering = ["-amount", "user_id"]
        constraints = [
            models.UniqueConstraint(fields=["distribution", "user"], name="credit_share_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.amount}"
