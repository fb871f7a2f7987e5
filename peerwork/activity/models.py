"""The activity log: one immutable row per state change, hash-chained per space."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

GENESIS_HASH = "0" * 64
SITE_CHAIN = "site"


class ChainHead(models.Model):
    """The tip of one chain; writers lock it so appends are serialized per chain."""

    key = models.CharField(max_length=64, unique=True)
    length = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    def __str__(self) -> str:
        return f"{self.key} at #{self.length}"


class Event(models.Model):
    chain = models.CharField(max_length=64)
    seq = models.PositiveBigIntegerField()
    space = models.ForeignKey(
        "spaces.Space", on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
    )
    verb = models.CharField(max_length=64)
    target_type = models.CharField(max_length=64)
    target_id = models.CharField(max_length=64)
    target_repr = models.CharField(max_length=255)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["chain", "seq"], name="activity_event_one_per_seq"),
        ]
        indexes = [
            models.Index(fields=["space", "-id"], name="activity_event_space_idx"),
            models.Index(fields=["actor", "-id"], name="activity_event_actor_idx"),
            models.Index(
                fields=["target_type", "target_id", "-id"], name="activity_event_target_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.chain}#{self.seq} {self.verb}"


class Notification(models.Model):
    """An event brought to one person's attention (a watched page changed, ...)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="notifications")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "event"], name="activity_notify_once"),
        ]
        indexes = [models.Index(fields=["user", "read_at", "-id"], name="activity_notify_idx")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.event_id}"


class Watch(models.Model):
    """A person who asked to hear about one object's changes (a page, an idea, a challenge...).

    One table for every watchable model, so watching works the same everywhere; a model takes
    watches once its app calls `peerwork.activity.watching.register` from its `apps.py`.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watches"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "content_type", "object_id"], name="activity_watch_once"
            ),
        ]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="activity_watch_target_idx")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} watches {self.content_type_id}:{self.object_id}"
