"""Privileges: what earned trust unlocks in a space.

The one function every rule asks. For now it reads the space's roles and policy; the
reputation work extends it with points earned from accepted contributions. Site administrators
hold no privilege by office: the rules that ask here let them pass (peerwork/core/policy.py).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from peerwork.core.policy import signed_in
from peerwork.spaces.models import Space
from peerwork.spaces.selectors import space_role

PRIVILEGES = ("autoconfirmed", "autopatrol", "patrol", "rollback", "protect", "delete")
_STEWARD_ONLY = {"patrol", "rollback", "protect", "delete"}


def has_privilege(user: Any, space: Space, privilege: str) -> bool:
    if privilege not in PRIVILEGES:
        raise ValueError(f"unknown privilege {privilege!r}")
    if not signed_in(user):
        return False
    role = space_role(user, space)
    if role == "steward":
        return True
    if privilege in _STEWARD_ONLY:
        return False
    if privilege == "autopatrol":
        return role == "member"
    return role == "member" or _autoconfirmed(user, space)


def _autoconfirmed(user: Any, space: Space) -> bool:
    """Wikipedia's rule: an account old enough with enough edits (numbers from the policy)."""
    from peerwork.wiki.models import Revision

    thresholds = space.policy.get("privileges", {})
    days = thresholds.get("autoconfirmed_days", 4)
    edits = thresholds.get("autoconfirmed_edits", 10)
    if timezone.now() - user.date_joined < timedelta(days=days):
        return False
    if edits == 0:
        return True
    return Revision.objects.filter(author=user, page__space=space)[:edits].count() >= edits
