"""Periodic work of reputation: settle edits that stayed, look for serial supports and rings."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from peerwork.core import jobs
from peerwork.spaces.models import Space

from . import compute, detection


@jobs.job("reputation.refresh", every=3600)
def refresh() -> int:
    """Settle due edits and re-evaluate trust levels in every space; safe to rerun."""
    settled = 0
    now = timezone.now()
    for space in Space.objects.order_by("pk"):
        with transaction.atomic():
            settled += compute.refresh_space(space, now)
    return settled


@jobs.job("reputation.detect", every=6 * 3600)
def detect() -> int:
    """Reverse the points of serial supports and rings in every space; safe to rerun."""
    return sum(detection.detect_space(space=space) for space in Space.objects.order_by("pk"))
