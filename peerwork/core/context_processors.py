"""Numbers the header shows on every page.

They are plain integers, computed once per request: a lazy object handed to `ngettext` or
`{% blocktranslate count %}` breaks every language whose plural rule does arithmetic on the
number (Spanish's takes `n % 1000000`), while English's rule happens not to notice."""

from __future__ import annotations

from django.http import HttpRequest

_CACHE_ATTRIBUTE = "_peerwork_header_counts"


def header_counts(request: HttpRequest) -> dict[str, int]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.boosted:
        return {}  # a fragment swapped into a page that already has its header
    cached = getattr(request, _CACHE_ATTRIBUTE, None)
    if cached is None:
        from peerwork.activity import selectors as activity
        from peerwork.spaces import selectors as spaces

        cached = {
            "pending_invitation_count": spaces.pending_invitation_count(user),
            "unread_notification_count": activity.unread_notification_count(user),
        }
        setattr(request, _CACHE_ATTRIBUTE, cached)
    return dict(cached)
