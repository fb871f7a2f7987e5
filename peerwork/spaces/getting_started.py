"""A new space's getting-started checklist, shown to its stewards on the space's home.

Each step belongs to the app that knows whether it is done (the wiki knows its main page,
ideas whether one was posted), registered from its apps.py, so spaces imports none of them.
The list shows while the space is young and a step is still open; it goes once every step is
done, or after `SHOWN_FOR`, whichever comes first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.utils import timezone

from peerwork.core import policy

from .models import Space, SpaceMembership

#: A space older than this has found its way; its stewards no longer see the list.
SHOWN_FOR = timedelta(days=30)


@dataclass(frozen=True)
class Step:
    key: str
    order: int
    #: what to do, in words (a lazy translation).
    label: Any
    url: Callable[[Space], str]
    done: Callable[[Space], bool]


_STEPS: dict[str, Step] = {}


def register(step: Step) -> None:
    if _STEPS.get(step.key, step) != step:
        raise RuntimeError(f"getting-started step {step.key!r} registered twice")
    _STEPS[step.key] = step


@dataclass(frozen=True)
class Shown:
    label: str
    url: str
    done: bool


def checklist(user: Any, space: Space) -> list[Shown] | None:
    """The steps with their state for a steward of a young space; None when not shown."""
    if timezone.now() - space.created_at > SHOWN_FOR:
        return None
    if not policy.can(user, "space.update", space):
        return None
    steps = [
        Shown(str(step.label), step.url(space), step.done(space))
        for step in sorted(_STEPS.values(), key=lambda s: (s.order, s.key))
    ]
    return None if all(step.done for step in steps) else steps


def _register_own() -> None:
    from django.urls import reverse
    from django.utils.translation import gettext_lazy as _

    register(
        Step(
            "describe",
            10,
            _("Say what the space is for: a description people read before they join"),
            lambda space: reverse("spaces:settings", args=[space.slug]),
            lambda space: bool(space.description.strip()),
        )
    )
    register(
        Step(
            "members",
            30,
            _("Add members, or invite people to join"),
            lambda space: reverse("spaces:members", args=[space.slug]),
            lambda space: SpaceMembership.objects.filter(space=space).count() > 1,
        )
    )
