"""Every signal a space holds for the bridging model: the ratings table and each rated
kind's own signals (supports of ideas), as (user id, (kind, object id), value, when)."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from .kinds import rated_kinds
from .models import Rating

Item = tuple[str, int]
SpaceSignal = tuple[int, Item, float, datetime]


def space_signals(space: Any) -> list[SpaceSignal]:
    """Ratings first, then the kinds' own signals, so a support outweighs a person's earlier
    "not helpful" of the same idea (the fit keeps the last signal of each pair)."""
    found: list[SpaceSignal] = [
        (user_id, (kind, object_id), 1.0 if is_helpful else 0.0, when)
        for user_id, kind, object_id, is_helpful, when in Rating.objects.filter(space=space)
        .order_by("pk")
        .values_list("user_id", "kind", "object_id", "is_helpful", "updated_at")
    ]
    for kind in rated_kinds():
        if kind.signals is not None:
            found.extend(
                (user_id, (kind.key, object_id), float(value), when)
                for user_id, object_id, value, when in kind.signals(space)
            )
    return found


def signature(signals: list[SpaceSignal]) -> str:
    """A short digest of the signals: equal digests, equal fits."""
    digest = hashlib.sha256()
    for user_id, (kind, object_id), value, _when in signals:
        digest.update(f"{user_id}|{kind}|{object_id}|{value};".encode())
    return f"{len(signals)}:{digest.hexdigest()[:40]}"
