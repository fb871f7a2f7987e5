from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Schema

from .models import Event
from .verbs import VERBS, shown_data


class EventOut(Schema):
    id: int
    seq: int
    chain: str
    space: str | None
    actor: str | None
    verb: str
    summary: str
    target_type: str
    target_id: str
    target: str
    data: dict[str, Any]
    created_at: datetime
    hash: str
    prev_hash: str


def event_out(event: Event, *, portable: bool = False) -> dict[str, Any]:
    """The one serialization of an event, for the REST API, webhooks, the live stream and the
    open-data dump.

    `portable` (the dump) leaves out what depends on who reads it or is said once elsewhere:
    the summary in the reader's language and the space, which the dump's first line names.
    """
    verb = VERBS.get(event.verb)
    record: dict[str, Any] = {
        "id": event.pk,
        "seq": event.seq,
        "chain": event.chain,
        # the dump does not read the space: no query per event there.
        "space": event.space.slug if not portable and event.space else None,
        "actor": event.actor.username if event.actor else None,
        "verb": event.verb,
        "summary": str(verb.label) if verb else event.verb,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "target": event.target_repr,
        "data": shown_data(event.verb, event.data or {}),
        "created_at": event.created_at,
        "hash": event.hash,
        "prev_hash": event.prev_hash,
    }
    if portable:
        del record["space"], record["summary"]
    return record
