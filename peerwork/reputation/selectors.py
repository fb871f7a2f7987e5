"""Reads of reputation: one person's standing in a space, and what it takes to go further."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from django.db.models import Sum
from django.utils import timezone

from peerwork.core import policy
from peerwork.spaces.models import Space

from .models import Entry, Grant, Standing
from .policy_schema import reputation_policy
from .privileges import EARNED, has_privilege


@dataclass(frozen=True)
class Summary:
    total: int
    level: int
    privileges: list[str]
    next_privilege: str | None
    points_needed: int
    entries: list[Entry]
    grants: list[Grant]


def effective_level(standing: Standing | None, grant: Grant | None, *, today: date) -> int:
    """The stored level less one per `decay_days` without earning, then a steward's word."""
    level = 0
    if standing is not None:
        level = standing.level
        decay = reputation_policy(standing.space).trust.decay_days
        if decay and standing.last_earned_on is not None:
            level = max(0, level - (today - standing.last_earned_on).days // decay)
    if grant is not None and grant.level is not None:
        level = max(level, grant.level) if grant.allowed else min(level, grant.level)
    return level


def reputation_history(*, viewer: Any, space: Space, person: Any) -> list[tuple[date, int]]:
    """The running total at the end of each day an entry counted, oldest first."""
    policy.require(viewer, "reputation.read", space)
    days = (
        Entry.objects.filter(space=space, person=person, is_pending=False)
        .values("day")
        .annotate(points=Sum("amount"))
        .order_by("day")
    )
    running, points = 0, []
    for row in days:
        running += int(row["points"])
        points.append((cast(date, row["day"]), running))
    return points


def reputation_summary(*, viewer: Any, space: Space, person: Any, recent: int = 20) -> Summary:
    """What the person's reputation page and the API show (NotFound if the space is hidden)."""
    policy.require(viewer, "reputation.read", space)
    standing = Standing.objects.filter(space=space, person=person).select_related("space").first()
    grants = list(Grant.objects.filter(space=space, person=person).order_by("privilege"))
    level_grant = next((g for g in grants if g.privilege == "level"), None)
    total = standing.total if standing else 0
    held = [name for name in EARNED if has_privilege(person, space, name)]
    thresholds = reputation_policy(space).thresholds
    ahead = sorted(
        (getattr(thresholds, name), name)
        for name in EARNED
        if name not in held and getattr(thresholds, name) > total
    )
    entries = list(
        Entry.objects.filter(space=space, person=person, is_pending=False)
        .select_related("event__space")
        .order_by("-day", "-event_id")[:recent]
    )
    return Summary(
        total=total,
        level=effective_level(standing, level_grant, today=timezone.now().date()),
        privileges=held,
        next_privilege=ahead[0][1] if ahead else None,
        points_needed=ahead[0][0] - total if ahead else 0,
        entries=entries,
        grants=grants,
    )
