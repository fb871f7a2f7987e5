"""A space with a steward and members; proposals made through the actions, closed by moving
the clock past their close."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from peerwork.accounts.models import User
from peerwork.governance import actions
from peerwork.governance.models import Proposal
from peerwork.spaces.models import Space, SpaceMembership


@dataclass
class People:
    steward: User
    ada: User
    grace: User
    linus: User
    ostrom: User
    outsider: User
    space: Space

    @property
    def members(self) -> list[User]:
        return [self.ada, self.grace, self.linus, self.ostrom]


@pytest.fixture
def people(make_user: Any, make_space: Any) -> People:
    steward = make_user("stew")
    space = make_space(steward, "town")
    users = {name: make_user(name) for name in ("ada", "grace", "linus", "ostrom")}
    for user in users.values():
        SpaceMembership.objects.create(space=space, user=user, role="member")
    return People(outsider=make_user("outsider"), steward=steward, space=space, **users)


def propose(
    people: People, method: str = "consent", *, by: User | None = None, **extra: Any
) -> Proposal:
    values: dict[str, Any] = {"title": "Open the library on Sundays", "method_name": method}
    if method not in ("consent",) and "options" not in extra:
        values["options"] = (
            ["Yes", "No"]
            if method in ("majority", "supermajority")
            else [
                "North park",
                "River walk",
                "Old market",
            ]
        )
    values.update(extra)
    return actions.proposal_create(user=by or people.steward, space=people.space, **values)


def close(proposal: Proposal) -> Proposal:
    """Run the close job as if the clock had passed the proposal's close."""
    with time_machine.travel(proposal.closes_at + timedelta(seconds=1), tick=False):
        assert actions.proposal_close(proposal_id=proposal.pk)
    return Proposal.objects.select_related("result", "space").get(pk=proposal.pk)


def execute(proposal: Proposal) -> bool:
    """Run the execution job once the proposal's timelock is over."""
    with time_machine.travel(proposal.execute_after + timedelta(seconds=1), tick=False):
        return actions.proposal_execute(proposal_id=proposal.pk)


def soon() -> Any:
    return timezone.now() + timedelta(days=1)
