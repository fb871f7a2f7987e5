"""Change tags, bot edits and named rollbacks through the REST API and the web pages: the same
actions the MediaWiki API uses (tests/interop/test_mediawiki_mwpatrol.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from peerwork.activity.models import Event
from peerwork.spaces import actions as spaces
from peerwork.wiki import actions as wiki
from peerwork.wiki.models import Page, Revision, Tag, TagApplication
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user: Any, make_space: Any) -> Any:
    class World:
        ada = make_user("ada")  # steward
        bob = make_user("bob")  # contributes, no role
        bot = make_user("robo")
        space = make_space(ada, "atlas")

    membership = spaces.space_member_add(user=World.ada, space=World.space, member=World.bot)
    spaces.space_member_set_bot(user=World.ada, space=World.space, membership=membership, bot=True)
    return World


def _save(world: Any, user: Any, title: str, text: str, **extra: Any) -> Revision:
    page = Page.objects.filter(space=world.space, title=title).first()
    saved = wiki.page_save(
        user=user,
        space=world.space,
        title=title,
        text=text,
        base_revision_id=page.current_revision_id if page else None,
        **extra,
    )
    assert saved.revision is not None
    return saved.revision


def _web(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_tags_through_the_rest_api(world: Any, api_as: Any) -> None:
    ada, bob = api_as(world.ada), api_as(world.bob)
    denied = bob.post("/spaces/atlas/tags", {"name": "spam"})
    assert denied.status_code == 403
    assert not Tag.objects.exists()
    created = ada.post("/spaces/atlas/tags", {"name": "spam", "description": "Junk"})
    assert created.status_code == 201
    assert created.json() == {"name": "spam", "description": "Junk", "active": True, "hits": 0}
    assert ada.post("/spaces/atlas/tags", {"name": "spam"}).status_code == 409
    assert ada.post("/spaces/atlas/tags", {"name": "a,b"}).status_code == 422
    revision = _save(world, world.bob, "Doc", "text")
    tagged = bob.post(f"/spaces/atlas/revisions/{revision.pk}/tags", {"add": ["spam"]})
    assert tagged.json() == {"added": ["spam"], "removed": [], "tags": ["spam"]}
    assert bob.get("/spaces/atlas/tags").json()[0]["hits"] == 1
    off = ada.patch("/spaces/atlas/tags/spam", {"active": False})
    assert off.json()["active"] is False
    second = _save(world, world.bob, "Doc", "more")
    refused = bob.post(f"/spaces/atlas/revisions/{second.pk}/tags", {"add": ["spam"]})
    assert refused.status_code == 422
    assert not TagApplication.objects.filter(revision=second).exists()
    assert bob.delete("/spaces/atlas/tags/spam").status_code == 403
    assert ada.delete("/spaces/atlas/tags/spam").status_code == 204
    assert not TagApplication.objects.exists()
    verbs = list(
        Event.objects.filter(verb__startswith="tag:").order_by("pk").values_list("verb", flat=True)
    )
    assert verbs == ["tag:created", "tag:deactivated", "tag:deleted"]


def test_tags_page_lists_manages_and_tags(world: Any) -> None:
    wiki.tag_create(user=world.ada, space=world.space, name="reviewed-offline")
    revision = _save(world, world.bob, "Doc", "text")
    anonymous = Client().get("/s/atlas/tags/")
    assert anonymous.status_code == 200
    assert "reviewed-offline" in anonymous.content.decode()
    assert "Define a tag" not in anonymous.content.decode()
    bob = _web(world.bob)
    page = bob.get("/s/atlas/tags/").content.decode()
    assert "Tag a revision" in page and "Define a tag" not in page
    response = bob.post(
        "/s/atlas/tags/",
        {"form": "tag", "tag-revision": revision.pk, "tag-add": "reviewed-offline"},
    )
    assert response.status_code == 302
    assert revision.tag_applications.get().tag.name == "reviewed-offline"
    refused = bob.post(
        "/s/atlas/tags/", {"form": "tag", "tag-revision": revision.pk, "tag-add": "nope"}
    )
    assert refused.status_code == 200 and "No such tag" in refused.content.decode()
    assert bob.post("/s/atlas/tags/", {"form": "create", "create-name": "x"}).status_code == 403
    ada = _web(world.ada)
    ada.post("/s/atlas/tags/", {"form": "create", "create-name": "fresh"})
    ada.post("/s/atlas/tags/", {"form": "manage", "name": "fresh", "operation": "deactivate"})
    assert Tag.objects.get(name="fresh").is_active is False
    spanish = ada.get("/s/atlas/tags/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Etiquetas de cambios" in spanish and "Definir una etiqueta" in spanish
    # The space's activity tells of the tags, as of any other change.
    activity = Client().get("/s/atlas/activity/")
    assert activity.status_code == 200
    text = activity.content.decode()
    assert "created a change tag" in text and "changed the tags of a change" in text


def test_web_recent_changes_hide_bot_edits_unless_asked(world: Any) -> None:
    _save(world, world.bot, "Botted", "by the bot", bot=True)
    _save(world, world.bob, "Personal", "by bob", bot=True)  # not a bot: flag ignored
    assert Event.objects.get(data__title="Personal").data.get("bot") is None
    client = Client()
    hidden = client.get("/s/atlas/recent-changes").content.decode()
    assert "Personal" in hidden and "Botted" not in hidden
    shown = client.get("/s/atlas/recent-changes?bots=show").content.decode()
    assert "Personal" in shown and "Botted" in shown
    only = client.get("/s/atlas/recent-changes?bots=only").content.decode()
    assert "Personal" not in only and "Botted" in only


def test_rest_rollback_names_the_editor(world: Any, api_as: Any) -> None:
    _save(world, world.ada, "Doc", "one")
    _save(world, world.bob, "Doc", "two")
    ada = api_as(world.ada)
    stale = ada.post("/spaces/atlas/rollback/Doc?editor=ada")
    assert stale.status_code == 409
    assert Page.objects.get(title="Doc").current_revision.content.text == "two"
    done = ada.post("/spaces/atlas/rollback/Doc?editor=bob&summary=spam&bot=true")
    assert done.status_code == 200
    current = Page.objects.get(title="Doc").current_revision
    assert (current.content.text, current.summary) == ("one", "spam")
    rolled = Event.objects.filter(verb="page:edited").latest("id")
    assert rolled.data["bot"] is True and rolled.data["reverted"] == [current.parent_id]
    flagged = ada.get("/spaces/atlas/recent-changes?bot=true").json()["items"]
    assert [e["data"]["revision"] for e in flagged] == [current.pk]


def test_web_rollback_reverts_only_the_editor_the_person_saw(world: Any) -> None:
    _save(world, world.ada, "Doc", "one")
    _save(world, world.bob, "Doc", "two")
    ada = _web(world.ada)
    history = ada.get("/s/atlas/history/Doc").content.decode()
    assert '<input type="hidden" name="editor" value="bob">' in history
    _save(world, world.bot, "Doc", "three")  # someone edits before the button is pressed
    stale = ada.post("/s/atlas/rollback/Doc", {"confirmed": "yes", "editor": "bob"}, follow=True)
    assert "not by bob" in stale.content.decode()
    assert Page.objects.get(title="Doc").current_revision.content.text == "three"
    ada.post("/s/atlas/rollback/Doc", {"confirmed": "yes", "editor": "robo"})
    assert Page.objects.get(title="Doc").current_revision.content.text == "two"
