from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Schema

from .models import Event
from .verbs import VERBS


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


def event_out(event: Event) -> dict[str, Any]:
    verb = VERBS.get(event.verb)
    return {
        "id": event.pk,
        "seq": event.seq,
        "chain": event.chain,
        "space": event.space.slug if event.space else None,
        "actor": event.actor.username if event.actor else None,
        "verb": event.verb,
        "summary": str(verb.label) if verb else event.verb,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "target": event.target_repr,
        "data": event.data,
        "created_at": event.created_at,
        "hash": event.hash,
        "prev_hash": event.prev_hash,
    }
