"""An idea's facts are written once: the API and the open-data dump agree on them."""

from __future__ import annotations

import json
from typing import Any

from peerwork.ideas import actions
from peerwork.ideas.schemas import idea_fields
from peerwork.interop.dumps.jsonl import open_data


def test_the_dump_and_the_api_say_the_same_idea(
    make_user: Any, make_space: Any, api_as: Any
) -> None:
    ada = make_user("ada")
    space = make_space(ada, "notes")
    idea = actions.idea_create(user=ada, space=space, title="Solar lights", tags=["energy"])
    idea = actions.idea_publish(user=ada, idea=idea)
    shown = api_as(ada).get(f"/spaces/notes/ideas/{idea.pk}").json()
    dumped = next(r for r in map(json.loads, open_data(space)) if r["type"] == "idea")
    for key in idea_fields(idea):
        assert dumped[key] == shown[key], key
    assert dumped["tags"] == ["energy"]
