"""The bridging part of the permission table's world (see tests/permission_parts/__init__.py).

The steward publishes an idea that the rating routes rate; the audit routes read the ideas
part's idea (`{idea_id}`).
"""

from __future__ import annotations

from typing import Any

from peerwork.ideas import actions as ideas

PREFIXES: tuple[str, ...] = ("bridging.",)
EXTRA_USERS: tuple[str, ...] = ()
ROLE_USERS: dict[str, str] = {}
API_BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/api/v1/spaces/{slug}/ratings/{rated_kind}/{rated_id}"): {"value": "helpful"},
}
WEB_BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/s/{slug}/rate/{rated_kind}/{rated_id}"): {"value": "helpful"},
}
QUERIES: dict[tuple[str, str], str] = {
    ("GET", "/api/v1/spaces/{slug}/bridging/scores"): "?kind=idea",
}


def build(world: Any) -> None:
    stew = world.users["stew"]
    idea = ideas.idea_create(user=stew, space=world.space, title="Rated idea")
    world.rated_idea = ideas.idea_publish(user=stew, idea=idea)


def object_for(world: Any, action: str) -> Any:
    return world.space


def values(world: Any) -> dict[str, Any]:
    return {"rated_kind": "idea", "rated_id": world.rated_idea.pk}
