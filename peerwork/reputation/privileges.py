"""Privileges: what earned trust unlocks in a space.

The one function every rule asks. A privilege comes from a role (stewards hold all; members
autopatrol and are autoconfirmed, as before), from a steward's grant, or from reputation: the
person's cached total in the space reaching the policy's threshold (docs/reputation.md). A
steward's grant may also withhold a privilege the points would give. Site administrators hold
no privilege by office: the rules that ask here let them pass (peerwork/core/policy.py).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Case, CharField, F, Value, When
from django.utils import timezone

from peerwork.core.policy import can, signed_in
from peerwork.spaces.models import Space
from peerwork.spaces.selectors import space_role

from .models import Grant, Standing
from .policy_schema import PrivilegeThresholds, reputation_policy

#: privileges earned with points, in the order the reputation page lists them.
EARNED = tuple(PrivilegeThresholds.model_fields)
PRIVILEGES = ("autoconfirmed", *EARNED, "protect", "delete")
_STEWARD_ONLY = {"protect", "delete"}
#: what members hold by their role (as before reputation existed).
_MEMBER_HOLDS = {"autoconfirmed", "autopatrol"}


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
    if role == "member" and privilege in _MEMBER_HOLDS:
        return True
    if privilege == "autoconfirmed":
        return _autoconfirmed(user, space)
    if not can(user, "space.contribute", space):
        return False  # points and grants count only where the person may contribute
    known = _known_once(user, space)
    grant = known["grants"].get(privilege)
    if grant is not None:
        return bool(grant)
    return known["total"] >= getattr(reputation_policy(space).thresholds, privilege)


#: Bumped whenever a total or a grant changes in this process, so what a user object kept
#: (below) is read again; a request's user object lives one request.
_generation = [0]


def changed() -> None:
    """Say that totals or grants changed (the recount and the grant action call it)."""
    _generation[0] += 1


def _known_once(user: Any, space: Space) -> dict[str, Any]:
    """`_known`, kept on the user object per space until something changes (a thread's page
    asks once per comment whether the reader may moderate it)."""
    kept = user.__dict__.setdefault("_reputation_known", {})
    key = (space.pk, _generation[0])
    if key not in kept:
        kept.clear()
        kept[key] = _known(user, space)
    return kept[key]  # type: ignore[no-any-return]


def _known(user: Any, space: Space) -> dict[str, Any]:
    """The person's total and grants in the space, in one query (asked only when no role
    settles it): the standing as the row keyed "", each grant as its privilege and 1 or 0."""
    standing = (
        Standing.objects.filter(space=space, person=user)
        .annotate(key=Value("", output_field=CharField()), value=F("total"))
        .values_list("key", "value")
    )
    grants = (
        Grant.objects.filter(space=space, person=user)
        .exclude(privilege="level")
        .annotate(
            key=F("privilege"),
            value=Case(When(allowed=True, then=Value(1)), default=Value(0)),
        )
        .values_list("key", "value")
    )
    rows = dict(standing.union(grants, all=True))
    total = rows.pop("", 0)
    return {"total": total, "grants": {key: bool(value) for key, value in rows.items()}}


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
