"""Periodic work of challenges. States never wait for it: it only sends the "closed" notice."""

from __future__ import annotations

from django.utils import timezone

from peerwork.core import jobs

from . import actions
from .models import Challenge


@jobs.job("challenges.close_notices", every=300)
def close_notices() -> int:
    """Notice every challenge that has closed since the last run; safe to run twice."""
    due = Challenge.objects.filter(
        closes_at__lte=timezone.now(), close_noticed_at__isnull=True, withdrawn_at__isnull=True
    ).order_by("pk")
    return sum(actions.challenge_close_notice(challenge=challenge) for challenge in due[:500])
