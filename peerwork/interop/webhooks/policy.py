"""Who may manage a space's webhooks: its stewards (and site administrators).

Registered from InteropConfig.ready(); the table is docs/permissions.md ("Spaces").
"""

from __future__ import annotations

from typing import Any

from peerwork.core.policy import rule
from peerwork.spaces.models import Space
from peerwork.spaces.selectors import space_role


@rule("space.webhooks.manage", visible_via="space.view")
def can_manage_webhooks(user: Any, space: Space) -> bool:
    return space_role(user, space) == "steward"
