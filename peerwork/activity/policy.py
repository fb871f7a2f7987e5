"""Which events a viewer sees, and the activity log's one rule of its own.

Public and private verbs are decided here once (a verb's `audience` in the registry): a public
event is seen by whoever may see its space (or by everyone, for site events); a private one only
by its actor (and site administrators). Selectors, feeds, dumps, webhooks and the live stream
all ask these functions or `policy.filter(user, "event.view", ...)`.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from peerwork.core import policy
from peerwork.core.policy import can, rule, scope, signed_in
from peerwork.spaces.models import Space

from .models import Event
from .verbs import VERBS


def is_public_verb(verb: str) -> bool:
    """Whether events of `verb` may be seen by everyone who sees their space."""
    registered = VERBS.get(verb)
    return registered is None or registered.audience == "public"


def private_verbs() -> list[str]:
    return [name for name in VERBS if not is_public_verb(name)]


def is_private_by_data(event: Event) -> bool:
    """An event of a public verb that names its public keys, holding none of them: an old
    profile edit that changed only personal settings, private as those are now."""
    registered = VERBS.get(event.verb)
    if registered is None or registered.public_keys is None:
        return False
    return not any(key in (event.data or {}) for key in registered.public_keys)


def _not_public() -> Q:
    """Events others may not see: private verbs, and `is_private_by_data` events."""
    hidden = Q(verb__in=private_verbs())
    for name, verb in VERBS.items():
        if verb.public_keys is not None and verb.audience == "public":
            hidden |= Q(verb=name) & ~Q(data__has_any_keys=list(verb.public_keys))
    return hidden


def narrowed_verbs() -> dict[str, list[str]]:
    """{read action: its verbs}: public verbs that also need a permission on their space."""
    narrowed: dict[str, list[str]] = {}
    for name, verb in VERBS.items():
        if verb.read_via and verb.audience == "public":
            narrowed.setdefault(verb.read_via, []).append(name)
    return narrowed


def _narrow(user: Any, events: QuerySet[Event]) -> QuerySet[Event]:
    """Drop the events whose verb needs a read permission `user` lacks on their space."""
    for action, verbs in narrowed_verbs().items():
        readable = policy.filter(user, action, Space.objects.all())
        events = events.filter(~Q(verb__in=verbs) | Q(space__in=readable))
    return events


def public_events(events: QuerySet[Event]) -> QuerySet[Event]:
    """The events of `events` with a public verb: what any viewer of their space may see."""
    return _narrow(AnonymousUser(), events.exclude(_not_public()))


def is_public_space_event(event: Event) -> bool:
    """A space event any member of the space may see: all that webhooks send out."""
    return (
        event.space_id is not None
        and event.verb in VERBS
        and is_public_verb(event.verb)
        and not is_private_by_data(event)
    )


@rule("event.view", conceals=True)
def can_view_event(user: Any, event: Event) -> bool:
    if event.space_id is not None and not can(user, "space.view", event.space):
        return False
    registered = VERBS.get(event.verb)
    if registered and registered.read_via and event.space_id is not None:
        if not can(user, registered.read_via, event.space):
            return False
    is_public = is_public_verb(event.verb) and not is_private_by_data(event)
    return is_public or (signed_in(user) and event.actor_id == user.pk)


@scope("event.view")
def events_viewable(user: Any, events: QuerySet[Event]) -> QuerySet[Event]:
    spaces = policy.filter(user, "space.view", Space.objects.all())
    seen = ~_not_public()
    if signed_in(user):
        seen |= Q(actor=user)
    events = events.filter(Q(space__isnull=True) | Q(space__in=spaces)).filter(seen)
    return _narrow(user, events)


def space_events_viewable(user: Any, space: Space, events: QuerySet[Event]) -> QuerySet[Event]:
    """`events_viewable` for the events of one space the caller has already checked `user` may
    see: the same rule, with the space's permissions decided here rather than as subqueries
    (recent changes and the MediaWiki API ask this on every request)."""
    events = events.filter(space=space)
    if policy.is_site_admin(user):
        return events  # as policy.filter passes them for "event.view"
    seen = ~_not_public()
    if signed_in(user):
        seen |= Q(actor=user)
    events = events.filter(seen)
    hidden = [
        verb
        for action, verbs in narrowed_verbs().items()
        if not can(user, action, space)
        for verb in verbs
    ]
    return events.exclude(verb__in=hidden) if hidden else events


@rule("user.notifications.manage", visible_via="user.view", admin_passes=False)
def can_manage_notifications(user: Any, person: Any) -> bool:
    return signed_in(user) and user.pk == person.pk
