"""The kinds of things people rate, so any app's objects can join the one bridging model.

An app registers a kind from its AppConfig.ready() (ideas and comments are registered by
this app; opinion-map statements plug in the same way):

    register_rated_kind(
        "idea",
        model=Idea,
        view_action="idea.view",                   # who may see it may see its score
        is_rateable=lambda idea: idea.status != "draft",
        signals=idea_supports,                     # space -> [(user_id, object_id, value, when)]
        url_of=lambda idea: ...,
    )

`signals` gives the kind's own positive or negative signals beyond the ratings table (a
support of an idea is helpful, an agree vote on a statement would be too); values are in
[0, 1]. Every kind's signals and ratings are fit together, so a person's viewpoint comes from
everything they rated in the space.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import models

from peerwork.core.errors import NotFound

Signal = tuple[int, int, float, datetime]


@dataclass(frozen=True)
class RatedKind:
    key: str
    model: type[models.Model]
    space_of: Callable[[Any], Any]
    view_action: str
    is_rateable: Callable[[Any], bool]
    #: space -> the kind's own signals (user id, object id, value in [0, 1], when).
    signals: Callable[[Any], Iterable[Signal]] | None
    #: space -> the ids of its objects that take part (published ideas, comments not removed).
    url_of: Callable[[Any], str] | None
    #: True when the kind's positive signals are supports a milestone counts (ideas).
    is_support: bool = False
    #: False when the kind's signals come in sessions by design (an opinion map's statements are
    #: voted on one after another), so acting together in time says nothing of coordination.
    in_coordination: bool = True


_KINDS: dict[str, RatedKind] = {}


def register_rated_kind(
    key: str,
    *,
    model: type[models.Model],
    space_of: Callable[[Any], Any],
    view_action: str,
    is_rateable: Callable[[Any], bool] | None = None,
    signals: Callable[[Any], Iterable[Signal]] | None = None,
    url_of: Callable[[Any], str] | None = None,
    is_support: bool = False,
    in_coordination: bool = True,
) -> RatedKind:
    if key in _KINDS:
        raise RuntimeError(f"rated kind {key!r} registered twice")
    kind = RatedKind(
        key=key,
        model=model,
        space_of=space_of,
        view_action=view_action,
        is_rateable=is_rateable or (lambda obj: True),
        signals=signals,
        url_of=url_of,
        is_support=is_support,
        in_coordination=in_coordination,
    )
    _KINDS[key] = kind
    return kind


def rated_kinds() -> list[RatedKind]:
    return list(_KINDS.values())


def kind_named(key: str) -> RatedKind:
    try:
        return _KINDS[key]
    except KeyError:
        raise NotFound() from None


def kind_of(obj: Any) -> RatedKind:
    for kind in _KINDS.values():
        if isinstance(obj, kind.model):
            return kind
    raise NotFound()


def resolve(key: str, object_id: int) -> Any:
    """The object of a kind by id (NotFound if the kind or the object does not exist)."""
    kind = kind_named(key)
    obj = kind.model._default_manager.filter(pk=object_id).first()
    if obj is None:
        raise NotFound()
    return obj
