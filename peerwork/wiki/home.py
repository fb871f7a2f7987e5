"""Changes to the pages a person watches, on their home (the first lines of their watchlist)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy

from peerwork.activity.sentences import attach
from peerwork.core.home import Section, register_section
from peerwork.spaces import getting_started

from . import selectors

SHOWN = 8


def _watchlist(request: HttpRequest) -> dict[str, Any] | None:
    events = list(selectors.watchlist(user=request.user)[:SHOWN])
    return {"events": attach(events)} if events else None


def _main_page_written(space: Any) -> bool:
    from .views import MAIN_PAGE

    return space.pages.filter(namespace=0, title=MAIN_PAGE, is_deleted=False).exists()


def register() -> None:
    register_section(Section("watchlist", 40, "wiki/_home_watchlist.html", _watchlist))
    getting_started.register(
        getting_started.Step(
            "main-page",
            20,
            gettext_lazy("Write the wiki's main page: what a visitor reads first"),
            lambda space: reverse("wiki:main", args=[space.slug]),
            _main_page_written,
        )
    )
