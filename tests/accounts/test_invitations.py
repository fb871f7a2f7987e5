"""The one invitation lifecycle, for both kinds: organizations and spaces agree on every step."""

from __future__ import annotations

from typing import Any

import pytest

from peerwork.accounts import actions as accounts
from peerwork.accounts import invitations
from peerwork.accounts.models import OrganizationMembership
from peerwork.core.errors import Conflict, Forbidden, Invalid, NotFound
from peerwork.spaces import actions as spaces
from peerwork.spaces.models import SpaceMembership


class Org:
    """Organization side: admin > member."""

    name = "organization"
    high = "admin"

    def __init__(self, owner: Any, make_space: Any) -> None:
        self.target = accounts.organization_create(user=owner, slug="lab", name="Lab")

    def add(self, owner: Any, person: Any, role: str) -> None:
        accounts.organization_member_add(
            user=owner, organization=self.target, member=person, role=role
        )

    def role_of(self, person: Any) -> str | None:
        membership = OrganizationMembership.objects.filter(
            organization=self.target, user=person
        ).first()
        return membership.role if membership else None


class Sp:
    """Space side: steward > member."""

    name = "space"
    high = "steward"

    def __init__(self, owner: Any, make_space: Any) -> None:
        self.target = make_space(owner, "notes", visibility="members", participation="members")

    def add(self, owner: Any, person: Any, role: str) -> None:
        spaces.space_member_add(user=owner, space=self.target, member=person, role=role)

    def role_of(self, person: Any) -> str | None:
        membership = SpaceMembership.objects.filter(space=self.target, user=person).first()
        return membership.role if membership else None


@pytest.fixture(params=[Org, Sp], ids=["organization", "space"])
def world(request: Any, make_user: Any, make_space: Any) -> Any:
    owner, invitee, other = make_user("ada"), make_user("cy"), make_user("bo")
    side = request.param(owner, make_space)
    side.kind = invitations.kind(side.name)
    side.owner, side.invitee, side.other = owner, invitee, other
    return side


def _invite(world: Any, role: str = "member") -> Any:
    return invitations.create(
        world.kind, user=world.owner, target=world.target, invitee=world.invitee, role=role
    )


def test_both_kinds_are_registered() -> None:
    assert {k.name for k in invitations.kinds()} == {"organization", "space"}


def test_accepting_grants_the_invited_role(world: Any) -> None:
    invitation = _invite(world, role=world.high)
    assert list(invitations.pending_for(world.kind, world.invitee)) == [invitation]
    assert list(invitations.pending_at(world.kind, viewer=world.owner, target=world.target)) == [
        invitation
    ]
    invitations.respond(world.kind, user=world.invitee, invitation=invitation, accept=True)
    assert world.role_of(world.invitee) == world.high
    assert list(invitations.pending_for(world.kind, world.invitee)) == []


def test_accepting_raises_a_lower_role(world: Any) -> None:
    invitation = _invite(world, role=world.high)
    world.add(world.owner, world.invitee, "member")  # joined some other way meanwhile
    invitations.respond(world.kind, user=world.invitee, invitation=invitation, accept=True)
    assert world.role_of(world.invitee) == world.high


def test_accepting_never_lowers_a_role(world: Any) -> None:
    invitation = _invite(world, role="member")
    world.add(world.owner, world.invitee, world.high)
    invitations.respond(world.kind, user=world.invitee, invitation=invitation, accept=True)
    assert world.role_of(world.invitee) == world.high


def test_declining_grants_nothing_and_closes_the_invitation(world: Any) -> None:
    invitation = _invite(world)
    invitations.respond(world.kind, user=world.invitee, invitation=invitation, accept=False)
    assert world.role_of(world.invitee) is None
    with pytest.raises(Conflict):
        invitations.respond(world.kind, user=world.invitee, invitation=invitation, accept=True)


def test_cancelled_invitation_cannot_be_accepted(world: Any) -> None:
    invitation = _invite(world)
    invitations.cancel(world.kind, user=world.owner, invitation=invitation)
    assert invitations.pending_count(world.invitee) == 0
    with pytest.raises(Conflict):
        invitations.respond(world.kind, user=world.invitee, invitation=invitation, accept=True)
    assert world.role_of(world.invitee) is None


def test_one_pending_invitation_a_person_and_no_invitation_for_members(world: Any) -> None:
    _invite(world)
    with pytest.raises(Conflict):
        _invite(world)
    with pytest.raises(Conflict):
        invitations.create(world.kind, user=world.owner, target=world.target, invitee=world.owner)
    with pytest.raises(Invalid):
        invitations.create(
            world.kind, user=world.owner, target=world.target, invitee=world.other, role="king"
        )


def test_only_the_invitee_answers_and_only_managers_cancel(world: Any) -> None:
    invitation = _invite(world)
    with pytest.raises(NotFound):  # concealed from strangers
        invitations.get(world.kind, viewer=world.other, invitation_id=invitation.pk)
    with pytest.raises(NotFound):
        invitations.respond(world.kind, user=world.other, invitation=invitation, accept=True)
    with pytest.raises(Forbidden):  # the inviter sees it but cannot answer for the invitee
        invitations.respond(world.kind, user=world.owner, invitation=invitation, accept=True)
    with pytest.raises(Forbidden):
        invitations.cancel(world.kind, user=world.invitee, invitation=invitation)
    assert invitations.get(world.kind, viewer=world.invitee, invitation_id=invitation.pk)


def test_pending_count_adds_every_kind(make_user: Any, make_space: Any) -> None:
    ada, cy = make_user("ada"), make_user("cy")
    lab = accounts.organization_create(user=ada, slug="lab", name="Lab")
    notes = make_space(ada, "notes")
    accounts.organization_invitation_create(user=ada, organization=lab, invitee=cy)
    spaces.space_invitation_create(user=ada, space=notes, invitee=cy)
    assert invitations.pending_count(cy) == 2
    assert invitations.pending_count(ada) == 0


WEB = {
    "organization": (
        "/invitations/organization/{}/respond",
        "/invitations/organization/{}/cancel",
        "/organizations/lab/",
    ),
    "space": ("/invitations/space/{}/respond", "/invitations/space/{}/cancel", "/s/notes/"),
}


def test_the_web_pages_answer_invitations_of_both_kinds(world: Any, client: Any) -> None:
    respond_url, cancel_url, home = WEB[world.name]
    first, second = _invite(world, role=world.high), None
    client.force_login(world.invitee)
    page = client.get("/invitations/")
    assert page.status_code == 200 and respond_url.format(first.pk).encode() in page.content
    response = client.post(respond_url.format(first.pk), {"accept": "1"})
    assert response.status_code == 302 and response["Location"].startswith(home)
    assert world.role_of(world.invitee) == world.high

    second = invitations.create(
        world.kind, user=world.owner, target=world.target, invitee=world.other
    )
    client.force_login(world.other)
    assert client.post(cancel_url.format(second.pk)).status_code == 403
    response = client.post(respond_url.format(second.pk), {"accept": "0"})
    assert response.status_code == 302 and response["Location"] == "/invitations/"
    assert world.role_of(world.other) is None

    third = invitations.create(
        world.kind, user=world.owner, target=world.target, invitee=world.other
    )
    client.force_login(world.owner)
    response = client.post(cancel_url.format(third.pk))
    assert response.status_code == 302
    third.refresh_from_db()
    assert third.status == "cancelled"
