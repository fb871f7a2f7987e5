"""A space with work of each kind, indexed by the same job that follows every save."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from peerwork.accounts.models import User
from peerwork.assist import index
from peerwork.challenges import actions as challenges
from peerwork.governance import actions as governance
from peerwork.ideas import actions as ideas
from peerwork.spaces.models import Space, SpaceMembership
from peerwork.tasks import actions as tasks
from tests.challenges.conftest import fund


@dataclass
class World:
    steward: User
    member: User
    outsider: User
    space: Space


@pytest.fixture(autouse=True)
def _fresh_index(settings: Any) -> None:
    # Jobs run in the committing thread, on the test's own connection.
    settings.PEERWORK_JOBS_THREADS = 0
    index.clear_cache()


@pytest.fixture
def jobs_now(django_capture_on_commit_callbacks: Any) -> Any:
    """Run what a block enqueues (the assist job among it) when the block ends."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def world(make_user: Any, make_space: Any) -> World:
    steward = make_user("stew")
    space = make_space(steward, "barrio")
    member = make_user("mem")
    SpaceMembership.objects.create(space=space, user=member, role="member")
    return World(steward, member, make_user("out"), space)


def idea(world: World, title: str, description: str = "", by: User | None = None) -> Any:
    made = ideas.idea_create(
        user=by or world.member, space=world.space, title=title, description=description
    )
    return ideas.idea_publish(user=by or world.member, idea=made)


def task(world: World, title: str, description: str = "", **extra: Any) -> Any:
    return tasks.task_create(
        user=world.steward, space=world.space, title=title, description=description, **extra
    )


def challenge(world: World, title: str, statement: str) -> Any:
    fund(world.space, world.steward)
    now = timezone.now()
    return challenges.challenge_create(
        user=world.steward,
        space=world.space,
        title=title,
        statement=statement,
        kind="ideation",
        currency="EUR",
        prize_pool=1000,
        prize_split=[1000],
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=7),
        ip_terms="license",
        criteria=[("Impact", 1)],
    )


def proposal(world: World, title: str, body: str = "") -> Any:
    return governance.proposal_create(
        user=world.steward, space=world.space, title=title, body=body, method_name="consent"
    )
