"""How a person is named to others: their display name, with the username beside it only where
two people share that display name ("Ada Lovelace", but "Ada (@ada) " and "Ada (@ada2)")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count
from django.db.models.functions import Lower

if TYPE_CHECKING:
    from .models import User

#: The display names (lowercased) that more than one person carries, kept in the shared cache.
SHARED_KEY = "accounts:shared-display-names"
#: Names changed by other means than the actions (an admin, a shell) show within this time.
SHARED_SECONDS = 600


def shared_display_names() -> frozenset[str]:
    """The display names (lowercased) more than one account carries: one query, then cached."""
    shared = cache.get(SHARED_KEY)
    if shared is None:
        from .models import User

        shared = frozenset(
            User.objects.exclude(display_name="")
            .annotate(lowered=Lower("display_name"))
            .values("lowered")
            .annotate(people=Count("id"))
            .filter(people__gt=1)
            .values_list("lowered", flat=True)
        )
        cache.set(SHARED_KEY, shared, SHARED_SECONDS)
    return frozenset(shared)


def forget_shared_names() -> None:
    """A display name changed: read the shared names afresh, now and once the change commits."""
    cache.delete(SHARED_KEY)
    transaction.on_commit(lambda: cache.delete(SHARED_KEY))


def person_name(person: User | None) -> str:
    """The name a person shows to others: "Ada Lovelace", or "Ada (@ada)" where it is shared."""
    if person is None:
        return ""
    if not person.display_name:
        return person.username
    if person.display_name.strip().lower() in shared_display_names():
        return f"{person.display_name} (@{person.username})"
    return person.display_name
