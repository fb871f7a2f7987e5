"""The assist part of the permission table's world (see tests/permission_parts/__init__.py).

The service adds no action: its routes ask `space.view` and the suggested objects' own read
rules. The similar-work routes need the text being typed.
"""

from __future__ import annotations

from typing import Any

PREFIXES: tuple[str, ...] = ("assist.",)
EXTRA_USERS: tuple[str, ...] = ()
ROLE_USERS: dict[str, str] = {}
API_BODIES: dict[tuple[str, str], dict[str, Any]] = {}
WEB_BODIES: dict[tuple[str, str], dict[str, Any]] = {}
QUERIES: dict[tuple[str, str], str] = {
    ("GET", "/api/v1/spaces/{slug}/similar"): "?text=main+page",
    ("GET", "/s/{slug}/assist/similar"): "?title=main+page",
}


def build(world: Any) -> None:
    return None


def object_for(world: Any, action: str) -> Any:
    return world.space


def values(world: Any) -> dict[str, Any]:
    return {}
