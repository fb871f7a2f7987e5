"""REST endpoints for the activity log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from peerwork.core.api import Input, PageOf, PageParams, paginate
from peerwork.core.errors import NotAuthenticated
from peerwork.core.policy import signed_in

from . import actions, inbox, selectors
from .schemas import EventOut, event_out
from .verify import verify_all

router = Router(tags=["activity"])


class ChainOut(Schema):
    chain: str
    length: int
    ok: bool
    problem: str


@router.get("/activity", response=PageOf[EventOut], summary="Everything you may see, newest first")
def all_activity(request: HttpRequest, page: Query[PageParams]) -> Any:
    return paginate(selectors.events_visible(request.user), page, serialize=event_out)


@router.get(
    "/history/{target_type}/{target_id}",
    response=PageOf[EventOut],
    summary="An object's history (target_type as app.model, e.g. spaces.space)",
)
def object_history(
    request: HttpRequest, target_type: str, target_id: str, page: Query[PageParams]
) -> Any:
    events = selectors.events_visible(request.user).filter(
        target_type=target_type, target_id=target_id
    )
    return paginate(events, page, serialize=event_out)


@router.get(
    "/activity/verify", response=list[ChainOut], summary="Check the hash chains you may see"
)
def verify(request: HttpRequest) -> Any:
    chains = sorted(set(selectors.events_visible(request.user).values_list("chain", flat=True)))
    return [
        {"chain": r.chain, "length": r.length, "ok": r.ok, "problem": r.problem}
        for r in verify_all(chains)
    ]


class NotificationOut(Schema):
    id: int
    read: bool
    created_at: datetime
    sentence: str = Field(..., description="What happened, said to you, in your language.")
    url: str = Field(..., description="The page of what it is about; empty when there is none.")
    event: EventOut


class NotificationIn(Input):
    read: bool = Field(..., description="true to mark it read, false to mark it unread again.")


def _notifications_out(notifications: list[Any], viewer: Any) -> list[dict[str, Any]]:
    return [
        {
            "id": item.notification.pk,
            "read": not item.is_unread,
            "created_at": item.notification.created_at,
            "sentence": item.text,
            "url": item.row.url,
            "event": event_out(item.notification.event),
        }
        for item in inbox.items_of(notifications, viewer)
    ]


class ReadIn(Input):
    up_to: int | None = Field(None, ge=1, description="Mark up to this notification id.")


class ReadOut(Schema):
    marked: int


@router.get("/me/notifications", response=PageOf[NotificationOut], summary="Your notifications")
def my_notifications(request: HttpRequest, page: Query[PageParams]) -> Any:
    if not signed_in(request.user):
        raise NotAuthenticated()
    found = paginate(selectors.notifications_for(user=request.user), page)
    return {**found, "items": _notifications_out(found["items"], request.user)}


@router.post("/me/notifications/read", response=ReadOut, summary="Mark notifications read")
def mark_read(request: HttpRequest, payload: ReadIn) -> Any:
    return {"marked": actions.notifications_mark_read(user=request.user, up_to_id=payload.up_to)}


# After /me/notifications/read, which the id's place would otherwise take.
@router.patch(
    "/me/notifications/{notification_id}",
    response=NotificationOut,
    summary="Mark one of your notifications read or unread",
)
def mark_one(request: HttpRequest, notification_id: int, payload: NotificationIn) -> Any:
    notification = selectors.notification_get(user=request.user, notification_id=notification_id)
    actions.notifications_set_read(user=request.user, ids=[notification.pk], read=payload.read)
    notification.refresh_from_db(fields=["read_at"])
    return _notifications_out([notification], request.user)[0]
