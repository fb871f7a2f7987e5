"""Demo decisions for the embedded run, made through the same actions as the product.

City Budget's members decide there: a consent proposal that changed the space's policy and
posted a task (closed and applied), a majority vote that did not pass, a secret ranked-choice
vote and a participatory budget still open, a delegation on the topic "streets", and a
consent proposal on the riverside park with an opinion map: statements from the demo people,
votes from them and from 36 generated residents in three camps, so the map shows its groups.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from . import actions, opinion_actions
from .models import Proposal, StatementVote


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
    seed_opinion_map(space=space, people=people)


#: The riverside park's statements: three camps' own (quiet, sport, events) and two that
#: everyone shares. Each camp agrees with its own and disagrees with the others'.
PARK_STATEMENTS = [
    ("quiet", "The park should stay a quiet place to read and rest."),
    ("quiet", "No amplified music in the park, ever."),
    ("quiet", "Plant more trees instead of building anything."),
    ("sport", "Build a football pitch on the big lawn."),
    ("sport", "A running track around the park would get people moving."),
    ("sport", "Outdoor gym machines near the entrance."),
    ("events", "Hold a summer concert series on the riverside."),
    ("events", "Let food trucks come on weekends."),
    ("events", "A stage for local theatre groups."),
    ("", "Keep the park open to everyone, free of charge."),
    ("", "Add more benches and drinking fountains."),
]
CAMPS = ("quiet", "sport", "events")


def seed_opinion_map(*, space: Any, people: dict[str, Any]) -> Proposal:
    """The park proposal with its opinion map, computed as the job would."""
    import random

    from django.contrib.auth import get_user_model

    from peerwork.spaces.models import SpaceMembership

    steward, *others = people.values()
    park = actions.proposal_create(
        user=steward,
        space=space,
        title="What should the riverside park be for?",
        body="Before we write the park's plan, say what matters to you: add statements and "
        "vote on the others' in the opinion map.",
        method_name="consent",
        tags=["parks"],
        closes_at=timezone.now() + timedelta(days=14),
    )
    authors = [steward, *others]
    statements = {
        text: opinion_actions.statement_add(
            user=authors[index % len(authors)], proposal=park, text=text
        )
        for index, (_camp, text) in enumerate(PARK_STATEMENTS)
    }
    rng = random.Random(17)  # noqa: S311  (demo data, not secrets)
    User = get_user_model()  # noqa: N806
    residents = User.objects.bulk_create(
        User(username=f"resident{n:02d}", display_name=f"Resident {n}", password="!")
        for n in range(1, 37)
    )
    SpaceMembership.objects.bulk_create(
        SpaceMembership(space=space, user=resident, role="member") for resident in residents
    )
    votes = []
    for number, resident in enumerate(residents):
        camp = CAMPS[number % len(CAMPS)]
        for own, text in PARK_STATEMENTS:
            if rng.random() < 0.15:
                continue  # not seen
            value = 1 if own in ("", camp) else -1
            if rng.random() < 0.08:
                value = 0
            votes.append(
                StatementVote(
                    statement=statements[text], proposal=park, voter=resident, value=value
                )
            )
    StatementVote.objects.bulk_create(votes)
    # The demo people vote through the pages' own action, each with a camp of their own.
    for person, camp in zip(authors, CAMPS, strict=False):
        for own, text in PARK_STATEMENTS:
            vote = "agree" if own in ("", camp) else "disagree"
            opinion_actions.statement_vote(user=person, statement=statements[text], vote=vote)
    opinion_actions.opinion_map_compute(proposal_id=park.pk)
    return park
