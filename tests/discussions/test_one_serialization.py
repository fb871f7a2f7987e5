"""A comment is written once: the API and the open-data dump agree on what it says."""

from __future__ import annotations

import json
from typing import Any

import pytest

from peerwork.accounts.models import User
from peerwork.discussions import actions as discussions
from peerwork.discussions.schemas import comment_fields
from peerwork.interop.dumps.jsonl import open_data
from peerwork.wiki import actions as wiki
from peerwork.wiki.models import Page


@pytest.fixture
def page(make_user: Any, make_space: Any) -> Page:
    """A page "Home" of the public space "notes", whose steward is ada; bob is a reader."""
    ada = make_user("ada")
    make_user("bob")
    space = make_space(ada, "notes")
    return wiki.page_save(
        user=ada, space=space, title="Home", text="Hello", base_revision_id=None
    ).page


def test_the_dump_and_the_api_say_the_same_comments(page: Page, api_as: Any) -> None:
    space = page.space
    ada, bob = User.objects.get(username="ada"), User.objects.get(username="bob")
    kept = discussions.comment_post(user=bob, target=page, text="Kept.")
    reply = discussions.comment_post(user=ada, target=page, text="A reply.", parent=kept)
    removed = discussions.comment_post(user=bob, target=page, text="Second thoughts.")
    discussions.comment_edit(user=bob, comment=kept, text="Kept, edited.")
    discussions.comment_delete(user=ada, comment=removed, reason="off topic")

    shown = {
        comment["id"]: comment
        for comment in api_as(None).get("/spaces/notes/discussion/Home").json()["comments"]
    }
    dumped = {
        record["id"]: record
        for record in map(json.loads, open_data(space))
        if record["type"] == "comment"
    }
    assert set(shown) == set(dumped) == {kept.pk, reply.pk, removed.pk}
    for comment in (kept, reply, removed):
        comment.refresh_from_db()
        for key in comment_fields(comment):
            assert dumped[comment.pk][key] == shown[comment.pk][key], key
    assert dumped[reply.pk]["parent"] == kept.pk
    assert dumped[kept.pk]["edited_at"] is not None
    assert (dumped[kept.pk]["author"], dumped[kept.pk]["text"]) == ("bob", "Kept, edited.")


def test_the_dump_does_not_name_the_author_of_a_removed_comment(page: Page, api_as: Any) -> None:
    """The API has never said who wrote a removed comment; the dump, written for anyone who
    may read the space, said it until both asked the same function."""
    space = page.space
    ada, bob = User.objects.get(username="ada"), User.objects.get(username="bob")
    removed = discussions.comment_post(user=bob, target=page, text="Regrets.")
    discussions.comment_delete(user=bob, comment=removed)

    shown = api_as(ada).get("/spaces/notes/discussion/Home").json()["comments"][0]
    dumped = next(
        record for record in map(json.loads, open_data(space)) if record["type"] == "comment"
    )
    assert (shown["author"], shown["text"], shown["is_deleted"]) == (None, "", True)
    assert (dumped["author"], dumped["text"], dumped["is_deleted"]) == (None, None, True)
