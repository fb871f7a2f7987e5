"""The reputation part of the permission table's world (see tests/permission_parts/__init__.py).

`rep` is an outsider with 1,000 points in the world's space: enough for every privilege's
threshold by default. The outsider `out` has none.
"""

from __future__ import annotations

from typing import Any

from peerwork.reputation.models import Standing
from peerwork.reputation.privileges import changed

PREFIXES: tuple[str, ...] = ("reputation.",)
EXTRA_USERS: tuple[str, ...] = ("rep",)
ROLE_USERS: dict[str, str] = {"reputable": "rep"}
API_BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/api/v1/spaces/{slug}/people/{username}/reputation/grants"): {
        "privilege": "patrol",
        "allowed": True,
        "reason": "Patrols carefully.",
    },
}
WEB_BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/s/{slug}/people/{username}/reputation/grant"): {
        "privilege": "patrol",
        "effect": "grant",
        "reason": "Patrols carefully.",
    },
}
QUERIES: dict[tuple[str, str], str] = {}


def build(world: Any) -> None:
    Standing.objects.create(space=world.space, person=world.users["rep"], total=1000)
    changed()  # written here directly, not through the recount


def object_for(world: Any, action: str) -> Any:
    return world.space


def values(world: Any) -> dict[str, Any]:
    return {}  # {username} is the table's own (the member)
