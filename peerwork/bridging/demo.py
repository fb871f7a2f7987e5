"""Demo bridging: in the Riverside space, cyclists and drivers disagree on most ideas; one
idea only cyclists back has more supporters than one both sides back, and the bridged order
puts the second first (`/s/riverside/ideas/?sort=bridged`). Its milestones count bridged
support, so the one-sided idea's audit lists its discounted supports."""

from __future__ import annotations

from typing import Any

from peerwork.accounts import actions as accounts
from peerwork.ideas import actions as ideas
from peerwork.spaces import actions as spaces
from peerwork.spaces.models import Space

from . import actions


def _idea(author: Any, space: Space, title: str) -> Any:
    return ideas.idea_publish(
        user=author, idea=ideas.idea_create(user=author, space=space, title=title)
    )


def seed(*, password: str) -> Space:
    def person(username: str, name: str) -> Any:
        return accounts.user_signup(username=username, password=password, display_name=name)

    planner = person("planner", "Pat Planner")
    space = spaces.space_create(
        user=planner,
        slug="riverside",
        name="Riverside",
        description="A neighbourhood deciding what its streets are for.",
    )
    space = spaces.space_policy_update(
        user=planner,
        space=space,
        document={
            "ideas": {"support_milestones": [{"supporters": 5, "days": 90}]},
            "bridging": {"milestone_counting": "bridged"},
        },
    )
    cyclists = [person(f"cyclist{n}", f"Cyclist {n}") for n in range(1, 6)]
    drivers = [person(f"driver{n}", f"Driver {n}") for n in range(1, 6)]
    split = [
        ("Protected bike lanes on Main Street", cyclists, drivers),
        ("More parking downtown", drivers, cyclists),
        ("Lower the speed limit to 30 km/h", cyclists, drivers),
        ("Wider lanes on the ring road", drivers, cyclists),
    ]
    for title, backers, opponents in split:
        idea = _idea(planner, space, title)
        for backer in backers:
            ideas.idea_support(user=backer, idea=idea)
        for opponent in opponents:
            actions.rating_set(user=opponent, obj=idea, value="not_helpful")
    one_side = _idea(planner, space, "Close Main Street to cars on Sundays")
    for backer in cyclists:
        ideas.idea_support(user=backer, idea=one_side)
    both = _idea(planner, space, "Plant shade trees along the bus stops")
    for backer in cyclists[:2] + drivers[:2]:
        ideas.idea_support(user=backer, idea=both)
    actions.space_fit(space=space)
    return space
