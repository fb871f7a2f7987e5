"""How a list of events addressed to a person (their notifications) shows one event.

The generic row reads what every event carries: its verb's label, its target's name and
address (`links.target_url`), a summary or reason. An app whose events say more (a wiki page's
title from its namespace, a diff link) registers its own row from its AppConfig.ready, as it
registers its verbs and links, so this app never imports the apps built on it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from .links import target_url
from .models import Event
from .verbs import VERBS


class EventRow:
    """One event as a list shows it; a registered row offers at least these attributes."""

    def __init__(self, event: Event) -> None:
        data = event.data or {}
        self.event = event
        self.verb = event.verb
        verb = VERBS.get(event.verb)
        self.label = verb.label if verb else event.verb
        self.space = event.space
        self.title = event.target_repr
        self.url = target_url(event)
        self.history_url = ""
        self.diff_url = ""
        self.summary = data.get("summary") or data.get("reason") or ""


_ROWS: dict[str, Callable[[Event], Any]] = {}


def register(target_type: str, row: Callable[[Event], Any]) -> None:
    """Show events about `target_type` ("app_label.model_name") with `row(event)`."""
    if target_type in _ROWS:
        raise ValueError(f"a row for {target_type!r} is registered twice")
    _ROWS[target_type] = row


def row_of(event: Event) -> Any:
    """The row that shows `event`: its target type's registered row, else an `EventRow`."""
    return _ROWS.get(event.target_type, EventRow)(event)


def rows_of(events: Iterable[Event]) -> list[Any]:
    return [row_of(event) for event in events]
