"""Who sees a profile's time zone and languages, and where a personal setting's change is seen.

Viewers: anonymous, a stranger (signed in, no space in common), a member of a space the person
belongs to, the person, a site administrator; each through the profile page and the REST API.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from peerwork.accounts import actions as accounts
from peerwork.activity import recorder
from peerwork.activity.models import Event
from peerwork.activity.verify import verify_all
from peerwork.cli import main
from peerwork.spaces import actions as spaces
from tests.conftest import PASSWORD

ZONE = "Pacific/Auckland"
LANGUAGE = "Te reo Māori"
VIEWERS = ["anonymous", "stranger", "member", "self", "admin"]


@pytest.fixture
def world(make_user: Any, make_space: Any) -> dict[str, Any]:
    ada = make_user("ada", display_name="Ada Lovelace")
    accounts.user_update_profile(
        user=ada, person=ada, time_zone=ZONE, languages=[LANGUAGE], skills=["weaving"]
    )
    member = make_user("grace")
    space = make_space(ada, "atlas", visibility="members", participation="members")
    spaces.space_member_add(user=ada, space=space, member=member)
    make_user("linus")
    admin = make_user("ostrom")
    admin.is_superuser = True
    admin.save(update_fields=["is_superuser"])
    return {"ada": ada, "space": space}


def _client(name: str) -> Client:
    client = Client()
    username = {"stranger": "linus", "member": "grace", "self": "ada", "admin": "ostrom"}.get(name)
    if username:
        assert client.login(username=username, password=PASSWORD)
    return client


def _api(client: Client, path: str) -> Any:
    return client.get(f"/api/v1{path}")


#: (visibility, viewers who see the detail)
RULES = [
    ("everyone", {"anonymous", "stranger", "member", "self", "admin"}),
    ("spaces", {"member", "self", "admin"}),
    ("self", {"self", "admin"}),
]


@pytest.mark.parametrize(("visibility", "seeing"), RULES)
@pytest.mark.parametrize("viewer", VIEWERS)
def test_time_zone_and_languages_follow_the_persons_choice(
    world: Any, visibility: str, seeing: set[str], viewer: str
) -> None:
    ada = world["ada"]
    accounts.user_update_profile(
        user=ada, person=ada, time_zone_visibility=visibility, languages_visibility=visibility
    )
    client = _client(viewer)
    page = client.get("/people/ada/")
    assert page.status_code == 200
    html = page.content.decode()
    body = _api(client, "/users/ada").json()
    assert "weaving" in html and body["skills"] == ["weaving"]  # always public
    assert body["display_name"] == "Ada Lovelace"
    if viewer in seeing:
        assert ZONE in html and LANGUAGE in html
        assert body["time_zone"] == ZONE
        assert body["languages"] == [LANGUAGE]
    else:
        assert ZONE not in html and LANGUAGE not in html
        assert body["time_zone"] is None
        assert body["languages"] is None


def test_each_detail_has_its_own_choice(world: Any) -> None:
    ada = world["ada"]
    accounts.user_update_profile(
        user=ada, person=ada, time_zone_visibility="everyone", languages_visibility="self"
    )
    body = _api(_client("anonymous"), "/users/ada").json()
    assert (body["time_zone"], body["languages"]) == (ZONE, None)


def test_the_default_shows_details_to_people_in_my_spaces(db: Any, make_user: Any) -> None:
    newcomer = make_user("newcomer", display_name="New Comer")
    assert newcomer.time_zone_visibility == "spaces"
    assert newcomer.languages_visibility == "spaces"
    assert _api(Client(), "/users/newcomer").json()["time_zone"] is None


def test_privacy_is_set_from_the_settings_page_in_its_own_fieldset(world: Any) -> None:
    client = _client("self")
    page = client.get("/settings/profile/").content.decode()
    fieldset = page.split('data-testid="privacy-settings"')[1].split('<button type="submit"')[0]
    assert 'name="time_zone_visibility"' in fieldset
    assert 'name="languages_visibility"' in fieldset
    assert 'name="display_name"' not in fieldset
    response = client.post(
        "/settings/profile/",
        {
            "display_name": "Ada Lovelace",
            "skills": "weaving",
            "languages": LANGUAGE,
            "time_zone": ZONE,
            "time_zone_visibility": "everyone",
            "languages_visibility": "self",
        },
    )
    assert response.status_code == 302
    world["ada"].refresh_from_db()
    assert world["ada"].time_zone_visibility == "everyone"
    assert world["ada"].languages_visibility == "self"


def test_privacy_is_set_through_the_api_and_bad_values_change_nothing(
    world: Any, api_as: Any
) -> None:
    api = api_as(world["ada"])
    response = api.patch("/me", {"time_zone_visibility": "everyone"})
    assert response.status_code == 200
    assert response.json()["time_zone_visibility"] == "everyone"
    assert response.json()["languages_visibility"] == "spaces"
    bad = api.patch("/me", {"time_zone_visibility": "friends", "display_name": "Someone else"})
    assert bad.status_code == 422
    assert bad["Content-Type"].startswith("application/problem+json")
    world["ada"].refresh_from_db()
    assert world["ada"].time_zone_visibility == "everyone"
    assert world["ada"].display_name == "Ada Lovelace"


def test_the_spanish_profile_says_who_sees_the_details(world: Any) -> None:
    client = _client("self")
    client.cookies["django_language"] = "es"
    page = client.get("/people/ada/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert (
        "Quién ve tu zona horaria: las personas de tus espacios; "
        "tus idiomas: las personas de tus espacios." in page
    )
    settings_page = client.get("/settings/profile/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Privacidad" in settings_page
    assert "solo yo" in settings_page


# ---- where a change of personal settings is seen --------------------------------------------


def _public_channels(client: Client, ada_pk: int) -> list[str]:
    """Every page and answer in which others could read a person's changes."""
    return [
        client.get("/activity/").content.decode(),
        client.get("/people/ada/activity/").content.decode(),
        client.get(f"/history/accounts.user/{ada_pk}/").content.decode(),
        json.dumps(_api(client, "/activity").json()),
        json.dumps(_api(client, "/users/ada/activity").json()),
        json.dumps(_api(client, f"/history/accounts.user/{ada_pk}").json()),
        b"".join(client.get("/s/atlas/export.jsonl").streaming_content).decode()
        if client.get("/s/atlas/export.jsonl").status_code == 200
        else "",
    ]


def test_a_personal_setting_change_is_private_to_the_person_and_administrators(world: Any) -> None:
    ada = world["ada"]
    accounts.user_update_profile(user=ada, person=ada, time_zone="America/Lima")
    event = Event.objects.filter(actor=ada).latest("id")
    assert event.verb == "user:settings_changed"
    assert event.data == {"time_zone": {"old": ZONE, "new": "America/Lima"}}
    for viewer in ("anonymous", "stranger", "member"):
        for text in _public_channels(_client(viewer), ada.pk):
            assert "America/Lima" not in text, viewer
            assert "user:settings_changed" not in text, viewer
            assert "changed their personal settings" not in text, viewer
    for viewer in ("self", "admin"):
        client = _client(viewer)
        assert "America/Lima" in client.get("/people/ada/activity/").content.decode()
        assert "changed their personal settings" in client.get("/activity/").content.decode()
        verbs = [e["verb"] for e in _api(client, "/users/ada/activity").json()["items"]]
        assert "user:settings_changed" in verbs
    assert all(report.ok for report in verify_all())
    assert main(["verify-log"]) == 0


def test_a_mixed_edit_splits_into_a_public_and_a_private_event(world: Any) -> None:
    ada = world["ada"]
    before = Event.objects.order_by("-id").values_list("id", flat=True).first() or 0
    accounts.user_update_profile(
        user=ada, person=ada, bio="Poetical science", languages=["English"], language="es"
    )
    public, private = Event.objects.filter(pk__gt=before).order_by("id")
    assert (public.verb, set(public.data)) == ("user:profile_updated", {"bio"})
    assert (private.verb, set(private.data)) == ("user:settings_changed", {"languages", "language"})
    anonymous = _api(Client(), "/users/ada/activity").json()["items"]
    assert [e["verb"] for e in anonymous][0] == "user:profile_updated"
    assert "English" not in json.dumps(anonymous)


def test_old_profile_edits_hide_their_personal_settings_from_others(world: Any) -> None:
    """Events written before profile edits were split keep their hash: read, they are narrowed."""
    ada = world["ada"]
    with transaction.atomic():
        only_private = recorder.record(
            actor=ada,
            verb="user:profile_updated",
            target=ada,
            data={"time_zone": {"old": "UTC", "new": "Asia/Kolkata"}},
        )
        mixed = recorder.record(
            actor=ada,
            verb="user:profile_updated",
            target=ada,
            data={
                "bio": {"old": "", "new": "Analyst"},
                "languages": {"old": [], "new": ["Hindi"]},
            },
        )
    for viewer in ("anonymous", "stranger", "member"):
        client = _client(viewer)
        items = _api(client, "/users/ada/activity").json()["items"]
        ids = [e["id"] for e in items]
        assert only_private.pk not in ids
        assert mixed.pk in ids
        shown = next(e for e in items if e["id"] == mixed.pk)
        assert shown["data"] == {"bio": {"old": "", "new": "Analyst"}}
        for text in _public_channels(client, ada.pk):
            assert "Asia/Kolkata" not in text and "Hindi" not in text
    admin_ids = [e["id"] for e in _api(_client("admin"), "/users/ada/activity").json()["items"]]
    assert only_private.pk in admin_ids
    own = _client("self").get("/people/ada/activity/").content.decode()
    assert "Analyst" in own
    assert all(report.ok for report in verify_all())
