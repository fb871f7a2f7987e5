"""Reads of the activity log, filtered to what the viewer may see."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from peerwork.core import hotsql, policy
from peerwork.core.errors import NotAuthenticated, NotFound
from peerwork.spaces.models import Space

from .models import Event, Notification
from .policy import space_events_viewable


def events_visible(viewer: Any) -> QuerySet[Event]:
    """Events of spaces the viewer may read and site events; private verbs only to their actor."""
    return policy.filter(viewer, "event.view", Event.objects.select_related("actor", "space"))


def space_events(*, viewer: Any, space: Space) -> QuerySet[Event]:
    policy.require(viewer, "space.view", space)
    return space_events_viewable(viewer, space, Event.objects.select_related("actor", "space"))


def person_events(*, viewer: Any, person: Any) -> QuerySet[Event]:
    policy.require(viewer, "user.view", person)
    return events_visible(viewer).filter(actor=person)


def object_events(*, viewer: Any, obj: Any) -> QuerySet[Event]:
    """An object's history: the events that targeted it."""
    meta = obj._meta
    return events_visible(viewer).filter(
        target_type=f"{meta.app_label}.{meta.model_name}", target_id=str(obj.pk)
    )


def notifications_for(*, user: Any) -> QuerySet[Notification]:
    """A person's notifications, newest first, minus events they can no longer see."""
    if not policy.signed_in(user):
        return Notification.objects.none()
    return (
        Notification.objects.filter(user=user, event__in=events_visible(user).values("pk"))
        .select_related("event__actor", "event__space")
        .order_by("-id")
    )


def notification_get(*, user: Any, notification_id: int) -> Notification:
    """One of the person's notifications; anyone else's is not found, as if it did not exist."""
    if not policy.signed_in(user):
        raise NotAuthenticated()
    found = notifications_for(user=user).filter(pk=notification_id).first()
    if found is None:
        raise NotFound()
    return found


def unread_notification_count(user: Any) -> int:
    """The header's badge on every page: most people have nothing unread most of the time, and
    that answer needs no reading of which events they may still see."""
    if not policy.signed_in(user):
        return 0
    if not hotsql.any_row(Notification, user=user.pk, read_at=None):
        return 0
    return notifications_for(user=user).filter(read_at__isnull=True).count()
