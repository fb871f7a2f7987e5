"""Destructive actions look destructive and ask first, with or without JavaScript.

Each form is a red "danger" button with `data-confirm` (site.js asks in a <dialog>); a post
without `confirmed=yes` answers a page that says what will happen and what cannot be undone,
carrying the posted fields, and changes nothing; the confirmed post acts.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from peerwork.accounts import actions as accounts
from peerwork.accounts.models import ApiToken, OrganizationMembership
from peerwork.activity.models import Event
from peerwork.spaces import actions as spaces
from peerwork.spaces.models import JoinRequest, SpaceMembership
from peerwork.wiki import actions as wiki
from peerwork.wiki.models import Page

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user: Any, make_space: Any, client_as: Any) -> Any:
    class World:
        ana = make_user("ana", display_name="Ana")
        bea = make_user("bea", display_name="Bea")
        cai = make_user("cai", display_name="Cai")
        space = make_space(ana, "garden")
        closed = make_space(ana, "closed", participation="members")
        membership = spaces.space_member_add(user=ana, space=space, member=bea, role="member")
        join_request = spaces.join_request_create(user=cai, space=closed, message="hi")
        token, _raw = accounts.token_create(user=bea, person=bea, name="laptop", scope="read")
        organization = accounts.organization_create(user=ana, slug="coop", name="Coop")
        accounts.organization_member_add(
            user=ana, organization=organization, member=bea, role="member"
        )
        ana_client = client_as(ana)
        bea_client = client_as(bea)
        cai_client = client_as(cai)

    return World


def _case(world: Any, name: str) -> dict[str, Any]:
    """(who, page with the button, address, fields, question, irreversible, check it was done)"""
    first = wiki.page_save(
        user=world.ana, space=world.space, title="Log", text="a\n", base_revision_id=None
    )
    wiki.page_save(
        user=world.bea,
        space=world.space,
        title="Log",
        text="a\nb\n",
        base_revision_id=first.revision.pk,
    )
    cases = {
        "member-remove": dict(
            client=world.ana_client,
            page="/s/garden/members/",
            url=f"/s/garden/members/{world.membership.pk}/remove",
            question="Remove Bea from Garden?",
            irreversible="To come back they have to be invited or ask to join again.",
            done=lambda: not SpaceMembership.objects.filter(pk=world.membership.pk).exists(),
        ),
        "leave": dict(
            client=world.bea_client,
            page="/s/garden/",
            url="/s/garden/leave",
            question="Leave Garden?",
            irreversible="To come back you have to be invited or ask to join again.",
            done=lambda: not SpaceMembership.objects.filter(pk=world.membership.pk).exists(),
        ),
        "join-request-withdraw": dict(
            client=world.cai_client,
            page="/s/closed/",
            url=f"/s/closed/join-requests/{world.join_request.pk}/withdraw",
            question="Withdraw your request to join Closed?",
            irreversible="To join later you have to ask again.",
            done=lambda: JoinRequest.objects.get(pk=world.join_request.pk).status != "pending",
        ),
        "token-revoke": dict(
            client=world.bea_client,
            page="/settings/tokens/",
            url=f"/settings/tokens/{world.token.pk}/revoke",
            question="Revoke the token “laptop”?",
            irreversible="A revoked token cannot be used again; make a new one instead.",
            done=lambda: ApiToken.objects.get(pk=world.token.pk).revoked_at is not None,
        ),
        "organization-member-remove": dict(
            client=world.ana_client,
            page="/organizations/coop/",
            url="/organizations/coop/members/bea/remove",
            question="Remove Bea from Coop?",
            irreversible="To come back they have to be invited again.",
            done=lambda: not OrganizationMembership.objects.filter(user=world.bea).exists(),
        ),
        "organization-leave": dict(
            client=world.bea_client,
            page="/organizations/coop/",
            url="/organizations/coop/members/bea/remove",
            question="Leave Coop?",
            irreversible="To come back you have to be invited again.",
            done=lambda: not OrganizationMembership.objects.filter(user=world.bea).exists(),
        ),
        "rollback": dict(
            client=world.ana_client,
            page="/s/garden/history/Log",
            url="/s/garden/rollback/Log",
            question="Roll back Log?",
            irreversible=(
                "The edits stay in the history, but a rollback is marked as one on the public "
                "log; to keep part of them, undo single edits instead."
            ),
            done=lambda: Page.objects.get(title="Log").current_revision.content.text == "a\n",
        ),
    }
    return cases[name]


CASES = [
    "member-remove",
    "leave",
    "join-request-withdraw",
    "token-revoke",
    "organization-member-remove",
    "organization-leave",
    "rollback",
]


def _form_of(body: str, url: str) -> str:
    found = re.search(rf'<form method="post" action="{re.escape(url)}"[^>]*>.*?</form>', body, re.S)
    assert found, f"no form posting to {url}"
    return found.group(0)


@pytest.mark.parametrize("name", CASES)
def test_a_destructive_action_is_red_asks_first_and_acts_only_when_confirmed(
    world: Any, name: str
) -> None:
    case = _case(world, name)
    client = case["client"]
    form = _form_of(client.get(case["page"]).content.decode(), case["url"])
    assert "data-confirm=" in form
    assert f'data-confirm-detail="{case["irreversible"]}"' in form.replace("&#x27;", "'")
    assert re.search(r'<button type="submit" class="danger[^"]*"', form)
    events = Event.objects.count()

    asked = client.post(case["url"])

    assert asked.status_code == 200
    body = asked.content.decode()
    assert f'<h1 id="confirm-title">{case["question"]}</h1>' in body
    assert f"<strong>This cannot be undone.</strong> {case['irreversible']}" in body
    assert f'<form method="post" action="{case["url"]}">' in body
    assert '<input type="hidden" name="confirmed" value="yes">' in body
    assert '<button type="submit" class="danger">' in body
    # Nothing changed.
    assert not case["done"]()
    assert Event.objects.count() == events

    acted = client.post(case["url"], {"confirmed": "yes"})

    assert acted.status_code == 302
    assert case["done"]()


def test_rejecting_a_join_request_asks_first_and_approving_does_not(world: Any) -> None:
    members = world.ana_client.get("/s/closed/members/").content.decode()
    assert (
        '<button type="submit" name="decision" value="reject" class="danger secondary small" '
        'data-confirm="Turn down the request of Cai?" '
        'data-confirm-detail="To join later they have to ask again.">Reject</button>'
    ) in members
    url = f"/s/closed/join-requests/{world.join_request.pk}/decide"
    asked = world.ana_client.post(url, {"decision": "reject"})
    assert asked.status_code == 200
    body = asked.content.decode()
    assert '<h1 id="confirm-title">Turn down the request of Cai?</h1>' in body
    assert '<input type="hidden" name="decision" value="reject">' in body
    assert JoinRequest.objects.get(pk=world.join_request.pk).status == "pending"
    done = world.ana_client.post(url, {"decision": "reject", "confirmed": "yes"})
    assert done.status_code == 302
    assert JoinRequest.objects.get(pk=world.join_request.pk).status == "rejected"


def test_approving_a_join_request_needs_no_confirmation(world: Any) -> None:
    url = f"/s/closed/join-requests/{world.join_request.pk}/decide"
    assert world.ana_client.post(url, {"decision": "approve"}).status_code == 302
    assert JoinRequest.objects.get(pk=world.join_request.pk).status == "approved"


def test_a_confirmation_for_someone_refused_is_never_shown(world: Any) -> None:
    refused = world.bea_client.post(f"/s/garden/members/{world.membership.pk}/remove")
    assert refused.status_code == 403
    assert SpaceMembership.objects.filter(pk=world.membership.pk).exists()
    refused = world.bea_client.post("/s/garden/rollback/Log", {"confirmed": "yes"})
    assert refused.status_code in (403, 404)


def test_the_confirmation_page_in_spanish(world: Any) -> None:
    asked = world.bea_client.post("/s/garden/leave", HTTP_ACCEPT_LANGUAGE="es")
    body = asked.content.decode()
    assert '<h1 id="confirm-title">¿Salir de Garden?</h1>' in body
    assert (
        "<strong>No se puede deshacer.</strong> "
        "Para volver tendrás que ser invitado o pedir unirte de nuevo."
    ) in body
    assert '<button type="submit" class="danger">Salir de este espacio</button>' in body
    assert SpaceMembership.objects.filter(pk=world.membership.pk).exists()


def test_the_page_carries_the_confirm_dialog_for_script(world: Any) -> None:
    body = world.bea_client.get("/s/garden/").content.decode()
    assert '<dialog id="confirm-dialog" class="confirm-dialog"' in body
    assert 'id="confirm-dialog-yes">Confirm</button>' in body


def test_deleting_a_page_has_its_own_page_that_says_what_happens(world: Any) -> None:
    wiki.page_save(
        user=world.ana, space=world.space, title="Log", text="a\n", base_revision_id=None
    )
    body = world.ana_client.get("/s/garden/delete/Log").content.decode()
    assert (
        "A deleted page and its history are hidden from everyone but the people who may "
        "restore it. Nothing is erased."
    ) in body
    assert '<button type="submit" class="danger">Delete the page</button>' in body
    # A post without its reason changes nothing.
    assert world.ana_client.post("/s/garden/delete/Log").status_code == 400
    assert not Page.objects.get(title="Log").is_deleted
