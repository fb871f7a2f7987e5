"""Who may read a person's reputation in a space, who may grant privileges, and who holds each
earned privilege (`reputation.hold.<privilege>`, the permission-table face of has_privilege)."""

from __future__ import annotations

from typing import Any

from peerwork.core.policy import can, rule
from peerwork.spaces.models import Space
from peerwork.spaces.selectors import is_steward

from .privileges import EARNED, has_privilege


@rule("reputation.grant", visible_via="space.view")
def can_grant(user: Any, space: Space) -> bool:
    """Stewards grant or withhold privileges and trust levels (Discourse's staff grants)."""
    return is_steward(user, space)


@rule("reputation.read", conceals=True)
def can_read_reputation(user: Any, space: Space) -> bool:
    """Whoever may read the space reads its people's reputation, as its log shows it."""
    return can(user, "space.view", space)


def _holds(privilege: str) -> Any:
    def check(user: Any, space: Space) -> bool:
        return has_privilege(user, space, privilege)

    check.__doc__ = f"Holds {privilege}: a role, a steward's grant, or enough points."
    return check


for _privilege in EARNED:
    rule(f"reputation.hold.{_privilege}", visible_via="space.view")(_holds(_privilege))
