"""Periodic work of tasks: warn quiet claimants, then release their claims."""

from __future__ import annotations

from peerwork.core import jobs

from . import actions
from .models import ACTIVE_STATES, Claim, ClaimStatus


@jobs.job("tasks.expire_claims", every=3600)
def expire_claims() -> int:
    """Warn or release every quiet active claim; each in its own transaction, safe to rerun."""
    quiet = Claim.objects.filter(status=ClaimStatus.ACTIVE, task__state__in=ACTIVE_STATES).order_by(
        "pk"
    )
    done = 0
    for claim_id in quiet.values_list("pk", flat=True)[:2000]:
        if actions.claim_expire_or_warn(claim_id=claim_id):
            done += 1
    return done
