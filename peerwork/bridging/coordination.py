"""Coordinated support: accounts that support the same things at the same times.

Two accounts are a pair when, over their positive signals (supports, helpful ratings),
- they gave at least `shared_items` of them to the same things within `minutes` of each
  other, and
- those together-in-time things are at least `overlap_percent` of everything either of them
  supported (Jaccard: together / union).
Groups are the connected components of the pairs. People with similar tastes who support
at their own times share items but not times, so they make no pair.

Reputation's detection (peerwork/reputation/detection.py) looks at who supports whom
(serial supports of one author, rings between authors); this looks at what is supported
when, so the two find different things and neither repeats the other.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from .signals import Item, SpaceSignal


@dataclass(frozen=True)
class Pair:
    a: int
    b: int
    jaccard: float
    #: (item, a's time, b's time) for each thing they supported together in time
    times: list[tuple[Item, datetime, datetime]]


@dataclass(frozen=True)
class Group:
    members: list[int]
    items: list[Item]
    pairs: list[Pair]


def find_pairs(
    signals: list[SpaceSignal], *, minutes: int, overlap_percent: int, shared_items: int
) -> list[Pair]:
    window = timedelta(minutes=minutes)
    when: dict[tuple[int, Item], datetime] = {}
    for user_id, item, value, at in signals:
        if value >= 0.5:
            when[(user_id, item)] = min(at, when.get((user_id, item), at))
    supported: dict[int, set[Item]] = defaultdict(set)
    by_item: dict[Item, list[tuple[datetime, int]]] = defaultdict(list)
    for (user_id, item), at in when.items():
        supported[user_id].add(item)
        by_item[item].append((at, user_id))
    close: dict[tuple[int, int], list[tuple[Item, datetime, datetime]]] = defaultdict(list)
    for item, rows in by_item.items():
        rows.sort()
        start = 0
        for end in range(len(rows)):
            while rows[end][0] - rows[start][0] > window:
                start += 1
            at_b, b = rows[end]
            for at_a, a in rows[start:end]:
                key = (a, b) if a < b else (b, a)
                first, second = (at_a, at_b) if a < b else (at_b, at_a)
                close[key].append((item, first, second))
    pairs = []
    for (a, b), together in sorted(close.items()):
        if len(together) < shared_items:
            continue
        jaccard = len(together) / len(supported[a] | supported[b])
        if jaccard * 100 >= overlap_percent:
            pairs.append(Pair(a, b, round(jaccard, 4), sorted(together)))
    return pairs


def find_groups(pairs: list[Pair]) -> list[Group]:
    parent: dict[int, int] = {}

    def root(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for pair in pairs:
        ra, rb = root(pair.a), root(pair.b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    components: dict[int, list[Pair]] = defaultdict(list)
    for pair in pairs:
        components[root(pair.a)].append(pair)
    groups = []
    for found in components.values():
        members = sorted({p.a for p in found} | {p.b for p in found})
        items = sorted({item for p in found for item, _a, _b in p.times})
        groups.append(Group(members, items, found))
    return sorted(groups, key=lambda group: group.members)
