"""The ideas part of the permission table's world (see tests/permission_parts/__init__.py)."""

from __future__ import annotations

from typing import Any

PREFIXES: tuple[str, ...] = ("idea.",)
EXTRA_USERS: tuple[str, ...] = ()
ROLE_USERS: dict[str, str] = {}
API_BODIES: dict[tuple[str, str], dict[str, Any]] = {}
WEB_BODIES: dict[tuple[str, str], dict[str, Any]] = {}
QUERIES: dict[tuple[str, str], str] = {}


def build(world: Any) -> None:
    pass


def object_for(world: Any, action: str) -> Any:
    return world.space


def values(world: Any) -> dict[str, Any]:
    return {}
