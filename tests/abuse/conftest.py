from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from peerwork.accounts.models import User
from peerwork.spaces.models import Space


@pytest.fixture
def rate_limits(settings: Any) -> Any:
    """The limits on, at their site figures (the suite turns them off elsewhere)."""
    settings.PEERWORK_RATE_LIMITS_ON = True
    settings.PEERWORK_RATE_LIMITS = {}
    return settings


def make_established(user: User) -> User:
    """An account old enough to be autoconfirmed where a space asks for no edits."""
    User.objects.filter(pk=user.pk).update(date_joined=timezone.now() - timedelta(days=30))
    user.refresh_from_db()
    return user


def set_policy(space: Space, section: str, **values: Any) -> Space:
    policy = dict(space.policy)
    policy[section] = {**policy.get(section, {}), **values}
    Space.objects.filter(pk=space.pk).update(policy=policy)
    space.refresh_from_db()
    return space
