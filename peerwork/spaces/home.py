"""What the spaces app puts on a person's home: their spaces, first steps for a newcomer, and
the invitations and join requests that wait for them."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import ngettext

from peerwork.core.home import Section, Waiting, register_section, register_waiting

from . import selectors


def _your_spaces(request: HttpRequest) -> dict[str, Any] | None:
    mine = selectors.spaces_of(request.user)
    return {"memberships": mine} if mine else None


def _first_steps(request: HttpRequest) -> dict[str, Any] | None:
    """A newcomer (no space yet) gets a short guide: join a space, edit a page, support an
    idea; each step links to where it is done, in the first open space there is."""
    if selectors.spaces_of(request.user):
        return None
    open_space = (
        selectors.spaces_listed(request.user).filter(participation="anyone").first()
        or selectors.spaces_listed(request.user).first()
    )
    return {"open_space": open_space}


def _waiting(user: Any) -> list[Waiting]:
    items = []
    count = selectors.pending_invitation_count(user)
    if count:
        text = ngettext(
            "An invitation waits for your answer",
            "%(count)s invitations wait for your answer",
            count,
        ) % {"count": count}
        items.append(Waiting(text, reverse("accounts:invitations")))
    for space, asking in selectors.join_requests_to_decide(user):
        text = ngettext("A person asks to join", "%(count)s people ask to join", asking) % {
            "count": asking
        }
        items.append(Waiting(text, reverse("spaces:members", args=[space.slug]), where=space.name))
    return items


def register() -> None:
    register_section(Section("first-steps", 20, "spaces/_home_first_steps.html", _first_steps))
    register_section(Section("your-spaces", 30, "spaces/_home_spaces.html", _your_spaces))
    register_waiting(_waiting)
