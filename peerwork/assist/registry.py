"""The kinds of things the assist service indexes, registered once each.

    from peerwork.assist.registry import Kind, register_kind

    register_kind(Kind(
        name="idea", target_type="ideas.idea", model=Idea, view_action="idea.view",
        label=pgettext_lazy("assist kind", "idea"),
        text=lambda idea: (idea.title, idea.description),
        objects=lambda: Idea.objects.exclude(status__in=["draft", "merged"]),
        url=lambda idea: reverse("ideas:detail", args=[idea.space.slug, idea.pk]),
        authored=lambda user, space: Idea.objects.filter(space=space, created_by=user),
    ))

`objects` decides what is indexed and suggested; `view_action` (a read rule with a scope in
the one policy) decides who may be shown it. The activity log's events whose target is
`target_type` make the job embed the object again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, QuerySet


@dataclass(frozen=True)
class Kind:
    name: str
    #: "app_label.model_name", as the activity log names an event's target.
    target_type: str
    model: type[Model]
    view_action: str
    #: what a person calls one of them (translatable).
    label: Any
    #: (title, body) of an object, plain text or Markdown.
    text: Callable[[Any], tuple[str, str]]
    #: the objects that are indexed and may be suggested (every space).
    objects: Callable[[], QuerySet[Any]]
    url: Callable[[Any], str]
    #: the person's own past work of this kind in a space (a queryset of the objects), if any.
    authored: Callable[[Any, Any], QuerySet[Any]] | None = None


_KINDS: dict[str, Kind] = {}


def register_kind(kind: Kind) -> Kind:
    if kind.name in _KINDS:
        raise RuntimeError(f"assist kind {kind.name!r} registered twice")
    _KINDS[kind.name] = kind
    return kind


def kinds() -> list[Kind]:
    return list(_KINDS.values())


def kind_named(name: str) -> Kind | None:
    return _KINDS.get(name)


def kind_of_target(target_type: str) -> Kind | None:
    for kind in _KINDS.values():
        if kind.target_type == target_type or kind.name == target_type:
            return kind
    return None
