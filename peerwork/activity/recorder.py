"""The one activity recorder: the only code that writes audit rows.

Called inside each action's transaction, so an event exists exactly when its change does.
Each space's events (and the site's events, which belong to no space) form a SHA-256 chain:
an event's hash covers its canonical content and the previous event's hash.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from .models import SITE_CHAIN, ChainHead, Event
from .verbs import VERBS


def chain_key(space: Any) -> str:
    return f"space:{space.pk}" if space is not None else SITE_CHAIN


def target_of(obj: Any) -> tuple[str, str, str]:
    meta = obj._meta
    return f"{meta.app_label}.{meta.model_name}", str(obj.pk), str(obj)[:255]


def canonical(
    *,
    chain: str,
    seq: int,
    space_id: int | None,
    actor_id: int | None,
    verb: str,
    target_type: str,
    target_id: str,
    target_repr: str,
    data: Any,
    created_at: datetime,
    prev_hash: str,
) -> bytes:
    content = {
        "chain": chain,
        "seq": seq,
        "space": space_id,
        "actor": actor_id,
        "verb": verb,
        "target": [target_type, target_id, target_repr],
        "data": data,
        "created_at": created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "prev": prev_hash,
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def event_hash(event: Event) -> str:
    return hashlib.sha256(
        canonical(
            chain=event.chain,
            seq=event.seq,
            space_id=event.space_id,
            actor_id=event.actor_id,
            verb=event.verb,
            target_type=event.target_type,
            target_id=event.target_id,
            target_repr=event.target_repr,
            data=event.data,
            created_at=event.created_at,
            prev_hash=event.prev_hash,
        )
    ).hexdigest()


def _plain(data: dict[str, Any] | None) -> dict[str, Any]:
    """Data as the database will give it back, so the hash can be recomputed from the row."""
    return json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder))


def record(
    *,
    actor: Any,
    verb: str,
    target: Any,
    space: Any = None,
    data: dict[str, Any] | None = None,
) -> Event:
    if verb not in VERBS:
        raise ValueError(f"unregistered verb {verb!r}; add it to peerwork/activity/verbs.py")
    if not connection.in_atomic_block:
        raise RuntimeError("activity.record must run inside the action's transaction")
    key = chain_key(space)
    head, _created = ChainHead.objects.get_or_create(key=key)
    # Lock the tip: on PostgreSQL concurrent appenders wait here; SQLite's IMMEDIATE
    # transactions already hold the single write lock.
    head = ChainHead.objects.select_for_update().get(pk=head.pk)
    target_type, target_id, target_repr = target_of(target)
    event = Event(
        chain=key,
        seq=head.length + 1,
        space=space,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        verb=verb,
        target_type=target_type,
        target_id=target_id,
        target_repr=target_repr,
        data=_plain(data),
        created_at=timezone.now().replace(tzinfo=UTC),
        prev_hash=head.last_hash,
    )
    event.hash = event_hash(event)
    event.save(force_insert=True)
    ChainHead.objects.filter(pk=head.pk).update(length=event.seq, last_hash=event.hash)
    _schedule_webhooks(event)
    return event


def _schedule_webhooks(event: Event) -> None:
    """Webhook fan-out after the commit, only when the space has subscriptions (one query)."""
    from .policy import is_public_space_event

    if event.space_id is None or not is_public_space_event(event):
        return
    from peerwork.core import jobs
    from peerwork.interop.webhooks.selectors import space_has_subscriptions

    if space_has_subscriptions(event.space_id):
        # enqueue itself waits for transaction.on_commit: nothing runs if this rolls back.
        jobs.enqueue("webhooks.fan_out", event_id=event.pk)


def changes(obj: Any, new_values: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """{"field": {"old": ..., "new": ...}} for the fields whose value differs."""
    result = {}
    for field, new in new_values.items():
        old = getattr(obj, field)
        if old != new:
            result[field] = {"old": old, "new": new}
    return result


__all__ = ["record", "notify", "changes", "event_hash", "chain_key", "transaction"]


def notify(*, users: Any, event: Event) -> int:
    """Bring `event` to these people's attention (skipping its actor); returns how many."""
    from .models import Notification

    rows = [
        Notification(user_id=user_id, event=event)
        for user_id in {getattr(u, "pk", u) for u in users}
        if user_id != event.actor_id
    ]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)
