"""One invitation lifecycle for every kind of group a person can be invited to.

Organizations and spaces each keep their own invitation table (their rows point at different
things), but create, list pending, accept, decline and cancel are written once here. Each side
describes itself with an `InvitationKind` and registers it from its own app, so accounts never
imports spaces. Accepting grants the invited role unless the person already holds a higher one:
it never lowers a role (docs/decisions/0020-one-invitation.md). Invitations do not expire.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from peerwork.activity import recorder
from peerwork.core import hotsql, policy
from peerwork.core.errors import Conflict, Invalid, NotFound

from .models import OrganizationInvitation, OrganizationMembership, User, Viewer


@dataclass(frozen=True)
class InvitationKind:
    """What differs between invitations to an organization and to a space, and nothing more."""

    #: "organization" or "space": the verb prefix and the prefix of the policy actions.
    name: str
    #: the invitation model: fields `user`, `role`, `status`, `invited_by`, `created_at` and
    #: a foreign key named `target_field` to the group.
    model: type[models.Model]
    #: the membership model: fields `user`, `role` and a foreign key named `target_field`.
    membership_model: type[models.Model]
    target_field: str
    #: roles from lowest to highest: accepting never trades a role for a lower one.
    roles: tuple[str, ...]
    #: the policy action that lets someone invite (and list who is invited).
    manage_action: str
    invalid_role_message: Callable[[], str]
    already_member_message: Callable[[User, Any], str]
    #: called after a membership changes, to drop per-request role caches.
    forget_roles: Callable[[User], None] = lambda user: user.__dict__.pop("_space_roles", None)
    #: the space the recorded events belong to, if any.
    space_of: Callable[[Any], Any] = field(default=lambda target: None)

    @property
    def view_action(self) -> str:
        return f"{self.name}.invitation.view"

    @property
    def respond_action(self) -> str:
        return f"{self.name}.invitation.respond"

    @property
    def cancel_action(self) -> str:
        return f"{self.name}.invitation.cancel"

    def rank(self, role: str) -> int:
        return self.roles.index(role)


_KINDS: dict[str, InvitationKind] = {}


def register(kind: InvitationKind) -> InvitationKind:
    """Called once by each app that owns a kind (from its apps.py)."""
    if _KINDS.get(kind.name, kind) is not kind:
        raise RuntimeError(f"invitation kind {kind.name!r} registered twice")
    _KINDS[kind.name] = kind
    return kind


def kind(name: str) -> InvitationKind:
    return _KINDS[name]


def kinds() -> list[InvitationKind]:
    return list(_KINDS.values())


# --- reads ---------------------------------------------------------------------------------


def pending_for(kind: InvitationKind, viewer: Any) -> QuerySet[Any]:
    """The invitations waiting for this person's answer."""
    manager: Any = kind.model._default_manager
    if not policy.signed_in(viewer):
        return manager.none()
    return manager.filter(user=viewer, status="pending").select_related(
        kind.target_field, "invited_by", "user"
    )


def pending_count(viewer: Any) -> int:
    """Invitations waiting for this person's answer, of every kind."""
    # One query for the header of every page, whatever the number of kinds: the rows
    # `pending_for` reads, counted in plain SQL (core/hotsql.py says why).
    if not policy.signed_in(viewer):
        return 0
    return hotsql.count_rows(
        *((k.model, {"user": viewer.pk, "status": "pending"}) for k in kinds())
    )


def pending_at(kind: InvitationKind, *, viewer: Any, target: Any) -> QuerySet[Any]:
    """Who is invited to this group and has not answered yet; for those who may invite."""
    policy.require(viewer, kind.manage_action, target)
    manager: Any = kind.model._default_manager
    return manager.filter(**{kind.target_field: target, "status": "pending"}).select_related(
        kind.target_field, "user", "invited_by"
    )


def get(kind: InvitationKind, *, viewer: Any, invitation_id: int) -> Any:
    """An invitation is visible to its invitee (who may not see the group yet) and its managers."""
    manager: Any = kind.model._default_manager
    invitation = manager.select_related(kind.target_field).filter(pk=invitation_id).first()
    if invitation is None or not policy.can(viewer, kind.view_action, invitation):
        raise NotFound()
    return invitation


def invitation_out(kind: InvitationKind, invitation: Any) -> dict[str, Any]:
    """The API's view of an invitation; the group appears by its slug under the kind's name."""
    return {
        "id": invitation.pk,
        kind.target_field: getattr(invitation, kind.target_field).slug,
        "username": invitation.user.username,
        "role": invitation.role,
        "status": invitation.status,
        "invited_by": invitation.invited_by.username,
        "created_at": invitation.created_at,
    }


# --- writes --------------------------------------------------------------------------------


def _record(kind: InvitationKind, *, actor: User, what: str, target: Any, data: dict) -> None:
    recorder.record(
        actor=actor,
        verb=f"{kind.name}:invitation_{what}",
        target=target,
        space=kind.space_of(target),
        data=data,
    )


@transaction.atomic
def create(
    kind: InvitationKind, *, user: Viewer, target: Any, invitee: User, role: str = "member"
) -> Any:
    user = policy.require_person(user, kind.manage_action, target)
    if role not in kind.roles:
        raise Invalid(kind.invalid_role_message(), field="role")
    members: Any = kind.membership_model._default_manager
    if members.filter(**{kind.target_field: target, "user": invitee}).exists():
        raise Conflict(kind.already_member_message(invitee, target))
    manager: Any = kind.model._default_manager
    invitation, created = manager.get_or_create(
        **{kind.target_field: target, "user": invitee, "status": "pending"},
        defaults={"role": role, "invited_by": user},
    )
    if not created:
        raise Conflict(_("%(name)s already has a pending invitation.") % {"name": invitee.username})
    _record(
        kind,
        actor=user,
        what="sent",
        target=target,
        data={"user": invitee.username, "role": role, "invitation": invitation.pk},
    )
    return invitation


def _lock_pending(kind: InvitationKind, invitation: Any) -> Any:
    manager: Any = kind.model._default_manager
    invitation = manager.select_for_update().get(pk=invitation.pk)
    if invitation.status != "pending":
        raise Conflict(
            _("This invitation was already %(status)s.")
            % {"status": invitation.get_status_display()}
        )
    return invitation


def _grant(kind: InvitationKind, *, user: User, target: Any, role: str) -> None:
    """Make `user` a member with `role`, or raise their role to it; never lower it."""
    members: Any = kind.membership_model._default_manager
    membership, created = members.get_or_create(
        **{kind.target_field: target, "user": user}, defaults={"role": role}
    )
    if not created and kind.rank(membership.role) < kind.rank(role):
        membership.role = role
        membership.save(update_fields=["role"])
    kind.forget_roles(user)


@transaction.atomic
def respond(kind: InvitationKind, *, user: Viewer, invitation: Any, accept: bool) -> Any:
    """Accept (join, or rise to the invited role) or decline; only the invitee may answer."""
    user = policy.require_person(user, kind.respond_action, invitation)
    invitation = _lock_pending(kind, invitation)
    invitation.status = "accepted" if accept else "declined"
    invitation.save(update_fields=["status"])
    target = getattr(invitation, kind.target_field)
    if accept:
        _grant(kind, user=user, target=target, role=invitation.role)
    _record(
        kind,
        actor=user,
        what="accepted" if accept else "declined",
        target=target,
        data={"invitation": invitation.pk, "role": invitation.role},
    )
    return invitation


@transaction.atomic
def cancel(kind: InvitationKind, *, user: Viewer, invitation: Any) -> Any:
    """Withdraw a pending invitation; for those who manage the group."""
    user = policy.require_person(user, kind.cancel_action, invitation)
    invitation = _lock_pending(kind, invitation)
    invitation.status = "cancelled"
    invitation.save(update_fields=["status"])
    _record(
        kind,
        actor=user,
        what="cancelled",
        target=getattr(invitation, kind.target_field),
        data={"invitation": invitation.pk, "user": invitation.user.username},
    )
    return invitation


ORGANIZATION = register(
    InvitationKind(
        name="organization",
        model=OrganizationInvitation,
        membership_model=OrganizationMembership,
        target_field="organization",
        roles=("member", "admin"),
        manage_action="organization.members.manage",
        invalid_role_message=lambda: _("Role must be 'admin' or 'member'."),
        already_member_message=lambda invitee, organization: (
            _("%(name)s is already a member of %(organization)s.")
            % {"name": invitee.username, "organization": organization.name}
        ),
    )
)
