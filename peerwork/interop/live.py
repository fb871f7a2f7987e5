"""Live updates: a Server-Sent Events stream of a space's activity (`GET /s/<slug>/live`).

Each event the viewer may see (`activity.selectors.space_events`, the same door as the
activity page) is sent as `id: <event id>`, `event: activity`, `data: <the REST API's event
JSON>`. A new stream starts after the newest event, or after `Last-Event-ID` (the header the
browser sends when it reconnects, or `?last_event_id=`), so nothing is missed between streams.

Between reads of the log the stream waits: with Redis (REDIS_URL) until a wake-up published on
its space's channel after a commit (interop/wakeups.py), or PEERWORK_LIVE_SAFETY_POLL seconds at
most; without Redis for PEERWORK_LIVE_POLL seconds. It sends a comment line every
PEERWORK_LIVE_HEARTBEAT seconds so proxies keep it open, and ends after PEERWORK_LIVE_LIFETIME
seconds with a `retry:` hint: under gunicorn's gthread workers each open stream holds a
thread, so streams are short and EventSource reconnects by itself. At most
PEERWORK_LIVE_MAX_STREAMS streams are open per process; beyond that the answer is an empty
stream that asks the browser to come back later.

What the viewer may see is decided again, from the database, whenever there is something to
send: a stream opened before a revocation (the space closed, the viewer removed, the token
revoked, the account closed) sends nothing after it and ends (decision 0034).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.views.decorators.http import require_GET

from peerwork.accounts.selectors import user_by_username
from peerwork.activity.models import Event
from peerwork.activity.schemas import event_out
from peerwork.activity.selectors import space_events
from peerwork.core.errors import NotFound
from peerwork.spaces.selectors import space_get_visible

from . import wakeups

RETRY_MS = 2000
BUSY_RETRY_MS = 15000
BATCH = 50

_open_streams = threading.BoundedSemaphore(1)
_semaphore_size = 1
_semaphore_lock = threading.Lock()


def _slots() -> threading.BoundedSemaphore:
    """The per-process limit on open streams (rebuilt if the setting changes, as in tests)."""
    global _open_streams, _semaphore_size
    size = max(1, int(getattr(settings, "PEERWORK_LIVE_MAX_STREAMS", 2)))
    with _semaphore_lock:
        if size != _semaphore_size:
            _open_streams, _semaphore_size = threading.BoundedSemaphore(size), size
        return _open_streams


def _last_event_id(request: HttpRequest) -> int | None:
    value = request.headers.get("Last-Event-ID") or request.GET.get("last_event_id") or ""
    value = value.strip()
    return int(value) if value.isdigit() and len(value) < 19 else None


def format_event(event: Event) -> str:
    data = json.dumps(event_out(event), cls=DjangoJSONEncoder, ensure_ascii=False)
    return f"id: {event.pk}\nevent: activity\ndata: {data}\n\n"


def _viewer_now(request: HttpRequest) -> Any | None:
    """Who the request's reader is now: the token it came with must still sign in and the
    account must still be open; None once either is no longer so."""
    from django.contrib.auth.models import AnonymousUser

    from peerwork.accounts.actions import token_authenticate

    user = request.user
    token = getattr(request, "api_token", None)
    if token is not None:
        _scheme, _sep, raw = request.headers.get("Authorization", "").partition(" ")
        fresh = token_authenticate(raw.strip())
        return fresh.user if fresh is not None and fresh.pk == token.pk else None
    if not user.is_authenticated:
        return AnonymousUser()
    return user_by_username(user.get_username())


def _events_now(request: HttpRequest, slug: str) -> Callable[[], QuerySet[Event] | None]:
    """The events the reader may see as of now, asked of the one read door again; None once
    the reader may no longer read the space."""

    def events() -> QuerySet[Event] | None:
        viewer = _viewer_now(request)
        if viewer is None:
            return None
        try:
            space = space_get_visible(user=viewer, slug=slug)
            return space_events(viewer=viewer, space=space)
        except NotFound:
            return None

    return events


def _stream(
    events: QuerySet[Event],
    after: int,
    space_id: int,
    events_now: Callable[[], QuerySet[Event] | None],
) -> Iterator[str]:
    slot = _slots()
    if not slot.acquire(blocking=False):
        yield f"retry: {BUSY_RETRY_MS}\n\n"
        return
    lifetime = float(getattr(settings, "PEERWORK_LIVE_LIFETIME", 30))
    heartbeat = float(getattr(settings, "PEERWORK_LIVE_HEARTBEAT", 15))
    poll = float(getattr(settings, "PEERWORK_LIVE_POLL", 1.0))
    safety_poll = float(getattr(settings, "PEERWORK_LIVE_SAFETY_POLL", 10.0))
    started = last_sent = time.monotonic()
    # Subscribed before the first read of the log, so no event falls between the two.
    waiter = wakeups.subscribe(space_id, poll=poll, safety_poll=safety_poll)
    try:
        yield f"retry: {RETRY_MS}\n\n"
        while True:
            rows = list(events.filter(id__gt=after).order_by("id")[:BATCH])
            if rows:
                # Something to send: may the reader still see it? (Asked only then, so an
                # idle stream costs no more queries than before.)
                current = events_now()
                if current is None:
                    yield ": bye\n\n"
                    return
                events = current
                rows = list(events.filter(id__gt=after).order_by("id")[:BATCH])
            for event in rows:
                after = event.pk
                last_sent = time.monotonic()
                yield format_event(event)
            now = time.monotonic()
            if now - started >= lifetime:
                yield ": bye\n\n"
                return
            if now - last_sent >= heartbeat:
                last_sent = now
                yield ": heartbeat\n\n"
            if len(rows) < BATCH:
                remaining = lifetime - (now - started)
                until_heartbeat = heartbeat - (now - last_sent)
                waiter.wait(max(0.0, min(waiter.interval, remaining, until_heartbeat)))
    finally:
        waiter.close()
        slot.release()


@require_GET
def space_live(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    space = space_get_visible(user=request.user, slug=slug)
    events = space_events(viewer=request.user, space=space)
    after = _last_event_id(request)
    if after is None:
        newest = events.order_by("-id").values_list("id", flat=True).first()
        after = newest or 0
    response = StreamingHttpResponse(
        _stream(events, after, space.pk, _events_now(request, slug)),
        content_type="text/event-stream; charset=utf-8",
    )
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response
