"""A space with a page to comment on: ada is its steward, bob a newcomer, cara a member."""

from __future__ import annotations

from typing import Any

import pytest

from peerwork.spaces.models import SpaceMembership
from peerwork.wiki import actions as wiki


@pytest.fixture
def world(make_user: Any, make_space: Any, api_as: Any) -> dict[str, Any]:
    ada, bob, cara = make_user("ada"), make_user("bob"), make_user("cara")
    admin = make_user("root")
    admin.is_superuser = admin.is_staff = True
    admin.save(update_fields=["is_superuser", "is_staff"])
    space = make_space(ada, "atlas")
    SpaceMembership.objects.create(space=space, user=cara, role="member")
    page = wiki.page_save(
        user=ada, space=space, title="Main page", text="Hello\n", base_revision_id=None
    ).page
    return {
        "ada": ada,
        "bob": bob,
        "cara": cara,
        "root": admin,
        "space": space,
        "page": page,
        "as_ada": api_as(ada),
        "as_bob": api_as(bob),
        "as_cara": api_as(cara),
        "as_root": api_as(admin),
        "as_anon": api_as(None),
    }


COMMENTS = "/spaces/atlas/discussion/Main_page"
FILTERS = "/spaces/atlas/filters"


def make_filter(client: Any, **fields: Any) -> dict[str, Any]:
    body = {"name": "Pills", "is_enabled": True, "added_pattern": r"cheap\s+pills", **fields}
    response = client.post(FILTERS, body)
    assert response.status_code == 201, response.content
    return response.json()
