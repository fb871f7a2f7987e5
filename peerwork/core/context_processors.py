"""Numbers the header shows on every page.

They are plain integers, computed once per request: a lazy object handed to `ngettext` or
`{% blocktranslate count %}` breaks every language whose plural rule does arithmetic on the
number (Spanish's takes `n % 1000000`), while English's rule happens not to notice.

Each count belongs to the app that knows it, which registers it from its `apps.py` with
`register_header_count`, so the shell imports no app."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

_CACHE_ATTRIBUTE = "_peerwork_header_counts"

#: template variable -> count(user) for a signed-in person, in registration order.
_HEADER_COUNTS: dict[str, Callable[[Any], int]] = {}


def register_header_count(name: str, count: Callable[[Any], int]) -> None:
    """Show `count(user)` in the header as the template variable `name`."""
    if _HEADER_COUNTS.get(name, count) is not count:
        raise RuntimeError(f"header count {name!r} registered twice")
    _HEADER_COUNTS[name] = count


def header_counts(request: HttpRequest) -> dict[str, int]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.boosted:
        return {}  # a fragment swapped into a page that already has its header
    cached = getattr(request, _CACHE_ATTRIBUTE, None)
    if cached is None:
        cached = {name: int(count(user)) for name, count in _HEADER_COUNTS.items()}
        setattr(request, _CACHE_ATTRIBUTE, cached)
    return dict(cached)
