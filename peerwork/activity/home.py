"""The person's own recent contributions on their home, in the log's sentences."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from peerwork.core.home import Section, register_section

from . import selectors
from .policy import private_verbs
from .sentences import attach

#: How many of their latest events the home shows; the rest are on their activity page.
SHOWN = 8


def _contributions(request: HttpRequest) -> dict[str, Any] | None:
    # What they did in spaces for others to see: joining the site, changing their settings
    # or watching a page (private verbs) is no contribution.
    mine = selectors.person_events(viewer=request.user, person=request.user)
    events = list(mine.filter(space__isnull=False).exclude(verb__in=private_verbs())[:SHOWN])
    return {"events": attach(events), "person": request.user} if events else None


def register() -> None:
    register_section(
        Section("contributions", 50, "activity/_home_contributions.html", _contributions)
    )
