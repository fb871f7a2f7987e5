"""A page of a person's notifications as they read it: each one a sentence addressed to them
(`sentences.told`), and unread ones about the same object gathered into one entry ("3 changes
to Main page by Grace and Linus") that opens onto its notifications."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import ngettext

from peerwork.core.templatetags.numbers import number

from .models import Notification
from .rows import row_of
from .sentences import Line, join_words, quote, sentences, told


@dataclass
class Item:
    """One notification: its sentence to the reader, its object's row, the event's facts."""

    notification: Notification
    row: Any
    text: str
    html: SafeString
    lines: list[Line]

    @property
    def is_unread(self) -> bool:
        return self.notification.read_at is None


@dataclass
class Entry:
    """What the list shows in one place: a notification, or unread ones about one object."""

    items: list[Item] = field(default_factory=list)

    @property
    def first(self) -> Item:
        return self.items[0]

    @property
    def is_group(self) -> bool:
        return len(self.items) > 1

    @property
    def is_unread(self) -> bool:
        return any(item.is_unread for item in self.items)

    @property
    def latest(self) -> datetime:
        return self.first.notification.created_at

    @property
    def ids(self) -> list[int]:
        return [item.notification.pk for item in self.items]

    @property
    def people(self) -> str:
        names: list[str] = []
        for item in self.items:
            event = item.notification.event
            name = event.actor.name if event.actor_id and event.actor else ""
            if name and name not in names:
                names.append(name)
        return join_words(names)

    def _template(self) -> str:
        if not self.people:  # changes no person made (a vote closing on time)
            return ngettext(
                "%(count)s change to %(object)s",
                "%(count)s changes to %(object)s",
                len(self.items),
            )
        return ngettext(
            "%(count)s change to %(object)s by %(people)s",
            "%(count)s changes to %(object)s by %(people)s",
            len(self.items),
        )

    @property
    def summary_text(self) -> str:
        values = {"count": number(len(self.items)), "people": self.people}
        return self._template() % {**values, "object": self.first.row.title}

    @property
    def summary_html(self) -> SafeString:
        row = self.first.row
        linked = (
            format_html('<a href="{}">{}</a>', row.url, row.title) if row.url else escape(row.title)
        )
        # The translated %-template, escaped, becomes a format_html pattern, which escapes
        # each value in turn (the link is already safe).
        pattern = escape(self._template()).replace("{", "{{").replace("}", "}}")
        pattern = re.sub(r"%\((\w+)\)s", r"{\1}", pattern)
        return format_html(
            pattern, count=number(len(self.items)), people=self.people, object=linked
        )


def items_of(notifications: Sequence[Notification], recipient: Any) -> list[Item]:
    """Each notification with its sentence to `recipient`; the people named read in one query."""
    events = [n.event for n in notifications]
    rows = [row_of(event) for event in events]
    said = told(
        events, recipient, titles=[row.title for row in rows], urls=[row.url for row in rows]
    )
    items = []
    for notification, row, sentence, facts in zip(
        notifications, rows, said, sentences(events), strict=True
    ):
        # The row's summary or reason shows in brackets already.
        shown = quote(row.summary) if row.summary else None
        items.append(
            Item(
                notification=notification,
                row=row,
                text=sentence.text,
                # built by `told` from the escaped template and escaped values
                html=mark_safe(sentence.html),  # noqa: S308  # nosec B308 B703
                lines=[line for line in facts.lines if line.text != shown],
            )
        )
    return items


def entries_of(items: Sequence[Item]) -> list[Entry]:
    """Unread items about one object gathered where the newest of them is; read ones alone."""
    entries: list[Entry] = []
    unread_about: dict[tuple[str, str], Entry] = {}
    for item in items:
        event = item.notification.event
        if not item.is_unread:
            entries.append(Entry([item]))
            continue
        key = (event.target_type, event.target_id)
        if key in unread_about:
            unread_about[key].items.append(item)
        else:
            unread_about[key] = Entry([item])
            entries.append(unread_about[key])
    return entries
