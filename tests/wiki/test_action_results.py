"""Wiki actions return the event they recorded, so callers (the MediaWiki API's delete
answer, for one) read what happened from the result instead of the activity table."""

from __future__ import annotations

from typing import Any

import pytest

from peerwork.activity.models import Event
from peerwork.wiki import actions
from tests.interop.test_mediawiki_api import MW

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user: Any, make_space: Any) -> Any:
    ada, bob = make_user("ada"), make_user("bob")
    return ada, bob, make_space(ada, "atlas")


def _latest() -> Event:
    return Event.objects.latest("id")


def test_saves_return_their_event(world: Any) -> None:
    ada, bob, space = world
    created = actions.page_save(
        user=ada, space=space, title="Doc", text="one\n", base_revision_id=None
    )
    assert created.event == _latest()
    assert created.event is not None and created.event.verb == "page:created"
    assert created.event.data["revision"] == created.revision.pk
    first = created.revision.pk
    edited = actions.page_save(
        user=bob, space=space, title="Doc", text="two\n", base_revision_id=first
    )
    assert edited.event == _latest() and edited.event.verb == "page:edited"
    unchanged = actions.page_save(
        user=bob, space=space, title="Doc", text="two\n", base_revision_id=edited.revision.pk
    )
    assert unchanged.status == "unchanged" and unchanged.event is None
    page = edited.page
    undone = actions.revision_undo(user=ada, page=page, revision_id=edited.revision.pk)
    assert undone.event == _latest() and undone.event.data["undid"] == edited.revision.pk
    restored = actions.revision_restore(user=ada, page=page, revision_id=edited.revision.pk)
    assert restored.event == _latest() and restored.event.data["restored"] == edited.revision.pk
    rolled = actions.page_rollback(user=ada, page=page)
    assert rolled.event == _latest() and rolled.event.data["rolled_back_to"] == edited.revision.pk


def test_delete_restore_and_protect_return_the_page_and_its_event(world: Any) -> None:
    ada, _bob, space = world
    page = actions.page_save(
        user=ada, space=space, title="Doc", text="one\n", base_revision_id=None
    ).page
    deleted = actions.page_delete(user=ada, page=page, reason="spam")
    assert deleted.page.is_deleted and deleted.event == _latest()
    assert deleted.event.verb == "page:deleted" and deleted.event.data["reason"] == "spam"
    restored = actions.page_restore(user=ada, page=page, reason="not spam")
    assert not restored.page.is_deleted and restored.event == _latest()
    assert restored.event.verb == "page:restored"
    protected = actions.page_protect(
        user=ada, page=page, edit="members", move="stewards", expires_at=None, reason="busy"
    )
    assert protected.page.edit_protection == "members" and protected.event == _latest()
    assert protected.event.verb == "page:protected"


def test_a_move_returns_the_page_and_its_event(world: Any) -> None:
    ada, _bob, space = world
    page = actions.page_save(
        user=ada, space=space, title="Doc", text="one\n", base_revision_id=None
    ).page
    moved = actions.page_move(user=ada, page=page, new_title="Document", reason="clearer")
    assert (moved.page.pk, moved.page.title) == (page.pk, "Document")
    # The move's own event, though the redirect left behind recorded one after it.
    assert moved.event == Event.objects.get(verb="page:moved")
    assert moved.event.data["from"] == "Doc" and moved.event.data["to"] == "Document"
    assert _latest().verb == "page:created" and _latest().pk > moved.event.pk


def test_the_mediawiki_delete_answers_the_actions_event(world: Any) -> None:
    ada, _bob, space = world
    actions.page_save(user=ada, space=space, title="Doc", text="one\n", base_revision_id=None)
    mw = MW("atlas")
    assert mw.login("ada")["login"]["result"] == "Success"
    answer = mw.post(action="delete", title="Doc", reason="spam", token=mw.csrf())
    event = Event.objects.get(verb="page:deleted")
    assert answer["delete"] == {"title": "Doc", "reason": "spam", "logid": event.pk}
