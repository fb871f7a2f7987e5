"""Who may see a person's reputation in a space, and who may grant privileges."""

from __future__ import annotations

from typing import Any

from peerwork.core.policy import can, rule
from peerwork.spaces.models import Space
from peerwork.spaces.selectors import is_steward


@rule("reputation.grant", visible_via="space.view", admin_passes=False)
def can_grant(user: Any, space: Space) -> bool:
    """Stewards grant or withhold privileges and trust levels (Discourse's staff grants)."""
    return is_steward(user, space)


@rule("reputation.view", conceals=True)
def can_view_reputation(user: Any, space: Space) -> bool:
    """Whoever may read the space reads its people's reputation, as its log shows it."""
    return can(user, "space.view", space)
