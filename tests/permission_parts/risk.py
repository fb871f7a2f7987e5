"""The held-edits and edit-risk part of the permission table's world.

The world holds one held edit of the space's page (by the member), which the routes release
or reject. Training answers 422 for an allowed person (the world's history is too short),
which the route check reads as allowed.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from peerwork.wiki.actions import _content_for
from peerwork.wiki.models import HeldEdit

PREFIXES: tuple[str, ...] = ("held.", "risk.")
EXTRA_USERS: tuple[str, ...] = ()
ROLE_USERS: dict[str, str] = {}
API_BODIES: dict[tuple[str, str], dict[str, Any]] = {}
WEB_BODIES: dict[tuple[str, str], dict[str, Any]] = {}
QUERIES: dict[tuple[str, str], str] = {}


def build(world: Any) -> None:
    world.held = HeldEdit.objects.create(
        space=world.space,
        namespace=0,
        title="Held page",
        content=_content_for("held text"),
        author=world.users["mem"],
        created_at=timezone.now(),
        findings=[{"screen": "test", "action": "hold", "reason": "test", "tag": "", "score": None}],
    )


def object_for(world: Any, action: str) -> Any:
    return world.space


def values(world: Any) -> dict[str, Any]:
    return {"held_id": world.held.pk}
