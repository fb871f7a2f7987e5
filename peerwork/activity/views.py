"""Pages of the activity log: a space's activity, everything, a person's, an object's history;
and a person's notifications (what the log brought to their attention)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from peerwork.core import policy
from peerwork.core.pagination import key_from_query, keyset_page
from peerwork.spaces.selectors import space_get_visible

from . import inbox, selectors
from .actions import notifications_mark_read, notifications_set_read
from .models import Event
from .sentences import attach, target_kind

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


def _back(request: HttpRequest) -> HttpResponse:
    """Where a mark-read form without JavaScript returns: the page of the list it was on."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = ""
    return redirect(target or "activity:notifications")


def _entries_of(request: HttpRequest, notifications: Any) -> list[inbox.Entry]:
    return inbox.entries_of(inbox.items_of(list(notifications), request.user))


@require_GET
def notifications(request: HttpRequest) -> HttpResponse:
    """The viewer's notifications, newest first, keyset paged with ?before=<id>; unread ones
    about one object gathered into one entry."""
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
    context = {
        "entries": _entries_of(request, page.items),
        "newest_id": page.items[0].pk if page.items else None,
        "next_before": page.next_key,
        "next_query": query.urlencode() if page.next_key is not None else "",
        "is_later_page": page.is_later,
        "here": request.get_full_path(),
    }
    return render(request, "activity/notifications.html", context)


def _redrawn(request: HttpRequest, changed: int, read: bool) -> HttpResponse:
    """An htmx request gets the entries it showed, drawn again; others go back to the list."""
    if getattr(request, "htmx", False):
        shown = [int(value) for value in request.POST.getlist("shown") if value.isdigit()]
        notifications = selectors.notifications_for(user=request.user).filter(pk__in=shown)
        context = {"entries": _entries_of(request, notifications), "here": request.POST.get("next")}
        return render(request, "activity/_notification_entries.html", context)
    if read:
        message = ngettext(
            "%(count)d notification marked read.", "%(count)d notifications marked read.", changed
        )
    else:
        message = ngettext(
            "%(count)d notification marked unread.",
            "%(count)d notifications marked unread.",
            changed,
        )
    messages.success(request, message % {"count": changed})
    return _back(request)


@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    """Mark all read (up to the newest shown, so none arriving meanwhile is skipped unseen),
    or the notifications of one entry (`notification`, repeated)."""
    chosen = [int(value) for value in request.POST.getlist("notification") if value.isdigit()]
    if chosen:
        marked = notifications_set_read(user=request.user, ids=chosen, read=True)
    else:
        up_to = request.POST.get("up_to", "")
        marked = notifications_mark_read(
            user=request.user, up_to_id=int(up_to) if up_to.isdigit() else None
        )
    return _redrawn(request, marked, read=True)


@require_POST
def notification_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    notification = selectors.notification_get(user=request.user, notification_id=notification_id)
    changed = notifications_set_read(user=request.user, ids=[notification.pk], read=True)
    return _redrawn(request, changed, read=True)


@require_POST
def notification_unread(request: HttpRequest, notification_id: int) -> HttpResponse:
    notification = selectors.notification_get(user=request.user, notification_id=notification_id)
    changed = notifications_set_read(user=request.user, ids=[notification.pk], read=False)
    return _redrawn(request, changed, read=False)
