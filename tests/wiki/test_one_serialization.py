"""A revision's facts are written once: the API and the open-data dump agree on them."""

from __future__ import annotations

import json
from typing import Any

from peerwork.interop.dumps.jsonl import open_data
from peerwork.wiki.models import Revision
from peerwork.wiki.schemas import revision_fields


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
