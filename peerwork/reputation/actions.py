"""Writes of reputation: a steward's grant. Points themselves are only ever derived."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peerwork.activity.recorder import record
from peerwork.core import policy
from peerwork.core.errors import Invalid
from peerwork.spaces.models import Space

from .models import Grant
from .privileges import EARNED, changed


@transaction.atomic
def privilege_grant(
    *,
    user: Any,
    space: Space,
    person: Any,
    privilege: str,
    allowed: bool | None,
    reason: str,
    level: int | None = None,
) -> Grant | None:
    """Grant (allowed=True) or withhold (False) a privilege, or a trust level ("level", with
    `level`), whatever the points say; allowed=None takes the steward's word back. Logged."""
    steward = policy.require_person(user, "reputation.grant", space)
    reason = reason.strip()
    if privilege not in (*EARNED, "level"):
        raise Invalid(
            _("There is no privilege '%(name)s'; choose one of %(names)s.")
            % {"name": privilege, "names": ", ".join((*EARNED, "level"))},
            field="privilege",
        )
    if not reason or len(reason) > 500:
        raise Invalid(_("Give a reason of at most 500 characters."), field="reason")
    if privilege == "level" and allowed is not None and level not in (0, 1, 2, 3):
        raise Invalid(_("A trust level is 0, 1, 2 or 3."), field="level")
    grant = None
    if allowed is None:
        Grant.objects.filter(space=space, person=person, privilege=privilege).delete()
    else:
        grant, _created = Grant.objects.update_or_create(
            space=space,
            person=person,
            privilege=privilege,
            defaults={
                "allowed": allowed,
                "level": level if privilege == "level" else None,
                "reason": reason,
                "granted_by": steward,
                "created_at": timezone.now(),
            },
        )
    changed()
    record(
        actor=steward,
        verb="reputation:granted",
        target=person,
        space=space,
        data={
            "privilege": privilege,
            "allowed": allowed,
            "level": level if privilege == "level" else None,
            "reason": reason,
        },
    )
    return grant
