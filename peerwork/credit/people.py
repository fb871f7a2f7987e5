"""The people of a space: who may give and receive points in a peer epoch."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from peerwork.accounts.models import User
from peerwork.spaces.models import SpaceMembership


def space_people(space: Any) -> QuerySet[User]:
    """Everyone with a role in `space`, in person or through an organization, by username."""
    memberships = SpaceMembership.objects.filter(space=space)
    in_person = memberships.filter(user__isnull=False).values("user_id")
    by_organization = memberships.filter(organization__isnull=False).values(
        "organization__memberships__user_id"
    )
    return (
        User.objects.filter(Q(pk__in=in_person) | Q(pk__in=by_organization), is_active=True)
        .order_by("username")
        .distinct()
    )
