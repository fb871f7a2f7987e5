"""Held edits: the screening door in page_save, release and reject by a patroller, through
the actions, the REST API and the MediaWiki API."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from peerwork.core import screening
from peerwork.core.errors import ConfirmRequired, EditConflict, Forbidden, RefusedByScreen
from peerwork.spaces import actions as spaces
from peerwork.wiki import actions as wiki
from peerwork.wiki.models import HeldEdit, Page

pytestmark = pytest.mark.django_db


@pytest.fixture
def says() -> Iterator[dict[str, str]]:
    """A screen that answers what the test sets for edits containing 'SCREENME'."""
    answer = {"action": "hold"}

    def fake(contribution: screening.Contribution) -> screening.Finding | None:
        if "SCREENME" not in contribution.added:
            return None
        return screening.Finding("fake", answer["action"], "looks odd", tag="odd")

    screening.register("fake", fake)
    yield answer
    screening._SCREENS.pop("fake", None)


@pytest.fixture
def world(make_user: Any, make_space: Any) -> Any:
    class World:
        ada = make_user("ada")  # steward: a patroller
        bob = make_user("bob")  # contributes, no role
        space = make_space(ada, "atlas")

    wiki.page_save(
        user=World.ada,
        space=World.space,
        title="Home",
        text="one\ntwo\nthree\n",
        base_revision_id=None,
    )
    return World


def _page() -> Page:
    return Page.objects.get(title="Home")


def _edit(world: Any, user: Any, text: str, **extra: Any) -> wiki.SaveResult:
    return wiki.page_save(
        user=user,
        space=world.space,
        title="Home",
        text=text,
        base_revision_id=_page().current_revision_id,
        **extra,
    )


def test_a_held_edit_is_not_current_and_a_release_publishes_it(world: Any, says: Any) -> None:
    before = _page().current_revision_id
    saved = _edit(world, world.bob, "one\ntwo SCREENME\nthree\n", summary="mine")
    assert saved.status == "held" and saved.revision is None
    assert _page().current_revision_id == before
    held = HeldEdit.objects.get()
    assert (held.state, held.reasons, held.author) == ("held", ["looks odd"], world.bob)
    assert saved.event.verb == "edit:held"
    released = wiki.held_edit_release(user=world.ada, held=held)
    page = _page()
    assert released.state == "released" and page.current_revision_id == released.revision_id
    assert page.current_revision.content.text == "one\ntwo SCREENME\nthree\n"
    assert page.current_revision.author == world.bob
    assert page.current_revision.reviewed_by == world.ada
    with pytest.raises(Exception, match="already"):
        wiki.held_edit_reject(user=world.ada, held=held)


def test_release_merges_with_later_edits_or_refuses_a_conflict(world: Any, says: Any) -> None:
    _edit(world, world.bob, "one SCREENME\ntwo\nthree\n")
    held = HeldEdit.objects.get()
    _edit(world, world.ada, "one\ntwo\nthree\nfour\n")
    wiki.held_edit_release(user=world.ada, held=held)
    assert _page().current_revision.content.text == "one SCREENME\ntwo\nthree\nfour\n"
    _edit(world, world.bob, "one SCREENME\ntwo SCREENME\nthree\nfour\n")
    second = HeldEdit.objects.get(state="held")
    _edit(world, world.ada, "one SCREENME\ntwo other\nthree\nfour\n")
    current = _page().current_revision_id
    with pytest.raises(EditConflict):
        wiki.held_edit_release(user=world.ada, held=second)
    assert _page().current_revision_id == current
    assert HeldEdit.objects.get(pk=second.pk).state == "held"


def test_reject_keeps_it_out_and_only_patrollers_decide(world: Any, says: Any) -> None:
    before = _page().current_revision_id
    _edit(world, world.bob, "one\nSCREENME\n")
    held = HeldEdit.objects.get()
    with pytest.raises(Forbidden):
        wiki.held_edit_release(user=world.bob, held=held)
    assert HeldEdit.objects.get().state == "held"
    wiki.held_edit_reject(user=world.ada, held=held, reason="vandalism")
    assert HeldEdit.objects.get().state == "rejected"
    assert _page().current_revision_id == before


def test_a_held_new_page_is_not_created_until_released(world: Any, says: Any) -> None:
    saved = wiki.page_save(
        user=world.bob, space=world.space, title="Fresh", text="SCREENME", base_revision_id=None
    )
    assert saved.status == "held"
    assert not Page.objects.filter(title="Fresh").exists()
    wiki.held_edit_release(user=world.ada, held=saved.held)
    assert Page.objects.get(title="Fresh").current_revision.content.text == "SCREENME"


def test_stewards_are_not_held_and_tags_apply(world: Any, says: Any) -> None:
    saved = _edit(world, world.ada, "one\nSCREENME\n")
    assert saved.status == "saved"
    assert list(saved.revision.tag_applications.values_list("tag__name", flat=True)) == ["odd"]
    assert "fake" in {finding["screen"] for finding in saved.event.data["screening"]}


def test_refuse_and_warn(world: Any, says: Any) -> None:
    before = _page().current_revision_id
    says["action"] = "refuse"
    with pytest.raises(RefusedByScreen) as refused:
        _edit(world, world.bob, "one\nSCREENME\n")
    assert refused.value.extra["reasons"] == ["looks odd"]
    says["action"] = "warn"
    with pytest.raises(ConfirmRequired):
        _edit(world, world.bob, "one\nSCREENME\n")
    assert _page().current_revision_id == before
    assert _edit(world, world.bob, "one\nSCREENME\n", confirmed=True).status == "saved"


def test_rest_api_save_hold_queue_and_release(world: Any, says: Any, api_as: Any) -> None:
    bob, ada = api_as(world.bob), api_as(world.ada)
    base = _page().current_revision_id
    answer = bob.put("/spaces/atlas/pages/Home", {"text": "SCREENME\n", "base_revision": base})
    assert answer.status_code == 202
    assert answer.json()["status"] == "held"
    assert answer.json()["held"]["reasons"] == ["looks odd"]
    assert bob.get("/spaces/atlas/held-edits").status_code == 403
    queue = ada.get("/spaces/atlas/held-edits").json()["items"]
    assert [item["author"] for item in queue] == ["bob"]
    held_id = queue[0]["id"]
    denied = bob.post(f"/spaces/atlas/held-edits/{held_id}/release")
    assert denied.status_code == 403
    released = ada.post(f"/spaces/atlas/held-edits/{held_id}/release", {"reason": "fine"})
    assert released.status_code == 200 and released.json()["state"] == "released"
    assert _page().current_revision.content.text == "SCREENME\n"
    says["action"] = "refuse"
    refused = bob.put(
        "/spaces/atlas/pages/Home",
        {"text": "x SCREENME\n", "base_revision": _page().current_revision_id},
    )
    assert refused.status_code == 422
    assert refused.json()["type"] == "/problems/refused-by-screen"
    says["action"] = "warn"
    body = {"text": "y SCREENME\n", "base_revision": _page().current_revision_id}
    assert bob.put("/spaces/atlas/pages/Home", body).status_code == 409
    assert bob.put("/spaces/atlas/pages/Home", {**body, "confirm": True}).status_code == 200


def test_the_mediawiki_api_never_serves_a_held_edit(world: Any, says: Any) -> None:
    from django.test import Client

    from tests.conftest import PASSWORD

    _edit(world, world.bob, "one\nSCREENME\n")
    client = Client()
    answer = client.get(
        "/s/atlas/w/api.php",
        {
            "action": "query",
            "prop": "revisions",
            "titles": "Home",
            "rvprop": "content",
            "rvslots": "main",
            "format": "json",
            "formatversion": "2",
        },
    ).json()
    text = answer["query"]["pages"][0]["revisions"][0]["slots"]["main"]["content"]
    assert "SCREENME" not in text
    assert client.login(username="bob", password=PASSWORD)
    token = client.get(
        "/s/atlas/w/api.php", {"action": "query", "meta": "tokens", "format": "json"}
    ).json()["query"]["tokens"]["csrftoken"]
    edit = client.post(
        "/s/atlas/w/api.php",
        {
            "action": "edit",
            "title": "Home",
            "text": "SCREENME again",
            "token": token,
            "format": "json",
        },
    ).json()
    # As MediaWiki's Moderation extension answers: an error a client reports, the edit kept.
    assert "edit" not in edit
    assert edit["error"]["code"] == "moderation-edit-queued"
    assert edit["error"]["reasons"] == ["looks odd"]
    assert edit["error"]["title"] == "Home"
    held = HeldEdit.objects.get(pk=edit["error"]["held"])
    assert held.state == "held" and held.content.text == "SCREENME again"
    assert HeldEdit.objects.filter(state="held").count() == 2


def test_members_are_exempt(world: Any, says: Any) -> None:
    spaces.space_member_add(user=world.ada, space=world.space, member=world.bob)
    assert _edit(world, world.bob, "one\nSCREENME\n").status == "saved"
