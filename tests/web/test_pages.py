"""The web pages through the Django test client: what a person sees, with exact answers."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from peerwork.accounts.models import ApiToken, User
from peerwork.activity.models import Event
from peerwork.spaces.models import Space, SpaceMembership

pytestmark = pytest.mark.django_db


def _without_csrf(response: Any) -> str:
    return re.sub(r'("X-CSRFToken": "|value=")[A-Za-z0-9]{64}', r"\1", response.content.decode())


def test_anonymous_sees_a_public_space_but_not_a_members_only_one(
    make_user: Any, make_space: Any
) -> None:
    ana = make_user("ana")
    make_space(ana, "open-garden")
    make_space(ana, "back-room", visibility="members", participation="members")
    client = Client()

    public = client.get("/s/open-garden/")
    hidden = client.get("/s/back-room/")
    missing = client.get("/s/no-such-space/")

    assert public.status_code == 200
    assert "Open Garden" in public.content.decode()
    assert hidden.status_code == 404
    assert "Back Room" not in hidden.content.decode()
    # A hidden space answers exactly like one that does not exist.
    assert _without_csrf(hidden).replace("back-room", "X") == _without_csrf(missing).replace(
        "no-such-space", "X"
    )
    home = client.get("/").content.decode()
    assert "Open Garden" in home
    assert "Back Room" not in home


def test_members_only_space_is_hidden_from_a_signed_in_outsider_everywhere(
    make_user: Any, make_space: Any, client_as: Any
) -> None:
    ana = make_user("ana")
    make_user("olga")
    make_space(ana, "back-room", visibility="members", participation="members")
    olga = client_as(User.objects.get(username="olga"))

    for path in (
        "/s/back-room/",
        "/s/back-room/members/",
        "/s/back-room/activity/",
        "/s/back-room/activity.atom",
    ):
        assert olga.get(path).status_code == 404, path
    assert "Back Room" not in olga.get("/activity/").content.decode()


def test_token_secret_is_shown_once(make_user: Any, client_as: Any) -> None:
    ana = make_user("ana")
    client = client_as(ana)

    created = client.post("/settings/tokens/", {"name": "my bot", "scope": "write"})

    assert created.status_code == 201
    page = created.content.decode()
    secret = re.search(r'value="(pw_[^"]+)"', page).group(1)
    token = ApiToken.objects.get(user=ana)
    assert ApiToken.digest_of(secret) == token.digest
    assert token.scope == "write"
    assert "this is the only time it is shown" in page
    again = client.get("/settings/tokens/").content.decode()
    assert secret not in again
    assert "my bot" in again
    assert f"{token.hint}…" in again
    # The token works as a bearer token on the API.
    me = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert me.json()["username"] == "ana"


def test_revoking_a_token(make_user: Any, client_as: Any) -> None:
    ana = make_user("ana")
    client = client_as(ana)
    client.post("/settings/tokens/", {"name": "old", "scope": "read"})
    token = ApiToken.objects.get(user=ana)

    asked = client.post(f"/settings/tokens/{token.pk}/revoke")
    assert asked.status_code == 200
    assert "Revoke the token “old”?" in asked.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None

    response = client.post(f"/settings/tokens/{token.pk}/revoke", {"confirmed": "yes"})

    assert response.status_code == 302
    assert response["Location"] == "/settings/tokens/"
    token.refresh_from_db()
    assert token.revoked_at is not None


@pytest.mark.parametrize(
    "path",
    [
        "/logout/",
        "/settings/tokens/1/revoke",
        "/s/garden/join",
        "/s/garden/leave",
        "/s/garden/settings/policy",
        "/s/garden/members/add",
        "/s/garden/members/1/role",
        "/s/garden/members/1/remove",
        "/s/garden/join-requests/",
        "/s/garden/join-requests/1/decide",
        "/s/garden/join-requests/1/withdraw",
        "/s/garden/invitations/",
        "/invitations/space/1/respond",
        "/invitations/space/1/cancel",
        "/organizations/acme/members/add",
        "/organizations/acme/members/ana/role",
        "/organizations/acme/members/ana/remove",
        "/organizations/acme/invitations/",
        "/invitations/organization/1/respond",
    ],
)
def test_post_only_routes_answer_get_with_405(path: str) -> None:
    assert Client().get(path).status_code == 405


def test_signup_with_a_taken_username_keeps_what_was_typed(make_user: Any) -> None:
    make_user("ana")
    before = User.objects.count()

    response = Client().post(
        "/signup/",
        {
            "username": "ANA",
            "display_name": "Ana the Second",
            "email": "",
            "password1": "a long enough passphrase",
            "password2": "a long enough passphrase",
        },
    )

    assert response.status_code == 409
    page = response.content.decode()
    assert "The username &#x27;ANA&#x27; is taken; choose another." in page
    assert 'value="Ana the Second"' in page
    assert 'value="ANA"' in page
    assert User.objects.count() == before


def test_signup_signs_in_and_records_the_event() -> None:
    client = Client()
    response = client.post(
        "/signup/",
        {
            "username": "bea",
            "display_name": "Bea",
            "email": "bea@example.org",
            "password1": "a long enough passphrase",
            "password2": "a long enough passphrase",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == "/"
    home = client.get("/").content.decode()
    assert "Welcome to peerwork, Bea." in home
    assert Event.objects.filter(verb="user:signed_up", actor__username="bea").count() == 1


def test_pages_that_need_sign_in_send_to_login() -> None:
    for path in (
        "/settings/profile/",
        "/settings/tokens/",
        "/invitations/",
        "/spaces/new/",
        "/organizations/new/",
    ):
        response = Client().get(path)
        assert response.status_code == 302, path
        assert response["Location"] == f"/login/?next={path}", path


def test_bad_policy_json_keeps_the_text(make_user: Any, make_space: Any, client_as: Any) -> None:
    ana = make_user("ana")
    space = make_space(ana, "garden")
    client = client_as(ana)

    bad_json = client.post("/s/garden/settings/policy", {"policy": '{"capitalize_titles": false,'})
    bad_key = client.post("/s/garden/settings/policy", {"policy": '{"capitalize_titlez": 3}'})

    assert bad_json.status_code == 400
    assert "This is not valid JSON" in bad_json.content.decode()
    assert "{&quot;capitalize_titles&quot;: false," in bad_json.content.decode()
    assert bad_key.status_code == 422
    assert "Unknown policy key &#x27;capitalize_titlez&#x27;" in bad_key.content.decode()
    assert "{&quot;capitalize_titlez&quot;: 3}" in bad_key.content.decode()
    space.refresh_from_db()
    assert space.policy["capitalize_titles"] is True

    good = client.post("/s/garden/settings/policy", {"policy": '{"capitalize_titles": false}'})
    assert good.status_code == 302
    space.refresh_from_db()
    assert space.policy["capitalize_titles"] is False


def test_steward_adds_a_member_and_an_outsider_may_not(
    make_user: Any, make_space: Any, client_as: Any
) -> None:
    ana = make_user("ana")
    bea = make_user("bea")
    make_space(ana, "back-room", visibility="members", participation="members")

    denied = client_as(bea).post("/s/back-room/members/add", {"username": "bea", "role": "member"})
    unknown = client_as(ana).post(
        "/s/back-room/members/add", {"username": "nobody", "role": "member"}
    )
    added = client_as(ana).post("/s/back-room/members/add", {"username": "bea", "role": "member"})

    assert denied.status_code == 404
    assert unknown.status_code == 422
    assert "There is no person called &#x27;nobody&#x27;." in unknown.content.decode()
    assert added.status_code == 302
    space = Space.objects.get(slug="back-room")
    assert SpaceMembership.objects.filter(space=space, user=bea, role="member").count() == 1
    assert client_as(bea).get("/s/back-room/").status_code == 200


def test_every_page_renders_for_a_steward(make_user: Any, make_space: Any, client_as: Any) -> None:
    ana = make_user("ana", display_name="Ana")
    make_space(ana, "garden")
    client = client_as(ana)
    client.post(
        "/organizations/new/", {"slug": "acme", "name": "Acme", "description": "", "website": ""}
    )
    space = Space.objects.get(slug="garden")
    pages = [
        "/",
        "/spaces/",
        "/spaces/new/",
        "/s/garden/",
        "/s/garden/settings/",
        "/s/garden/members/",
        "/s/garden/activity/",
        "/activity/",
        "/people/ana/",
        "/people/ana/activity/",
        "/settings/profile/",
        "/settings/password/",
        "/settings/tokens/",
        "/organizations/",
        "/organizations/new/",
        "/organizations/acme/",
        "/organizations/acme/edit/",
        "/invitations/",
        f"/history/spaces.space/{space.pk}/",
        "/problems/",
        "/problems/not-found",
        "/signup/",
        "/login/",
    ]
    for path in pages:
        assert client.get(path).status_code in (200, 302), path
    feed = client.get("/s/garden/activity.atom")
    assert feed.status_code == 200
    assert feed["Content-Type"].startswith("application/atom+xml")
    assert "created the space" in feed.content.decode()


def test_activity_pages_paginate_with_before(
    make_user: Any, make_space: Any, client_as: Any
) -> None:
    ana = make_user("ana")
    make_space(ana, "garden")
    client = client_as(ana)
    for number in range(55):
        client.post(
            "/s/garden/settings/",
            {
                "name": f"Garden {number}",
                "description": "",
                "visibility": "public",
                "participation": "anyone",
                "licence": "CC-BY-SA-4.0",
            },
        )
    events = list(Event.objects.filter(space__slug="garden").order_by("-id"))
    assert len(events) == 56

    first = client.get("/s/garden/activity/").content.decode()
    assert first.count('class="event"') == 50
    assert f"?before={events[49].pk}" in first
    more = client.get(f"/s/garden/activity/?before={events[49].pk}", HTTP_HX_REQUEST="true")
    body = more.content.decode()
    assert body.count('class="event"') == 6
    assert "<html" not in body
    assert "?before=" not in body
    assert "Garden 0" in body  # the first change, old -> new
