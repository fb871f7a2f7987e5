"""Pages of the activity log: a space's activity, everything, a person's, an object's history;
and a person's notifications (what the log brought to their attention)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from peerwork.core import policy
from peerwork.core.pagination import key_from_query, keyset_page
from peerwork.spaces.selectors import space_get_visible

from . import selectors
from .actions import notifications_mark_read
from .models import Event
from .rows import row_of
from .sentences import attach, quote, sentences, target_kind

PAGE_SIZE = 50


def event_page(
    request: HttpRequest, events: QuerySet[Event], template: str, context: dict[str, Any]
) -> HttpResponse:
    """Newest first, PAGE_SIZE at a time, keyset on id with ?before=<id>.

    An htmx "load more" request gets only the next page (the `page` partial of
    activity/_events.html), which replaces the "load more" link it came from.
    """
    page = keyset_page(events, size=PAGE_SIZE, key=key_from_query(request.GET.get("before")))
    context = {
        **context,
        "events": attach(page.items),
        "next_before": page.next_key,
        "is_later_page": page.is_later,
    }
    if getattr(request, "htmx", False):
        template = "activity/_events.html#page"
    return render(request, template, context)


def all_activity(request: HttpRequest) -> HttpResponse:
    return event_page(request, selectors.events_visible(request.user), "activity/all.html", {})


def space_activity(request: HttpRequest, slug: str) -> HttpResponse:
    space = space_get_visible(user=request.user, slug=slug)
    events = selectors.space_events(viewer=request.user, space=space)
    return event_page(request, events, "activity/space.html", {"space": space})


def object_history(request: HttpRequest, target_type: str, target_id: str) -> HttpResponse:
    events = selectors.events_visible(request.user).filter(
        target_type=target_type, target_id=target_id
    )
    context = {"target_kind": target_kind(target_type)}
    return event_page(request, events, "activity/history.html", context)


@require_GET
def notifications(request: HttpRequest) -> HttpResponse:
    """The viewer's notifications, newest first, keyset paged with ?before=<id>."""
    if not policy.signed_in(request.user):
        return redirect_to_login(request.get_full_path())
    page = keyset_page(
        selectors.notifications_for(user=request.user),
        size=PAGE_SIZE,
        key=key_from_query(request.GET.get("before")),
    )
    query = request.GET.copy()
    query.pop("after", None)
    if page.next_key is not None:
        query["before"] = str(page.next_key)
    rows = [row_of(n.event) for n in page.items]
    for row, sentence in zip(rows, sentences([n.event for n in page.items]), strict=True):
        # The row shows its summary or reason in brackets already.
        said = quote(row.summary) if row.summary else None
        row.lines = [line for line in sentence.lines if line.text != said]
        if not sentence.title:  # the target is the actor, named already
            row.title = ""
    context = {
        "notifications": list(zip(page.items, rows, strict=True)),
        "next_before": page.next_key,
        "next_query": query.urlencode() if page.next_key is not None else "",
        "is_later_page": page.is_later,
    }
    return render(request, "activity/notifications.html", context)


@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    up_to = request.POST.get("up_to", "")
    marked = notifications_mark_read(
        user=request.user, up_to_id=int(up_to) if up_to.isdigit() else None
    )
    messages.success(
        request,
        ngettext(
            "%(count)d notification marked read.", "%(count)d notifications marked read.", marked
        )
        % {"count": marked},
    )
    return redirect("activity:notifications")
