"""Two camps that disagree on most ideas: a world for bridging."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from peerwork.bridging import actions as bridging
from peerwork.ideas import actions as ideas
from peerwork.spaces import actions as spaces

BIG = {"support_milestones": [{"supporters": 1000, "days": 365}]}


@dataclass
class Camps:
    space: Any
    stew: Any
    a: list[Any]
    b: list[Any]
    background: list[Any] = field(default_factory=list)


def publish(user: Any, space: Any, title: str) -> Any:
    idea = ideas.idea_create(user=user, space=space, title=title)
    return ideas.idea_publish(user=user, idea=idea)


def support(people: list[Any], idea: Any) -> None:
    for person in people:
        ideas.idea_support(user=person, idea=idea)


def two_camps(make_user: Any, make_space: Any, *, policy: dict[str, Any] | None = None) -> Camps:
    """Camp a (12 people) and camp b (8): on 4 ideas each camp supports its own and rates
    the other's not helpful."""
    stew = make_user("stew")
    space = make_space(stew, "lab")
    spaces.space_policy_update(user=stew, space=space, document={"ideas": BIG, **(policy or {})})
    space.refresh_from_db()
    camps = Camps(
        space,
        stew,
        [make_user(f"a{n}") for n in range(12)],
        [make_user(f"b{n}") for n in range(8)],
    )
    for n in range(4):
        idea = publish(stew, space, f"Background {n}")
        ours, theirs = (camps.a, camps.b) if n % 2 == 0 else (camps.b, camps.a)
        support(ours, idea)
        for person in theirs:
            bridging.rating_set(user=person, obj=idea, value="not_helpful")
        camps.background.append(idea)
    return camps


@pytest.fixture
def camps(make_user: Any, make_space: Any) -> Camps:
    return two_camps(make_user, make_space)
