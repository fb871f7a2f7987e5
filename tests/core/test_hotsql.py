"""The header's plain-SQL counts agree with the ORM reads they stand for, through every state
an invitation or a notification passes."""

from __future__ import annotations

from typing import Any

import pytest

from peerwork.accounts import actions as accounts
from peerwork.accounts import invitations
from peerwork.activity.models import Notification
from peerwork.activity.selectors import unread_notification_count
from peerwork.core import hotsql
from peerwork.spaces import actions as spaces

pytestmark = pytest.mark.django_db


def orm_pending(user: Any) -> int:
    return sum(invitations.pending_for(k, user).count() for k in invitations.kinds())


def test_pending_invitations_of_every_kind_and_state(make_user: Any, make_space: Any) -> None:
    owner, ada, grace = make_user("owner"), make_user("ada"), make_user("grace")
    assert invitations.pending_count(ada) == orm_pending(ada) == 0
    organization = accounts.organization_create(user=owner, slug="org", name="Org")
    rooms = [
        make_space(owner, f"room-{n}", visibility="members", participation="members")
        for n in range(3)
    ]
    sent = [spaces.space_invitation_create(user=owner, space=room, invitee=ada) for room in rooms]
    org_invite = accounts.organization_invitation_create(
        user=owner, organization=organization, invitee=ada
    )
    spaces.space_invitation_create(user=owner, space=rooms[0], invitee=grace)
    assert invitations.pending_count(ada) == orm_pending(ada) == 4
    assert invitations.pending_count(grace) == orm_pending(grace) == 1
    spaces.space_invitation_respond(user=ada, invitation=sent[0], accept=True)
    spaces.space_invitation_respond(user=ada, invitation=sent[1], accept=False)
    spaces.space_invitation_cancel(user=owner, invitation=sent[2])
    assert invitations.pending_count(ada) == orm_pending(ada) == 1
    accounts.organization_invitation_respond(user=ada, invitation=org_invite, accept=True)
    assert invitations.pending_count(ada) == orm_pending(ada) == 0
    assert invitations.pending_count(grace) == 1


def test_unread_check_reads_null_as_unread(make_user: Any, make_space: Any) -> None:
    ada = make_user("ada")
    assert not hotsql.any_row(Notification, user=ada, read_at=None)
    assert unread_notification_count(ada) == 0


def test_count_rows_adds_parts_and_none_is_null(make_user: Any) -> None:
    from peerwork.accounts.models import User

    make_user("ada")
    make_user("grace", display_name="Grace")
    assert hotsql.count_rows((User, {"display_name": "Grace"})) == 1
    assert hotsql.count_rows((User, {"display_name": "Grace"}), (User, {"display_name": "x"})) == 1
    assert hotsql.count_rows((User, {"is_active": True}), (User, {"is_active": True})) == 4
    assert hotsql.count_rows() == 0
    assert hotsql.any_row(User, username="ada", last_login=None)
    assert not hotsql.any_row(User, username="nobody")
