"""Demo decisions for the embedded run, made through the same actions as the product.

City Budget's members decide there: a consent proposal that changed the space's policy and
posted a task (closed and applied), a majority vote that did not pass, a secret ranked-choice
vote and a participatory budget still open, and a delegation on the topic "streets".
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from . import actions
from .models import Proposal


def _close_now(proposal: Proposal, days_ago: int) -> Proposal:
    """Move a proposal's voting into the past, as time would, and count it."""
    now = timezone.now()
    Proposal.objects.filter(pk=proposal.pk).update(
        opens_at=now - timedelta(days=days_ago + 7), closes_at=now - timedelta(days=days_ago)
    )
    actions.proposal_close(proposal_id=proposal.pk)
    actions.proposal_execute(proposal_id=proposal.pk)
    return Proposal.objects.get(pk=proposal.pk)


def seed(*, space: Any, people: dict[str, Any]) -> None:
    """`people`: the demo's users by username; the first is a steward of `space`, the others
    members (the caller makes them so)."""
    steward, first, second, *_rest = people.values()
    actions.delegation_set(user=second, space=space, delegate=steward, topic="streets")

    claims = actions.proposal_create(
        user=steward,
        space=space,
        title="Give three weeks to finish a claimed task",
        body=(
            "Two weeks is too short for survey work done on weekends. This changes the "
            "space's policy so a claim is released after **21** quiet days instead of 14, "
            "and posts a task to tell everyone."
        ),
        method_name="consent",
        tags=["tasks"],
        changes={
            "policy": {"tasks": {"claim_days": 21}},
            "tasks": [{"title": "Tell everyone about the new claim rules"}],
        },
    )
    actions.ballot_cast(user=steward, proposal=claims, ballot={"position": "consent"})
    actions.ballot_cast(user=first, proposal=claims, ballot={"position": "consent"})
    actions.ballot_cast(
        user=second,
        proposal=claims,
        ballot={"position": "stand_aside", "reason": "I never claim tasks; fine by me."},
    )
    claims = _close_now(claims, days_ago=3)
    actions.proposal_outcome(
        user=steward,
        proposal=claims,
        text="Agreed without objection: claims now last 21 quiet days.",
    )

    night = actions.proposal_create(
        user=first,
        space=space,
        title="Switch the street lights off after midnight",
        body="Saves energy; some worry about safety on the way home.",
        method_name="majority",
        options=["Yes, after midnight", "No, keep them on"],
        tags=["streets"],
    )
    actions.ballot_cast(user=first, proposal=night, ballot={"choice": "a"})
    actions.ballot_cast(user=steward, proposal=night, ballot={"choice": "b"})
    _close_now(night, days_ago=1)

    actions.proposal_create(
        user=steward,
        space=space,
        title="Which street gets the new bike lane first?",
        body="Rank the streets; the count is instant runoff, and ballots are secret.",
        method_name="irv",
        options=["Harbour street", "Mill road", "Market square", "Station avenue"],
        tags=["streets"],
        secret=True,
        closes_at=timezone.now() + timedelta(days=5),
    )
    budget = actions.proposal_create(
        user=steward,
        space=space,
        title="Neighbourhood budget 2027",
        body="Choose the projects to fund with 5,000 euros; the winners' costs are reserved.",
        method_name="budget",
        options=[
            {"label": "Benches along the river", "cost": 120_000},
            {"label": "Trees for the school yard", "cost": 250_000},
            {"label": "A repair café kit", "cost": 90_000},
            {"label": "Lights on the footbridge", "cost": 300_000},
        ],
        settings={"budget": 500_000},
        changes={"reserve": {"currency": "EUR"}},
        closes_at=timezone.now() + timedelta(days=10),
    )
    actions.ballot_cast(user=first, proposal=budget, ballot={"projects": ["a", "b", "c"]})
