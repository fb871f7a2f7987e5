"""The change-tags part of the permission table's world (see tests/permission_parts/__init__.py).

The space defines one active tag, `checked`, which the routes add to the world's revision,
deactivate and delete.
"""

from __future__ import annotations

from typing import Any

from peerwork.wiki.models import Tag

PREFIXES: tuple[str, ...] = ("tag.",)
EXTRA_USERS: tuple[str, ...] = ()
ROLE_USERS: dict[str, str] = {}
API_BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/api/v1/spaces/{slug}/tags"): {"name": "fresh", "description": "A new tag"},
    ("PATCH", "/api/v1/spaces/{slug}/tags/{tag}"): {"active": False},
    ("POST", "/api/v1/spaces/{slug}/revisions/{revision_id}/tags"): {"add": ["checked"]},
}
WEB_BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/s/{slug}/tags/"): {
        "form": "tag",
        "tag-revision": "{revision_id}",
        "tag-add": "checked",
    },
}
QUERIES: dict[tuple[str, str], str] = {}


def build(world: Any) -> None:
    world.tag = Tag.objects.create(space=world.space, name="checked")


def object_for(world: Any, action: str) -> Any:
    return world.space


def values(world: Any) -> dict[str, Any]:
    return {"tag": world.tag.name}
