"""A steward's MediaWiki modules: protect (levels, expiry, cascade, create protection), block
and unblock (and what a blocked person meets), undelete, and their log entries; with the web
page and REST endpoint of blocks, which go through the same actions."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from peerwork.core import policy
from peerwork.interop.mediawiki.context import ExpiryError, parse_expiry
from peerwork.spaces import actions as spaces
from peerwork.spaces.models import Block
from peerwork.wiki import actions as wiki
from peerwork.wiki.models import Page, TitleProtection
from tests.interop.test_mediawiki_api import MW

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user: Any, make_space: Any) -> Any:
    class World:
        steward = make_user("steward")
        eve = make_user("eve")
        space = make_space(steward, "atlas")

    for title, text in (("Doc", "Hello."), ("Template:Box", "a box"), ("Home", "{{Box}} here")):
        wiki.page_save(
            user=World.steward, space=World.space, title=title, text=text, base_revision_id=None
        )
    return World


def _as(name: str) -> MW:
    mw = MW("atlas")
    assert mw.login(name)["login"]["result"] == "Success"
    return mw


def _protect(mw: MW, **params: Any) -> Any:
    return mw.post(action="protect", token=mw.csrf(), **params)


def _page(title: str) -> Page:
    namespace = 10 if title.startswith("Template:") else 0
    return Page.objects.get(namespace=namespace, title=title.removeprefix("Template:"))


# ---------------------------------------------------------------------------- expiry parsing


def test_expiry_forms() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    for word in ("infinite", "indefinite", "infinity", "never", ""):
        assert parse_expiry(word, now=now) is None
    assert parse_expiry("1 week", now=now) == now + timedelta(weeks=1)
    assert parse_expiry("2 days 3 hours", now=now) == now + timedelta(days=2, hours=3)
    assert parse_expiry("9999-01-01T00:00:00Z") == datetime(9999, 1, 1, tzinfo=UTC)
    assert parse_expiry("20300102030405") == datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)
    for bad in ("soon", "1 fortnite", "tomorrow-ish", "now"):
        with pytest.raises(ExpiryError):
            parse_expiry(bad, now=now)


# ---------------------------------------------------------------------------- protect


def test_protect_levels_and_answer_shape(world: Any) -> None:
    mw = _as("steward")
    result = _protect(mw, title="Doc", protections="edit=sysop|move=autoconfirmed", expiry="1 week")
    assert result["protect"]["title"] == "Doc"
    edit, move = result["protect"]["protections"]
    assert edit["edit"] == "sysop" and move["move"] == "autoconfirmed"
    page = _page("Doc")
    assert (page.edit_protection, page.move_protection) == ("stewards", "autoconfirmed")
    assert page.protection_expires_at is not None
    assert edit["expiry"] == page.protection_expires_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    # eve may no longer edit: MediaWiki's protectedpage, and the text is unchanged
    answer = _as("eve").edit(title="Doc", text="vandal")
    assert answer["error"]["code"] == "protectedpage"
    assert page.current_revision.content.text == "Hello."
    # anonymous visitors meet the protection before the log-in refusal, as on MediaWiki
    anonymous = MW("atlas")
    assert anonymous.edit(title="Doc", text="x")["error"]["code"] == "protectedpage"
    # an empty `protections` lifts everything
    result = _protect(mw, title="Doc", protections="")
    assert result["protect"]["protections"] == []
    assert _as("eve").edit(title="Doc", text="fixed")["edit"]["result"] == "Success"


def test_protect_refuses_bad_input_and_changes_nothing(world: Any) -> None:
    mw = _as("steward")
    cases = {
        "protect-invalidlevel": {"protections": "edit=gods"},
        "protect-invalidaction": {"protections": "read=sysop"},
        "pastexpiry": {"protections": "edit=sysop", "expiry": "2001-01-01T00:00:00Z"},
        "invalidexpiry": {"protections": "edit=sysop", "expiry": "whenever"},
        "toomanyexpiries": {"protections": "edit=sysop", "expiry": "1 day|2 days"},
        "create-titleexists": {"protections": "create=sysop"},
    }
    for code, params in cases.items():
        assert _protect(mw, title="Doc", **params)["error"]["code"] == code, code
    assert _page("Doc").edit_protection == "anyone"
    denied = _protect(_as("eve"), title="Doc", protections="edit=sysop")
    assert denied["error"]["code"] == "permissiondenied"
    assert _page("Doc").edit_protection == "anyone"


def test_expired_protection_stops_applying(world: Any) -> None:
    mw = _as("steward")
    _protect(mw, title="Doc", protections="edit=sysop", expiry="2 hours")
    eve = world.eve
    page = _page("Doc")
    assert not policy.can(eve, "page.edit", page)
    with time_machine.travel(timezone.now() + timedelta(hours=3)):
        page = _page("Doc")
        assert policy.can(eve, "page.edit", page)
        info = MW("atlas").get(action="query", prop="info", inprop="protection", titles="Doc")
        assert next(iter(info["query"]["pages"].values()))["protection"] == []


def test_cascading_protection_covers_transcluded_pages(world: Any) -> None:
    mw = _as("steward")
    result = _protect(mw, title="Home", protections="edit=sysop", cascade="1")
    assert result["protect"]["cascade"] == ""
    answer = _as("eve").edit(title="Template:Box", text="defaced")
    assert answer["error"]["code"] == "protectedpage"
    assert _page("Template:Box").current_revision.content.text == "a box"
    info = mw.get(
        action="query", prop="info", inprop="protection", titles="Template:Box", formatversion=2
    )
    (protection,) = info["query"]["pages"][0]["protection"]
    assert protection == {"type": "edit", "level": "sysop", "expiry": "infinity", "source": "Home"}
    # an untouched page stays open, and lifting the cascade frees the template
    assert _as("eve").edit(title="Doc", text="fine")["edit"]["result"] == "Success"
    _protect(mw, title="Home", protections="edit=sysop")
    assert _as("eve").edit(title="Template:Box", text="box 2")["edit"]["result"] == "Success"


def test_cascade_needs_sysop_edit_level(world: Any) -> None:
    result = _protect(_as("steward"), title="Home", protections="edit=autoconfirmed", cascade="1")
    assert "cascade" not in result["protect"]
    assert "Cascading" in result["warnings"]["protect"]["*"]
    assert not _page("Home").is_cascading


def test_create_protection_of_a_missing_title(world: Any) -> None:
    mw = _as("steward")
    result = _protect(mw, title="Reserved", protections="create=sysop")
    assert result["protect"]["protections"] == [{"create": "sysop", "expiry": "infinite"}]
    answer = _as("eve").edit(title="Reserved", text="mine")
    assert answer["error"]["code"] == "protectedpage"
    assert not Page.objects.filter(title="Reserved").exists()
    info = mw.get(action="query", prop="info", inprop="protection", titles="Reserved")
    entry = next(iter(info["query"]["pages"].values()))
    assert entry["protection"] == [{"type": "create", "level": "sysop", "expiry": "infinity"}]
    # a steward creates it, and the reservation has done its work
    assert mw.edit(title="Reserved", text="official")["edit"]["result"] == "Success"
    assert not TitleProtection.objects.exists()


def test_protect_log_entries(world: Any) -> None:
    mw = _as("steward")
    _protect(mw, title="Doc", protections="edit=sysop", expiry="infinite", reason="vandals")
    _protect(mw, title="Doc", protections="edit=autoconfirmed")
    _protect(mw, title="Doc", protections="")
    log = mw.get(action="query", list="logevents", letype="protect", formatversion=2)
    entries = log["query"]["logevents"]
    assert [entry["action"] for entry in entries] == ["unprotect", "modify", "protect"]
    first = entries[-1]
    assert first["comment"] == "vandals"
    assert first["params"]["details"] == [
        {"type": "edit", "level": "sysop", "expiry": "infinite", "cascade": False}
    ]


def test_protect_watchlist_parameter(world: Any) -> None:
    mw = _as("steward")
    page = _page("Doc")
    _protect(mw, title="Doc", protections="edit=sysop", watchlist="unwatch")
    assert not page.watches.filter(user=world.steward).exists()
    _protect(mw, title="Doc", protections="edit=sysop", watchlist="nochange")
    assert not page.watches.filter(user=world.steward).exists()
    _protect(mw, title="Doc", protections="edit=sysop", watchlist="watch")
    assert page.watches.filter(user=world.steward).exists()


# ---------------------------------------------------------------------------- blocks


def test_block_and_unblock(world: Any) -> None:
    mw = _as("steward")
    result = mw.post(
        action="block", user="Eve", reason="spam", expiry="1 day", nocreate="1", token=mw.csrf()
    )
    block = Block.objects.get()
    assert result["block"]["id"] == block.pk
    assert result["block"]["userID"] == world.eve.pk
    assert result["block"]["user"] == "Eve"
    assert result["block"]["nocreate"] == ""
    assert block.expires_at is not None
    # the blocked person's edit: MediaWiki's `blocked` with blockinfo, and nothing saved
    eve = _as("eve")
    error = eve.edit(title="Doc", text="spam")["error"]
    assert error["code"] == "blocked"
    assert error["blockinfo"]["blockid"] == block.pk
    assert error["blockinfo"]["blockreason"] == "spam"
    assert error["blockinfo"]["blockedby"] == "Steward"
    assert eve.edit(title="Fresh", text="spam")["error"]["code"] == "blocked"
    assert not Page.objects.filter(title="Fresh").exists()
    # a second block without reblock is refused
    again = mw.post(action="block", user="eve", token=mw.csrf())
    assert again["error"]["code"] == "alreadyblocked"
    listed = mw.get(action="query", list="blocks", bkprop="id|user|by|reason|expiry")
    assert listed["query"]["blocks"][0]["user"] == "Eve"
    result = mw.post(action="unblock", user="eve", reason="ok", token=mw.csrf())
    assert result["unblock"] == {
        "id": block.pk,
        "user": "Eve",
        "userid": world.eve.pk,
        "reason": "ok",
    }
    assert eve.edit(title="Doc", text="sorry")["edit"]["result"] == "Success"
    gone = mw.post(action="unblock", user="eve", token=mw.csrf())
    assert gone["error"]["code"] == "cantunblock"
    log = mw.get(action="query", list="logevents", letype="block", formatversion=2)
    actions = [(entry["action"], entry["title"]) for entry in log["query"]["logevents"]]
    assert actions == [("unblock", "User:Eve"), ("block", "User:Eve")]


def test_block_refusals_change_nothing(world: Any) -> None:
    eve = _as("eve")
    denied = eve.post(action="block", user="steward", token=eve.csrf())
    assert denied["error"]["code"] == "permissiondenied"
    mw = _as("steward")
    assert mw.post(action="block", user="nobody", token=mw.csrf())["error"]["code"] == "nosuchuser"
    past = mw.post(action="block", user="eve", expiry="2000-01-01T00:00:00Z", token=mw.csrf())
    assert past["error"]["code"] == "pastexpiry"
    assert not Block.objects.exists()


def test_block_expires_by_itself(world: Any) -> None:
    spaces.space_block(
        user=world.steward,
        space=world.space,
        person=world.eve,
        reason="cool off",
        expires_at=timezone.now() + timedelta(hours=1),
    )
    assert not policy.can(world.eve, "space.contribute", world.space)
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        eve = type(world.eve).objects.get(pk=world.eve.pk)
        assert policy.can(eve, "space.contribute", world.space)
        # an expired block is no obstacle to a new one
        spaces.space_block(
            user=world.steward, space=world.space, person=eve, reason="again", expires_at=None
        )
    assert Block.objects.filter(lifted_at__isnull=True).count() == 1


def test_blocked_person_sees_why_on_the_edit_page(world: Any) -> None:
    spaces.space_block(
        user=world.steward, space=world.space, person=world.eve, reason="edit war", expires_at=None
    )
    client = Client()
    client.force_login(world.eve)
    response = client.get("/s/atlas/edit/Doc")
    assert response.status_code == 403
    assert b"edit war" in response.content
    client.cookies["django_language"] = "es"
    response = client.get("/s/atlas/edit/Doc", HTTP_ACCEPT_LANGUAGE="es")
    assert "Estás bloqueado".encode() in response.content


def test_block_web_page_and_rest(world: Any) -> None:
    client = Client()
    client.force_login(world.steward)
    form = {"username": "eve", "duration": "1w", "reason": "spam"}
    asked = client.post("/s/atlas/blocks/new", form)
    assert asked.status_code == 200 and b"Block eve in Atlas?" in asked.content
    assert not Block.objects.exists()  # asked first, nothing done
    response = client.post("/s/atlas/blocks/new", {**form, "confirmed": "yes"})
    assert response.status_code == 302
    block = Block.objects.get()
    assert block.reason == "spam" and block.expires_at is not None
    page = client.get("/s/atlas/blocks/")
    assert b"spam" in page.content
    # REST: the same block is listed, a second block is a conflict, lifting works
    token = client.post(
        "/api/v1/me/tokens", json.dumps({"name": "t", "scope": "write"}), "application/json"
    ).json()["token"]
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    listed = api.get("/api/v1/spaces/atlas/blocks").json()
    assert [item["username"] for item in listed["items"]] == ["eve"]
    conflict = api.post(
        "/api/v1/spaces/atlas/blocks",
        json.dumps({"username": "eve", "reason": "x"}),
        "application/json",
    )
    assert conflict.status_code == 409
    assert api.delete("/api/v1/spaces/atlas/blocks/eve").status_code == 204
    assert policy.can(world.eve, "space.contribute", world.space)
    # a member who is not a steward may not block
    other = Client()
    other.force_login(world.eve)
    response = other.post(
        "/s/atlas/blocks/new",
        {"username": "steward", "duration": "1d", "reason": "revenge", "confirmed": "yes"},
    )
    assert response.status_code == 403
    assert Block.objects.filter(lifted_at__isnull=True).count() == 0


# ---------------------------------------------------------------------------- undelete


def test_delete_then_undelete(world: Any) -> None:
    mw = _as("steward")
    deleted = mw.post(action="delete", title="Doc", token=mw.csrf())
    assert deleted["delete"]["reason"] == 'content was: "Hello."'
    result = mw.post(action="undelete", title="Doc", token=mw.csrf())
    assert result["undelete"]["title"] == "Doc"
    assert result["undelete"]["revisions"] == 1
    assert not _page("Doc").is_deleted
    again = mw.post(action="undelete", title="Doc", token=mw.csrf())
    assert again["error"]["code"] == "cantundelete"
    log = mw.get(action="query", list="logevents", letype="delete", letitle="Doc")
    assert [entry["action"] for entry in log["query"]["logevents"]] == ["restore", "delete"]


def test_undelete_refused_to_others(world: Any) -> None:
    wiki.page_delete(user=world.steward, page=_page("Doc"), reason="gone")
    eve = _as("eve")
    answer = eve.post(action="undelete", title="Doc", token=eve.csrf())
    assert answer["error"]["code"] == "cantundelete"  # eve cannot see the deleted page
    assert _page("Doc").is_deleted


def test_title_protection_through_rest(world: Any) -> None:
    client = Client()
    client.force_login(world.steward)
    token = client.post(
        "/api/v1/me/tokens", json.dumps({"name": "t", "scope": "write"}), "application/json"
    ).json()["token"]
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    response = api.put(
        "/api/v1/spaces/atlas/title-protection/Later",
        json.dumps({"level": "stewards", "reason": "soon"}),
        "application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json() == {"title": "Later", "level": "stewards", "expires_at": None}
    assert not policy.can(world.eve, "title.create", TitleProtection.objects.get())
    # an existing page is protected as a page, not as a title
    taken = api.put(
        "/api/v1/spaces/atlas/title-protection/Doc",
        json.dumps({"level": "stewards"}),
        "application/json",
    )
    assert taken.status_code == 409
    lifted = api.put(
        "/api/v1/spaces/atlas/title-protection/Later",
        json.dumps({"level": "anyone"}),
        "application/json",
    )
    assert lifted.json()["level"] == "anyone"
    assert not TitleProtection.objects.exists()


def test_protect_page_sets_cascade_and_move_expiry(world: Any) -> None:
    client = Client()
    client.force_login(world.steward)
    form = {"edit": "stewards", "move": "stewards", "reason": "main page"}
    refused = client.post("/s/atlas/protect/Home", {**form, "edit": "members", "cascade": "on"})
    assert refused.status_code == 400
    assert not _page("Home").is_cascading
    later = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        "/s/atlas/protect/Home", {**form, "cascade": "on", "move_expires_at": later}
    )
    assert response.status_code == 302
    home = _page("Home")
    assert home.is_cascading and home.protection_expires_at is None
    assert home.move_protection_expires_at is not None
    assert not policy.can(world.eve, "page.edit", _page("Template:Box"))
