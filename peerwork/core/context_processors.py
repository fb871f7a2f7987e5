"""Numbers the header shows on every page, computed only when a template asks for them."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def header_counts(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def invitations() -> int:
        from peerwork.accounts.selectors import organization_invitations_for
        from peerwork.spaces.selectors import invitations_for

        return invitations_for(user).count() + organization_invitations_for(user).count()

    def notifications() -> int:
        from peerwork.activity.selectors import unread_notification_count

        return unread_notification_count(user)

    return {
        "pending_invitation_count": SimpleLazyObject(invitations),
        "unread_notification_count": SimpleLazyObject(notifications),
    }
