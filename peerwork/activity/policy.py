"""The activity log shows what the space and people rules allow; one rule of its own."""

from __future__ import annotations

from typing import Any

from peerwork.core.policy import rule, signed_in


@rule("user.notifications.manage", visible_via="user.view", admin_passes=False)
def can_manage_notifications(user: Any, person: Any) -> bool:
    return signed_in(user) and user.pk == person.pk
