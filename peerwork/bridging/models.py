"""Bridging: helpful / not helpful ratings, the fitted viewpoint model of each space, and the
coordinated-support groups found in it.

Ratings are the negative (and explicit positive) signal the product lacked: a support of an
idea already counts as helpful. The fit tables are caches of a computation over the ratings
and supports; `actions.space_fit` rewrites them whole, so they can always be recomputed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class Rating(models.Model):
    """One person's helpful / not helpful rating of one rated thing (a comment, an idea, ...),
    named by its registered kind and id. Changing one's mind updates the row."""

    space = models.ForeignKey("spaces.Space", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=32)
    object_id = models.BigIntegerField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    is_helpful = models.BooleanField()
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "user"], name="bridging_rating_once"
            ),
        ]
        indexes = [
            models.Index(fields=["space", "kind", "object_id"], name="bridging_rating_item_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} rates {self.kind} {self.object_id}: {self.is_helpful}"


class Fit(models.Model):
    """The space's last fit: when, over how many ratings, and the signature of the signals it
    saw (a new rating or support changes it, so a stale fit is known without refitting)."""

    space = models.OneToOneField("spaces.Space", on_delete=models.CASCADE, related_name="+")
    fitted_at = models.DateTimeField()
    signature = models.CharField(max_length=200)
    seed = models.IntegerField(default=0)
    mu = models.FloatField(default=0.0)
    ratings = models.PositiveIntegerField(default=0)
    raters = models.PositiveIntegerField(default=0)
    items = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"fit of {self.space_id} at {self.fitted_at}"


class ItemScore(models.Model):
    """A rated thing's place in the space's fit: its intercept is its bridged score."""

    space = models.ForeignKey("spaces.Space", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=32)
    object_id = models.BigIntegerField()
    intercept = models.FloatField()
    factor = models.FloatField()
    ratings = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="bridging_item_once"),
        ]
        indexes = [models.Index(fields=["space", "kind"], name="bridging_item_space_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}: {self.intercept:.3f}"


class RaterPosition(models.Model):
    """A person's place on the space's viewpoint axis (the factor) and how many signals
    placed them there."""

    space = models.ForeignKey("spaces.Space", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    intercept = models.FloatField()
    factor = models.FloatField()
    ratings = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["space", "user"], name="bridging_rater_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} at {self.factor:.3f} in {self.space_id}"


class CoordinatedGroup(models.Model):
    """Accounts that supported the same things at the same times, with the evidence: the
    shared items and the pairs of support times. A group found again keeps its row; one no
    longer found is ended, never deleted, so the audit stays."""

    space = models.ForeignKey("spaces.Space", on_delete=models.CASCADE, related_name="+")
    #: the sorted member ids joined by commas: the same accounts are the same group.
    key = models.CharField(max_length=2000)
    members = models.JSONField(default=list)
    #: [[kind, object_id], ...] the members supported together.
    items = models.JSONField(default=list)
    #: [{"a": id, "b": id, "jaccard": x, "times": [[kind, object_id, at_a, at_b], ...]}, ...]
    evidence = models.JSONField(default=list)
    found_at = models.DateTimeField()
    checked_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["space", "key"],
                condition=Q(ended_at__isnull=True),
                name="bridging_group_one_standing",
            ),
        ]

    def __str__(self) -> str:
        return f"group {self.pk} of {len(self.members)} in {self.space_id}"
