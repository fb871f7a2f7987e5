"""What apps built on ideas add to them, registered from their AppConfig.ready(): more ways
to sort a list, and a counter that decides how many supporters a milestone sees.

    extensions.register_sort("bridged", label=..., order=lambda ideas: ideas.order_by(...),
                             notes=lambda ideas: {idea.pk: "why"})
    extensions.register_milestone_counter(count)   # idea -> number, or None for the raw count

Ideas imports none of those apps; with nothing registered, lists sort as before and
milestones count every supporter once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.functional import Promise


@dataclass(frozen=True)
class Sort:
    key: str
    label: str | Promise
    #: the visible ideas -> the same, ordered
    order: Callable[[QuerySet[Any]], QuerySet[Any]]
    #: ideas shown -> {idea id: what a reader is told of its place}, for the list page
    notes: Callable[[Iterable[Any]], dict[int, Any]] | None = None


_SORTS: dict[str, Sort] = {}
_COUNTERS: list[Callable[[Any], float | None]] = []


def register_sort(
    key: str,
    *,
    label: str | Promise,
    order: Callable[[QuerySet[Any]], QuerySet[Any]],
    notes: Callable[[Iterable[Any]], dict[int, Any]] | None = None,
) -> None:
    if key in _SORTS:
        raise RuntimeError(f"idea sort {key!r} registered twice")
    _SORTS[key] = Sort(key, label, order, notes)


def sorts() -> dict[str, Sort]:
    return dict(_SORTS)


def register_milestone_counter(counter: Callable[[Any], float | None]) -> None:
    """`counter(idea)` (called with the idea locked) gives the supporters its milestone
    counts, or None to count them all once; one counter at most."""
    if _COUNTERS:
        raise RuntimeError("a milestone counter is already registered")
    _COUNTERS.append(counter)


def milestone_count(idea: Any) -> float:
    """The supporters the idea's next milestone counts: the registered counter's, or all."""
    for counter in _COUNTERS:
        counted = counter(idea)
        if counted is not None:
            return counted
    return float(idea.support_count)


_LINKS: list[tuple[str | Promise, Callable[[Any], str]]] = []


def register_detail_link(label: str | Promise, url_of: Callable[[Any], str]) -> None:
    """A link on every idea's page (to another app's page about the idea)."""
    _LINKS.append((label, url_of))


def detail_links(idea: Any) -> list[tuple[str | Promise, str]]:
    return [(label, url_of(idea)) for label, url_of in _LINKS]
