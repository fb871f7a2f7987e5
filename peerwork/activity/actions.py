"""Writes of the activity app: only a person's own reading state.

Marking notifications read changes nothing of the commons, so it records no event: the log
holds what people did to shared things, not what they have read.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from peerwork.accounts.models import Viewer
from peerwork.core import policy
from peerwork.core.errors import NotAuthenticated

from .models import Notification


@transaction.atomic
def notifications_mark_read(*, user: Viewer, up_to_id: int | None = None) -> int:
    """Mark the person's unread notifications read (up to an id, so none arriving meanwhile
    is skipped unseen); returns how many."""
    if not policy.signed_in(user):
        raise NotAuthenticated()
    person = policy.require_person(user, "user.notifications.manage", user)
    unread = Notification.objects.filter(user=person, read_at__isnull=True)
    if up_to_id is not None:
        unread = unread.filter(pk__lte=up_to_id)
    return unread.update(read_at=timezone.now())
