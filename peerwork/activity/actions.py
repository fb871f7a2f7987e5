"""Writes of the activity app: a person's own reading state and what they watch.

Marking notifications read changes nothing of the commons, so it records no event: the log
holds what people did to shared things, not what they have read. Watching records a private
event, as it always has.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from peerwork.accounts.models import Viewer
from peerwork.core import policy
from peerwork.core.errors import NotAuthenticated

from . import recorder
from .models import Notification, Watch
from .watching import watchable_for, watches_of


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


@transaction.atomic
def notifications_set_read(*, user: Viewer, ids: Iterable[int], read: bool = True) -> int:
    """Mark these notifications of the person read (or unread again); ids of anyone else's
    notifications change nothing. Returns how many changed."""
    if not policy.signed_in(user):
        raise NotAuthenticated()
    person = policy.require_person(user, "user.notifications.manage", user)
    mine = Notification.objects.filter(user=person, pk__in=list(ids))
    if read:
        return mine.filter(read_at__isnull=True).update(read_at=timezone.now())
    return mine.filter(read_at__isnull=False).update(read_at=None)


@transaction.atomic
def watch_set(*, user: Viewer, target: models.Model, watching: bool) -> bool:
    """Watch (or stop watching) any registered object; True if anything changed.

    Asks the target's `<noun>.watch` rule and records `<noun>:watched`/`<noun>:unwatched`
    when something changed, in the target's space.
    """
    watchable = watchable_for(target)
    person = policy.require_person(user, watchable.action, target)
    if watching:
        changed = watch_quietly(user=person, target=target)
    else:
        changed = watches_of(target).filter(user=person).delete()[0] > 0
    if changed:
        recorder.record(
            actor=person,
            verb=watchable.verb(watching),
            target=target,
            space=getattr(target, "space", None),
            data=watchable.data_of(target) if watchable.data_of else None,
        )
    return changed


def watch_quietly(*, user: Any, target: models.Model) -> bool:
    """Make `user` a watcher of `target` with no permission check and no event of its own.

    For actions that make their actor a watcher as part of something else (creating a page,
    joining a challenge): the calling action has asked the policy and records its own event.
    Returns True when the watch is new.
    """
    watchable_for(target)
    _row, created = Watch.objects.get_or_create(
        user=user, content_type=ContentType.objects.get_for_model(target), object_id=target.pk
    )
    return created
