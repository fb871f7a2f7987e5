"""A space with a seeker, a judge, solvers and bystanders, and challenges made through actions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import uuid4

import pytest
from django.utils import timezone

from peerwork.accounts.models import User
from peerwork.challenges import actions
from peerwork.challenges.models import Challenge
from peerwork.ledger import actions as ledger
from peerwork.spaces.models import Space, SpaceMembership

TRUTH = b"id,label\n" + b"".join(f"{n},{'ab'[n % 2]}\n".encode() for n in range(1, 21))
PERFECT = TRUTH
#: right on the even ids only: accuracy 0.5 overall.
HALF = b"id,label\n" + b"".join(f"{n},b\n".encode() for n in range(1, 21))


@dataclass
class People:
    seeker: User
    judge: User
    solver: User
    other: User
    member: User
    outsider: User
    steward: User
    space: Space


#: what `fund` puts in a treasury: enough for every prize the tests promise.
GRANT = 10_000_000


def fund(space: Space, steward: User, amount: int = GRANT, currency: str = "EUR") -> None:
    """A grant into the space's treasury, so that its challenges can reserve their prizes."""
    ledger.treasury_fund(
        actor=steward,
        space=space,
        amount=amount,
        currency=currency,
        key=f"test-grant-{uuid4().hex}",
        memo="Grant",
    )


@pytest.fixture
def people(make_user: Any, make_space: Any) -> People:
    steward = make_user("stew")
    space = make_space(steward, "lab")
    users = {name: make_user(name) for name in ("seeker", "judge", "solver", "other", "member")}
    for user in users.values():
        SpaceMembership.objects.create(space=space, user=user, role="member")
    fund(space, steward)
    fund(space, steward, currency="USD")
    return People(outsider=make_user("outsider"), steward=steward, space=space, **users)


def make_challenge(people: People, **overrides: Any) -> Challenge:
    now = timezone.now()
    values: dict[str, Any] = {
        "title": "Cheaper water filters",
        "statement": "Find a way to filter water for under a cent a litre.",
        "kind": "ideation",
        "currency": "EUR",
        "prize_pool": 10000,
        "prize_split": [6000, 3000, 1000],
        "opens_at": now - timedelta(hours=1),
        "closes_at": now + timedelta(days=7),
        "ip_terms": "license",
        "criteria": [("Feasibility", 3), ("Cost", 1)],
        "judges": [people.judge.username],
    }
    values.update(overrides)
    return actions.challenge_create(user=people.seeker, space=people.space, **values)


def make_scored(people: People, **overrides: Any) -> Challenge:
    challenge = make_challenge(
        people, kind="scored", metric="accuracy", criteria=[], ip_terms="open", **overrides
    )
    actions.truth_upload(user=people.seeker, challenge=challenge, data=TRUTH)
    return challenge
