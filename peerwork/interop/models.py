"""Tables of the interop app (Django looks for an app's models here, not in subpackages)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# ---- webhooks (peerwork/interop/webhooks/, docs/webhooks.md) --------------------------------


class WebhookSubscription(models.Model):
    """A URL that receives a space's events, signed with `secret`."""

    space = models.ForeignKey(
        "spaces.Space", on_delete=models.CASCADE, related_name="webhook_subscriptions"
    )
    url = models.URLField(_("URL"), max_length=2000)
    #: the HMAC-SHA256 key of the Peerwork-Signature header; shown to the space's stewards.
    secret = models.CharField(max_length=64)
    #: verbs to send (["page:edited", ...]); empty sends every event a member may see.
    verbs = models.JSONField(default=list, blank=True)
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["space", "is_active"], name="interop_webhook_space_idx")]

    def __str__(self) -> str:
        return self.url[:255]

    def wants(self, verb: str) -> bool:
        return not self.verbs or verb in self.verbs


class WebhookDelivery(models.Model):
    """One event sent (or being sent) to one subscription: the delivery log."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        RETRYING = "retrying", _("retrying")
        SUCCEEDED = "succeeded", _("succeeded")
        FAILED = "failed", _("failed")

    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.ForeignKey(
        "activity.Event", on_delete=models.PROTECT, related_name="webhook_deliveries"
    )
    #: the delivery this one sends again (a steward's re-send), if any; both belong to the
    #: same subscription and go with it.
    resend_of = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="resends"
    )
    #: the exact JSON body sent with every attempt.
    body = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "retrying", "succeeded", "failed"]),
                name="interop_delivery_status_valid",
            ),
            # Fan-out may run twice (at-least-once jobs); an event goes once per subscription.
            models.UniqueConstraint(
                fields=["subscription", "event"],
                condition=Q(resend_of__isnull=True),
                name="interop_delivery_once_per_event",
            ),
        ]
        indexes = [
            models.Index(fields=["subscription", "-id"], name="interop_delivery_log_idx"),
            models.Index(fields=["status", "next_attempt_at"], name="interop_delivery_due_idx"),
        ]

    def __str__(self) -> str:
        return f"delivery {self.pk} of event {self.event_id} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.SUCCEEDED, self.Status.FAILED}
