"""Who may do what to people, organizations and tokens."""

from __future__ import annotations

from typing import Any

from peerwork.core.policy import rule, signed_in

from .models import Organization, OrganizationInvitation, OrganizationMembership, User


def organization_role(user: Any, organization: Organization) -> str | None:
    if not signed_in(user):
        return None
    return (
        OrganizationMembership.objects.filter(organization=organization, user=user)
        .values_list("role", flat=True)
        .first()
    )


@rule("user.view")
def can_view_user(user: Any, person: User) -> bool:
    """Profiles are public: peer production runs on knowing who did what."""
    return person.is_active


@rule("user.update", visible_via="user.view")
def can_update_user(user: Any, person: User) -> bool:
    return signed_in(user) and user.pk == person.pk


@rule("user.tokens.manage", visible_via="user.view", admin_passes=False)
def can_manage_tokens(user: Any, person: User) -> bool:
    """Not even a site administrator mints tokens that act as someone else."""
    return signed_in(user) and user.pk == person.pk


@rule("organization.view")
def can_view_organization(user: Any, organization: Organization) -> bool:
    return True


@rule("organization.create")
def can_create_organization(user: Any, _obj: Any) -> bool:
    return signed_in(user)


@rule("organization.update", visible_via="organization.view")
def can_update_organization(user: Any, organization: Organization) -> bool:
    return organization_role(user, organization) == "admin"


@rule("organization.members.manage", visible_via="organization.view")
def can_manage_organization_members(user: Any, organization: Organization) -> bool:
    return organization_role(user, organization) == "admin"


@rule("organization.leave", visible_via="organization.view", admin_passes=False)
def can_leave_organization(user: Any, organization: Organization) -> bool:
    return organization_role(user, organization) is not None


@rule("organization.invitation.view", conceals=True)
def can_view_organization_invitation(user: Any, invitation: OrganizationInvitation) -> bool:
    return signed_in(user) and (
        invitation.user_id == user.pk or organization_role(user, invitation.organization) == "admin"
    )


@rule(
    "organization.invitation.respond",
    visible_via="organization.invitation.view",
    admin_passes=False,
)
def can_respond_organization_invitation(user: Any, invitation: OrganizationInvitation) -> bool:
    return invitation.user_id == user.pk


@rule("organization.invitation.cancel", visible_via="organization.invitation.view")
def can_cancel_organization_invitation(user: Any, invitation: OrganizationInvitation) -> bool:
    return organization_role(user, invitation.organization) == "admin"
