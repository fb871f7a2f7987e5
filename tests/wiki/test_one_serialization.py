"""A revision's facts are written once: the API and the open-data dump agree on them."""

from __future__ import annotations

import json
from typing import Any

from peerwork.interop.dumps.jsonl import open_data
from peerwork.wiki.models import Page, Revision
from peerwork.wiki.schemas import page_fields, revision_fields


def test_the_dump_and_the_api_say_the_same_revision(
    make_user: Any, make_space: Any, api_as: Any
) -> None:
    ada = make_user("ada")
    space = make_space(ada, "notes")
    as_ada = api_as(ada)
    saved = as_ada.put(
        "/spaces/notes/pages/Home", {"text": "Hello", "base_revision": None, "summary": "first"}
    )
    assert saved.status_code == 201
    revision = Revision.objects.get(page__space=space, page__title="Home")
    shown = as_ada.get(f"/spaces/notes/revisions/{revision.pk}").json()
    dumped = next(
        record for record in map(json.loads, open_data(space)) if record["type"] == "revision"
    )
    for key, value in revision_fields(revision).items():
        assert dumped[key] == shown[key] == value, key


def test_the_dump_and_the_api_say_the_same_page(
    make_user: Any, make_space: Any, api_as: Any
) -> None:
    """The dump wrote a page's title without its namespace ("Home" for "Talk:Home"), unlike the
    API, the MediaWiki export and the dump's own events; now all say the title one types."""
    ada = make_user("ada")
    space = make_space(ada, "notes")
    as_ada = api_as(ada)
    for title in ("Home", "Talk:Home"):
        saved = as_ada.put(f"/spaces/notes/pages/{title}", {"text": "Hello", "base_revision": None})
        assert saved.status_code == 201
    records = list(map(json.loads, open_data(space)))
    dumped = {record["title"]: record for record in records if record["type"] == "page"}
    assert sorted(dumped) == ["Home", "Talk:Home"]
    listed = as_ada.get("/spaces/notes/pages").json()["items"]
    assert sorted(item["title"] for item in listed) == ["Home", "Talk:Home"]
    for title, record in dumped.items():
        shown = as_ada.get(f"/spaces/notes/pages/{title}").json()
        item = next(item for item in listed if item["title"] == title)
        page = Page.objects.get(pk=record["id"])
        for key, value in page_fields(page).items():
            assert record[key] == shown[key] == item[key] == value, key
        assert record["current_revision"] == shown["revision"]["id"] == item["revision"]
    assert dumped["Talk:Home"]["namespace"] == 1
    events = {record["target"] for record in records if record["type"] == "event"}
    assert "Talk:Home" in events
