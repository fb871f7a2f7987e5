"""The space's `ideas` policy, read the same way everywhere."""

from __future__ import annotations

from typing import Any

from .policy_schema import IdeasPolicy


def ideas_policy(space: Any) -> IdeasPolicy:
    """The section as stored, defaults filled in (a space made before it existed has none)."""
    section = (space.policy or {}).get("ideas") or {}
    return IdeasPolicy.model_validate(section)
