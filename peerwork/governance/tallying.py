"""Counting a proposal from its rows: the options, the delegations live at a moment, the
weights they give the ballots, and the stored result document. Shared by the close (actions),
the live tally (selectors) and the dump, so every face counts the same way."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q
from django.utils import timezone

from .count import count
from .delegation import Link, Resolution, resolve
from .models import Ballot, Delegation, Proposal, State
from .models import Option as OptionRow
from .policy import eligible_voter_ids
from .policy_schema import governance_policy


def options_of(proposal: Proposal) -> list[dict[str, Any]]:
    return [
        {"key": o.key, "label": o.label, "cost": o.cost}
        for o in OptionRow.objects.filter(proposal=proposal).order_by("position", "pk")
    ]


def delegations_at(space: Any, moment: datetime) -> list[Link]:
    """The delegations live at `moment`: made before it and not revoked by then; none while
    the space's policy turns delegation off."""
    if not governance_policy(space).delegation:
        return []
    rows = Delegation.objects.filter(space=space, created_at__lt=moment).filter(
        Q(revoked_at__isnull=True) | Q(revoked_at__gt=moment)
    )
    return [
        Link(d.delegator_id, d.delegate_id, d.topic)
        for d in rows.only("delegator_id", "delegate_id", "topic")
    ]


@dataclass
class Weighing:
    eligible: set[int]
    #: the ballots of people eligible now (others' ballots count for nothing)
    voters: set[int]
    resolution: Resolution


def weigh(proposal: Proposal, ballots: list[Ballot], moment: datetime) -> Weighing:
    """Who is eligible and whose ballot carries whose vote, at `moment`."""
    eligible = eligible_voter_ids(proposal)
    voters = {b.voter_id for b in ballots if b.voter_id in eligible}
    resolution = resolve(
        voters=voters,
        eligible=eligible,
        links=delegations_at(proposal.space, moment),
        topics=proposal.tags,
    )
    return Weighing(eligible, voters, resolution)


def live_result(proposal: Proposal) -> dict[str, Any]:
    """The tally as it would be if voting closed now (public, live proposals only)."""
    ballots = list(Ballot.objects.filter(proposal=proposal).order_by("pk"))
    weighing = weigh(proposal, ballots, timezone.now())
    return count(
        method_name=proposal.method,
        settings=proposal.settings,
        options=options_of(proposal),
        ballots=[
            (b.choice, weighing.resolution.weight(b.voter_id))
            for b in ballots
            if b.voter_id in weighing.voters
        ],
        eligible=len(weighing.eligible),
        quorum_percent=proposal.quorum_percent,
    )


def result_document(proposal: Proposal) -> dict[str, Any] | None:
    """The stored result in the shape `count` returns (what the dump publishes)."""
    result = getattr(proposal, "result", None) if proposal.state == State.CLOSED else None
    if result is None:
        return None
    return {
        "method": proposal.method,
        "eligible": result.eligible,
        "counted": result.counted,
        "ballots": result.ballots,
        "quorum_percent": proposal.quorum_percent,
        "quorum_met": result.quorum_met,
        "passed": result.passed,
        "winners": result.winners,
        "tally": result.tally,
    }
