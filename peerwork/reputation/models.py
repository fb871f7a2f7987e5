"""Reputation: entries derived from the activity log, and cached totals per person per space.

Every row here can be made again from the log (`peerwork reputation rebuild`): an entry is one
rule's reading of one event for one person; a standing is the sum of a person's entries in a
space plus the trust level last computed for them. Grants are the exception: a steward's word,
kept as rows (and in the log) that the rebuild leaves alone.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class Entry(models.Model):
    """Points one rule gave (or took from) one person for one event of the log.

    A pending entry waits for its edit to survive (`due_at`) or to be patrolled; it counts
    nothing until it settles. `base` is what the rule gives; `amount` is what counts once the
    day's cap is applied (0 when reversed). A reversal keeps the row and says why.
    """

    space = models.ForeignKey(
        "spaces.Space", on_delete=models.CASCADE, related_name="reputation_entries"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reputation_entries"
    )
    rule = models.CharField(max_length=48)
    event = models.ForeignKey("activity.Event", on_delete=models.CASCADE, related_name="+")
    base = models.IntegerField()
    amount = models.IntegerField(default=0)
    is_exempt = models.BooleanField(default=False)
    is_pending = models.BooleanField(default=False)
    due_at = models.DateTimeField(null=True, blank=True)
    day = models.DateField(null=True, blank=True)
    reversed_reason = models.CharField(max_length=32, blank=True, default="")
    reversed_by = models.ForeignKey(
        "activity.Event", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "event", "person"], name="reputation_entry_once"
            ),
            models.CheckConstraint(
                condition=Q(is_pending=True) | Q(day__isnull=False),
                name="reputation_entry_settled_has_day",
            ),
        ]
        indexes = [
            models.Index(fields=["space", "person", "day"], name="reputation_entry_day_idx"),
            models.Index(fields=["space", "is_pending", "due_at"], name="reputation_pending_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.rule} {self.amount:+d}"

    @property
    def is_reversed(self) -> bool:
        return bool(self.reversed_reason)


class Standing(models.Model):
    """A person's cached total and trust level in one space (a cache of the entries)."""

    space = models.ForeignKey(
        "spaces.Space", on_delete=models.CASCADE, related_name="reputation_standings"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reputation_standings"
    )
    total = models.IntegerField(default=0)
    #: the level the hysteresis compares against (promotion at a threshold, demotion below 90%).
    level = models.PositiveSmallIntegerField(default=0)
    last_earned_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["space", "person"], name="reputation_standing_once"),
            models.CheckConstraint(condition=Q(level__lte=3), name="reputation_level_known"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} in {self.space_id}: {self.total}"


class Grant(models.Model):
    """A steward's word on one person's privilege or trust level, whatever the points say.

    `privilege` is a privilege name or "level"; `allowed` grants (True) or withholds (False) a
    privilege; for "level", `level` is the level the person holds at least (or at most, when
    not allowed).
    """

    space = models.ForeignKey(
        "spaces.Space", on_delete=models.CASCADE, related_name="reputation_grants"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reputation_grants"
    )
    privilege = models.CharField(max_length=32)
    allowed = models.BooleanField(default=True)
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    reason = models.CharField(max_length=500)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["space", "person", "privilege"], name="reputation_grant_once"
            ),
            models.CheckConstraint(
                condition=Q(privilege="level", level__isnull=False, level__lte=3)
                | (~Q(privilege="level") & Q(level__isnull=True)),
                name="reputation_grant_level_shape",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.privilege} {'+' if self.allowed else '-'} {self.person_id}"
