"""Serial supports and rings: supports whose points are reversed, with the reason logged.

Stack Overflow reverses serial votes (one person voting for many posts of one author in a
short time); rings are people supporting each other's ideas (two of them both ways, or three
in a cycle). The supports stay as they are; their reputation entries are reversed by one
`reputation:reversed` event, which the rules replay on a rebuild.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from peerwork.activity.recorder import record
from peerwork.spaces.models import Space

from .models import Entry
from .policy_schema import reputation_policy

Key = tuple[str, int, int]


def _supports(space: Space, since: datetime | None = None) -> list[tuple[Key, int, int, datetime]]:
    """(entry key, supporter, author, when) of the space's standing support entries."""
    rows = Entry.objects.filter(space=space, rule="idea_supported", reversed_reason="")
    if since is not None:
        rows = rows.filter(event__created_at__gte=since)
    return [
        ((rule, event_id, person_id), supporter, person_id, created_at)
        for rule, event_id, person_id, supporter, created_at in rows.order_by(
            "event__created_at", "event_id"
        ).values_list("rule", "event_id", "person_id", "event__actor_id", "event__created_at")
        if supporter is not None
    ]


def serial_supports(space: Space) -> list[Key]:
    """Entries of supports by one person of one author, `serial_supports` or more of them
    within `serial_hours`."""
    rules = reputation_policy(space).detection
    window = timedelta(hours=rules.serial_hours)
    by_pair: dict[tuple[int, int], list[tuple[Key, datetime]]] = defaultdict(list)
    for key, supporter, author, when in _supports(space):
        by_pair[(supporter, author)].append((key, when))
    found: set[Key] = set()
    for items in by_pair.values():
        start = 0
        for end in range(len(items)):
            while items[end][1] - items[start][1] > window:
                start += 1
            if end - start + 1 >= rules.serial_supports:
                found.update(key for key, _when in items[start : end + 1])
    return sorted(found)


def ring_supports(space: Space, now: datetime) -> list[Key]:
    """Entries of supports within `ring_days` between two people who support each other at
    least `ring_supports` times each way, or three people in such a cycle."""
    rules = reputation_policy(space).detection
    edges: dict[tuple[int, int], list[Key]] = defaultdict(list)
    for key, supporter, author, _when in _supports(space, now - timedelta(days=rules.ring_days)):
        edges[(supporter, author)].append(key)
    strong = {pair for pair, keys in edges.items() if len(keys) >= rules.ring_supports}
    found: set[Key] = set()
    for a, b in strong:
        if (b, a) in strong:
            found.update(edges[(a, b)] + edges[(b, a)])
        for c in {c for (x, c) in strong if x == b and c not in (a, b)}:
            if (c, a) in strong:
                found.update(edges[(a, b)] + edges[(b, c)] + edges[(c, a)])
    return sorted(found)


@transaction.atomic
def detect_space(*, space: Space, now: datetime | None = None) -> int:
    """Reverse what serial supports and rings earned; one logged event per reason. Returns how
    many entries were reversed."""
    now = now or timezone.now()
    serial = serial_supports(space)
    rings = [key for key in ring_supports(space, now) if key not in set(serial)]
    for reason, keys in (("serial", serial), ("ring", rings)):
        if keys:
            record(
                actor=None,
                verb="reputation:reversed",
                target=space,
                space=space,
                data={
                    "reason": reason,
                    "entries": [list(key) for key in keys],
                    "people": sorted({key[2] for key in keys}),
                },
            )
    return len(serial) + len(rings)
