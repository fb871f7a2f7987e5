"""Credit of a space for a period: the graph, the walk, each person's score and its parts.

Nothing here is stored or checks a permission; selectors and actions call it after asking
the policy. The same function serves the credit page, the API, the what-if and the
distributions, so they cannot disagree.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import numpy as np

from .graph import build_graph
from .models import Method
from .policy_schema import CreditPolicy, credit_policy
from .rank import Ranking, pagerank
from .split import largest_remainder

#: How many parts an explanation names; the rest are summed as "other contributions".
PARTS_SHOWN = 10
BASIS = 10_000


@dataclass(frozen=True)
class Period:
    start: datetime
    end: datetime


def end_of(day: date | None) -> datetime | None:
    """The end of a period whose last day (UTC) is `day`: midnight after it."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=UTC) if day else None


def period_ending(
    space: Any, end: datetime | None = None, *, now: datetime | None = None
) -> Period:
    """The credit period that ends at `end` (default: the end of today, UTC)."""
    days = credit_policy(space).period_days
    if end is None:
        today = (now or datetime.now(tz=UTC)).astimezone(UTC).date()
        end = datetime.combine(today + timedelta(days=1), time(0), tzinfo=UTC)
    return Period(end - timedelta(days=days), end)


def _when(method: str, period: Period, policy: CreditPolicy) -> Any:
    """The seed's time factor of each distribution method (see graph.py)."""
    if method == Method.IMMEDIATE:
        return lambda moment: 1.0 if period.start <= moment < period.end else 0.0
    if method == Method.RECENT:
        keep = 1.0 - policy.recent_discount_percent / 100.0
        length = (period.end - period.start).total_seconds()

        def recent(moment: datetime) -> float:
            age = max(0, math.floor((period.end - moment).total_seconds() / length - 1e-9))
            return keep**age if keep > 0 or age == 0 else 0.0

        return recent
    return lambda _moment: 1.0


@dataclass
class Part:
    """One node's part of a person's score."""

    node: str
    kind: str
    name: str
    relations: list[str]
    value: float
    basis_points: int = 0


@dataclass
class Credit:
    """Everyone's credit in one period by one method: `scores` by user id, `shares` as
    fractions of the people's total, and the ranking to explain them from."""

    method: str
    period: Period
    ranking: Ranking
    scores: dict[int, float]
    names: dict[int, str] = field(default_factory=dict)

    @property
    def total(self) -> float:
        return math.fsum(self.scores.values())

    def share(self, user_id: int) -> float:
        total = self.total
        return self.scores.get(user_id, 0.0) / total if total else 0.0

    def ordered(self) -> list[tuple[int, float]]:
        """(user id, score), highest first, ties by user id."""
        return sorted(
            ((user, score) for user, score in self.scores.items() if score > 0),
            key=lambda item: (-item[1], item[0]),
        )

    def parts(self, user_id: int) -> list[Part]:
        """Every node's part of the person's score, largest first: their `value`s' fsum is
        the score, and their `basis_points` add up to 10,000 (largest remainder)."""
        graph = self.ranking.graph
        found = self.ranking.explain(user_id)
        if not found:
            return []
        position = graph.index[f"user:{user_id}"]
        targets = np.asarray(graph.targets, dtype=np.int64)
        relations: dict[int, list[str]] = {}
        for edge in np.flatnonzero(targets == position).tolist():
            relations.setdefault(graph.sources[edge], []).append(graph.edge_kinds[edge])
        points = largest_remainder(BASIS, {node: value for node, value in found})
        return [
            Part(
                node=graph.keys[node],
                kind=graph.kinds[node],
                name=graph.labels[node],
                relations=sorted(set(relations.get(node, []))),
                value=value,
                basis_points=points.get(node, 0),
            )
            for node, value in found
        ]

    def explanation(self, user_id: int) -> dict[str, Any]:
        """What a share stores: the largest parts by name, the rest summed as one."""
        parts = self.parts(user_id)
        shown = [
            {
                "node": part.node,
                "kind": part.kind,
                "name": part.name,
                "relations": part.relations,
                "basis_points": part.basis_points,
            }
            for part in parts[:PARTS_SHOWN]
        ]
        rest = parts[PARTS_SHOWN:]
        if rest:
            shown.append(
                {
                    "node": "",
                    "kind": "other",
                    "name": "",
                    "count": len(rest),
                    "relations": [],
                    "basis_points": sum(part.basis_points for part in rest),
                }
            )
        return {"parts": shown}


def credit(
    space: Any,
    *,
    period: Period,
    method: str = Method.IMMEDIATE,
    policy: CreditPolicy | None = None,
) -> Credit:
    """Everyone's credit in `space` for `period` by `method` (immediate, recent or balanced)."""
    policy = policy or credit_policy(space)
    graph = build_graph(space, policy=policy, end=period.end, when=_when(method, period, policy))
    ranking = pagerank(graph, alpha=policy.jump_percent / 100.0)
    names = {
        user: graph.labels[graph.index[f"user:{user}"]] for user in graph.users if user is not None
    }
    return Credit(method, period, ranking, ranking.person_scores(), names)


def with_weights(policy: CreditPolicy, changes: dict[str, int]) -> CreditPolicy:
    """The policy with some weights changed ("nodes.revision": 10): the what-if's input,
    checked by the schema like a stored policy."""
    document = policy.model_dump()
    for name, value in changes.items():
        section, _dot, key = name.partition(".")
        if section not in {"nodes", "edges"} or key not in document[section]:
            raise KeyError(name)
        document[section][key] = value
    return CreditPolicy.model_validate(document)


def shares_in_basis_points(result: Credit) -> dict[int, int]:
    """Everyone's share of the people's total credit, in basis points adding up to 10,000."""
    return largest_remainder(BASIS, dict(sorted(result.scores.items())))
