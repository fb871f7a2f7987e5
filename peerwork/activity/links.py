"""Where an event's target is shown on the site, so lists of events can link to it.

Each app registers its own objects (from its AppConfig.ready), as it registers its verbs;
lists built for one kind of object (the wiki's recent changes) need not know the others.
"""

from __future__ import annotations

from collections.abc import Callable

from .models import Event

_BUILDERS: dict[str, Callable[[Event], str]] = {}


def register(target_type: str, builder: Callable[[Event], str]) -> None:
    """`target_type` is "app_label.model_name", as the recorder stores it."""
    if target_type in _BUILDERS:
        raise ValueError(f"a link for {target_type!r} is registered twice")
    _BUILDERS[target_type] = builder


def target_url(event: Event) -> str:
    """The address of the event's target, or "" when there is none to link to."""
    builder = _BUILDERS.get(event.target_type)
    if builder is None or event.space is None:
        return ""
    return builder(event)
