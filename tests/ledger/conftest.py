"""A space with two stewards, a member and an outsider; money moved through the actions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from peerwork.accounts.models import User
from peerwork.spaces.models import Space, SpaceMembership


@dataclass
class Book:
    steward: User
    second: User
    member: User
    other: User
    outsider: User
    space: Space


@pytest.fixture
def book(make_user: Any, make_space: Any) -> Book:
    steward = make_user("stew")
    space = make_space(steward, "fund")
    second = make_user("second")
    SpaceMembership.objects.create(space=space, user=second, role="steward")
    member, other = make_user("member"), make_user("other")
    for user in (member, other):
        SpaceMembership.objects.create(space=space, user=user, role="member")
    return Book(steward, second, member, other, make_user("outsider"), space)
