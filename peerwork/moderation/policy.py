"""Who may write filters, moderate, report and block site-wide. The table is
docs/permissions/moderation.md."""

from __future__ import annotations

from typing import Any

from peerwork.core.policy import can, rule, signed_in
from peerwork.discussions.policy import may_moderate
from peerwork.spaces.models import Space
from peerwork.spaces.selectors import space_role


@rule("moderation.filter.manage", visible_via="space.view")
def can_manage_filters(user: Any, space: Space) -> bool:
    """Stewards write, test and read the filters of their space and their hit log."""
    return space_role(user, space) == "steward"


@rule("moderation.queue.decide", visible_via="space.view")
def can_moderate(user: Any, space: Space) -> bool:
    """Stewards, and moderators by points (reputation's `moderate_discussions`)."""
    return may_moderate(user, space)


@rule("moderation.report", visible_via="space.view")
def can_report(user: Any, space: Space) -> bool:
    """Anyone signed in who reads the space may report what they read there."""
    return signed_in(user) and can(user, "space.view", space)


@rule("site.block")
def can_block_site_wide(user: Any, _obj: Any) -> bool:
    """Only site administrators block people from the whole site (they pass every rule)."""
    return False
