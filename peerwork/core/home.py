"""The personal home: what a signed-in person sees first, assembled from the apps.

Each app that has something to say on it registers from its apps.py, so the shell imports no
app: a *section* (its own template and context, shown when its context is not None) and
*waiting items* (what waits for this person's answer or work: an invitation, a claim that is
due, a proposal closing soon), which the home gathers in one list, the most urgent first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString


@dataclass(frozen=True)
class Section:
    #: stable name (the section's id in the page).
    key: str
    #: lower comes first.
    order: int
    template: str
    #: the template's context for this request, or None to leave the section out.
    context: Callable[[HttpRequest], dict[str, Any] | None]


@dataclass(frozen=True)
class Waiting:
    """One thing waiting for the person, as one sentence with a link."""

    text: str
    url: str
    #: when it is due or closes; sooner first, undated last.
    due: datetime | None = None
    #: a few words on where it is (the space's name), shown after the sentence.
    where: str = ""
    #: `due` is when voting closes (else when the work is due).
    closes: bool = False


_NEVER = datetime.max.replace(tzinfo=UTC)
_SECTIONS: dict[str, Section] = {}
_WAITING: list[Callable[[Any], list[Waiting]]] = []


def register_section(section: Section) -> None:
    if _SECTIONS.get(section.key, section) != section:
        raise RuntimeError(f"home section {section.key!r} registered twice")
    _SECTIONS[section.key] = section


def register_waiting(provider: Callable[[Any], list[Waiting]]) -> None:
    """Add `provider(user)`'s items to the person's "Waiting for you" list."""
    if provider not in _WAITING:
        _WAITING.append(provider)


def waiting_for(user: Any) -> list[Waiting]:
    items = [item for provider in _WAITING for item in provider(user)]
    return sorted(items, key=lambda item: (item.due is None, item.due or _NEVER))


def _waiting_section(request: HttpRequest) -> dict[str, Any] | None:
    return {"items": waiting_for(request.user)}


register_section(Section("waiting", 10, "core/_home_waiting.html", _waiting_section))


def sections_for(request: HttpRequest) -> list[tuple[str, SafeString]]:
    """(key, rendered HTML) of each section this person's home shows, in order."""
    shown = []
    for section in sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key)):
        context = section.context(request)
        if context is not None:
            shown.append((section.key, render_to_string(section.template, context, request)))
    return shown
