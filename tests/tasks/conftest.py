"""A space with a steward, a poster, claimants, a reviewer and bystanders; tasks made through
the actions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from peerwork.accounts.models import User
from peerwork.spaces.models import Space, SpaceMembership
from peerwork.tasks import actions
from peerwork.tasks.models import Task


@dataclass
class People:
    steward: User
    poster: User
    worker: User
    mate: User
    reviewer: User
    member: User
    outsider: User
    space: Space


@pytest.fixture
def people(make_user: Any, make_space: Any) -> People:
    steward = make_user("stew")
    space = make_space(steward, "lab")
    users = {name: make_user(name) for name in ("poster", "worker", "mate", "reviewer", "member")}
    for user in users.values():
        SpaceMembership.objects.create(space=space, user=user, role="member")
    return People(outsider=make_user("outsider"), steward=steward, space=space, **users)


def make_task(people: People, *, by: User | None = None, **overrides: Any) -> Task:
    values: dict[str, Any] = {
        "title": "Map the drinking fountains",
        "description": "Walk the **old town** and note every fountain.",
        "skills": ["cartography"],
        "labels": ["maps"],
    }
    values.update(overrides)
    return actions.task_create(user=by or people.poster, space=people.space, **values)


def set_policy(people: People, **tasks: Any) -> None:
    from peerwork.spaces import actions as spaces

    people.space = spaces.space_policy_update(
        user=people.steward, space=people.space, document={"tasks": tasks}
    )
