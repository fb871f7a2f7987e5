"""Who may rate, read the bridged scores and audits, refit, and see coordination evidence.
The object of each rule is the space."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from peerwork.core.policy import can, rule, scope, signed_in
from peerwork.spaces.models import Space
from peerwork.spaces.policy import spaces_with_role
from peerwork.spaces.selectors import is_steward


@rule("bridging.rate", visible_via="space.view")
def can_rate(user: Any, space: Space) -> bool:
    """Whoever may contribute to the space rates what they can see in it."""
    return can(user, "space.contribute", space)


@rule("bridging.read", conceals=True)
def can_read(user: Any, space: Space) -> bool:
    """Scores and the audit of discounted supports are public wherever the space is."""
    return can(user, "space.view", space)


@rule("bridging.steward", visible_via="space.view")
def can_steward(user: Any, space: Space) -> bool:
    """Stewards see the evidence of coordinated groups and run the fit and detection now."""
    return is_steward(user, space)


@scope("bridging.steward")
def spaces_stewarded(user: Any, spaces: QuerySet[Space]) -> QuerySet[Space]:
    """The spaces whose coordination evidence the viewer reads (the log narrows the events of
    coordinated groups with it)."""
    if not signed_in(user):
        return spaces.none()
    return spaces.filter(pk__in=spaces_with_role(user, "steward"))
