"""Watching: who asked to hear about which object, for every watchable model at once.

An app makes its objects watchable with one call from its AppConfig.ready():

    from peerwork.activity import watching
    watching.register(Page, noun="page")

The noun names the permission rule (`page.watch`) the one `watch_set` action asks and the
events it records (`page:watched`, `page:unwatched`). The reads below are what faces and
notification fan-out use; the model gets a `GenericRelation` to `activity.Watch` so deleting
an object deletes its watches.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Exists, OuterRef, QuerySet

from peerwork.core import policy

from .models import Watch


@dataclass(frozen=True)
class Watchable:
    model: type[models.Model]
    #: names the rule ("<noun>.watch") and the events ("<noun>:watched", "<noun>:unwatched").
    noun: str
    #: the data of the watch events, for models whose events always carry some; None for none.
    data_of: Callable[[Any], dict[str, Any]] | None = None

    @property
    def action(self) -> str:
        return f"{self.noun}.watch"

    def verb(self, watching: bool) -> str:
        return f"{self.noun}:watched" if watching else f"{self.noun}:unwatched"


_BY_MODEL: dict[type[models.Model], Watchable] = {}


def register(
    model: type[models.Model],
    *,
    noun: str,
    data_of: Callable[[Any], dict[str, Any]] | None = None,
) -> Watchable:
    """Make `model`'s objects watchable. Registering a model twice is an error."""
    if model in _BY_MODEL:
        raise RuntimeError(f"{model.__name__} is already registered for watching")
    watchable = Watchable(model=model, noun=noun, data_of=data_of)
    _BY_MODEL[model] = watchable
    return watchable


def watchable_for(target: models.Model | type[models.Model]) -> Watchable:
    """The registration of `target`'s model; TypeError for a model nobody registered."""
    model = target if isinstance(target, type) else type(target)
    try:
        return _BY_MODEL[model._meta.concrete_model or model]
    except KeyError:
        raise TypeError(f"{model.__name__} objects cannot be watched; register it") from None


def _content_type(model: type[models.Model] | models.Model) -> ContentType:
    watchable_for(model)
    return ContentType.objects.get_for_model(model)


def watches_of(target: models.Model) -> QuerySet[Watch]:
    return Watch.objects.filter(content_type=_content_type(target), object_id=target.pk)


def watcher_ids(target: models.Model) -> QuerySet[Any]:
    """User ids of the people watching `target` (for notification fan-out)."""
    return watches_of(target).values_list("user_id", flat=True)


def is_watching(user: Any, target: models.Model) -> bool:
    return policy.signed_in(user) and watches_of(target).filter(user=user).exists()


def watched_ids(user: Any, model: type[models.Model]) -> QuerySet[Any]:
    """Primary keys of the `model` objects `user` watches, as a subquery (none when signed out)."""
    watches = Watch.objects.filter(content_type=_content_type(model))
    if not policy.signed_in(user):
        watches = watches.none()
    else:
        watches = watches.filter(user=user)
    return watches.values_list("object_id", flat=True)


def watching_exists(user: Any, model: type[models.Model], outer: str = "pk") -> Exists:
    """An annotation for lists: does `user` watch the row (`queryset.annotate(watching=...)`)."""
    watches = Watch.objects.filter(content_type=_content_type(model), object_id=OuterRef(outer))
    if not policy.signed_in(user):
        return Exists(watches.none())
    return Exists(watches.filter(user=user))
