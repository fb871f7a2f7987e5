"""A space with a steward, two members and an outsider, some work done through the apps'
own actions, and a funded treasury."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from peerwork.accounts.models import User
from peerwork.ledger import actions as ledger
from peerwork.spaces.models import Space, SpaceMembership
from peerwork.wiki.actions import page_save


@dataclass
class Commons:
    steward: User
    ana: User
    ben: User
    outsider: User
    space: Space


def edit(space: Space, user: Any, title: str, text: str) -> Any:
    from peerwork.wiki.models import Page

    page = Page.objects.filter(space=space, title=title).first()
    base = page.current_revision_id if page else None
    return page_save(user=user, space=space, title=title, text=text, base_revision_id=base).revision


@pytest.fixture
def commons(make_user: Any, make_space: Any) -> Commons:
    steward = make_user("stew")
    space = make_space(steward, "commons")
    ana, ben = make_user("ana"), make_user("ben")
    for user in (ana, ben):
        SpaceMembership.objects.create(space=space, user=user, role="member")
    ledger.treasury_fund(actor=steward, space=space, amount=100_000, currency="EUR", key="grant")
    return Commons(steward, ana, ben, make_user("outsider"), space)
