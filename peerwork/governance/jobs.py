"""Periodic work of governance: count proposals whose voting time is over, apply passed
proposals' changes once their timelock ends. Each job is also scheduled for its own moment
when the proposal opens or closes; the sweeps catch whatever a restart lost."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from peerwork.core import jobs

from . import actions
from .models import Execution, Proposal, State


@jobs.job("governance.close")
def close(*, proposal_id: int) -> bool:
    return actions.proposal_close(proposal_id=proposal_id)


@jobs.job("governance.execute")
def execute(*, proposal_id: int) -> bool:
    return actions.proposal_execute(proposal_id=proposal_id)


@jobs.job("governance.sweep", every=300)
def sweep() -> int:
    """Close every proposal past its close and apply every change past its timelock."""
    now = timezone.now()
    done = 0
    due = Proposal.objects.filter(
        Q(state=State.OPEN, closes_at__lte=now)
        | Q(execution=Execution.WAITING, execute_after__lte=now)
    ).order_by("pk")
    for proposal_id in due.values_list("pk", flat=True)[:500]:
        done += int(actions.proposal_close(proposal_id=proposal_id))
        done += int(actions.proposal_execute(proposal_id=proposal_id))
    return done
