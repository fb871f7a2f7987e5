"""Panels other apps add to a space's settings page (what their part of the policy does now),
registered from their apps.py, so spaces never imports a higher app."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class Panel:
    key: str
    order: int
    template: str
    #: (request, space) -> the template's context, or None to show nothing.
    context: Callable[[HttpRequest, Any], dict[str, Any] | None]


_PANELS: dict[str, Panel] = {}


def register_panel(panel: Panel) -> None:
    _PANELS[panel.key] = panel


def panels_for(request: HttpRequest, space: Any) -> list[tuple[str, dict[str, Any]]]:
    """(template, context) of each panel that has something to show, in order."""
    shown = []
    for panel in sorted(_PANELS.values(), key=lambda p: (p.order, p.key)):
        context = panel.context(request, space)
        if context is not None:
            shown.append((panel.template, context))
    return shown
