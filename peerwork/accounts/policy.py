"""Who may do what to people, organizations and tokens."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from peerwork.core.policy import rule, scope, signed_in

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


@scope("user.view")
def users_viewable(user: Any, people: QuerySet[User]) -> QuerySet[User]:
    return people.filter(is_active=True)


def shares_a_space(user: Any, person: User) -> bool:
    """Whether two people are members of one space, in person or through an organization."""
    if not signed_in(user):
        return False
    from django.apps import apps

    membership = apps.get_model("spaces", "SpaceMembership")  # spaces is built on accounts
    return (
        membership.objects.filter(Q(user=user) | Q(organization__memberships__user=user))
        .filter(
            space__in=membership.objects.filter(
                Q(user=person) | Q(organization__memberships__user=person)
            ).values("space_id")
        )
        .exists()
    )


def _shown(user: Any, person: User, visibility: str) -> bool:
    """A personal detail is shown to the person, and to others as they chose (decision 0043)."""
    if signed_in(user) and user.pk == person.pk:
        return True
    if visibility == User.Visibility.EVERYONE:
        return True
    return visibility == User.Visibility.SPACES and shares_a_space(user, person)


@rule("user.time_zone.read", visible_via="user.view")
def can_view_time_zone(user: Any, person: User) -> bool:
    return _shown(user, person, person.time_zone_visibility)


@rule("user.languages.read", visible_via="user.view")
def can_view_languages(user: Any, person: User) -> bool:
    return _shown(user, person, person.languages_visibility)


@rule("user.update", visible_via="user.view")
def can_update_user(user: Any, person: User) -> bool:
    return signed_in(user) and user.pk == person.pk


@rule("user.tokens.manage", visible_via="user.view", admin_passes=False)
def can_manage_tokens(user: Any, person: User) -> bool:
    """Not even a site administrator mints tokens that act as someone else."""
    return signed_in(user) and user.pk == person.pk


@rule("user.email.manage", visible_via="user.view", admin_passes=False)
def can_manage_email(user: Any, person: User) -> bool:
    """An address is proved by its owner's mailbox; no one else sets or verifies it."""
    return signed_in(user) and user.pk == person.pk


@rule("organization.view")
def can_view_organization(user: Any, organization: Organization) -> bool:
    return True


@scope("organization.view")
def organizations_viewable(
    user: Any, organizations: QuerySet[Organization]
) -> QuerySet[Organization]:
    return organizations


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


@scope("organization.invitation.view")
def organization_invitations_viewable(
    user: Any, invitations: QuerySet[OrganizationInvitation]
) -> QuerySet[OrganizationInvitation]:
    if not signed_in(user):
        return invitations.none()
    administered = OrganizationMembership.objects.filter(
        user=user, role=OrganizationMembership.Role.ADMIN
    ).values("organization_id")
    return invitations.filter(Q(user=user) | Q(organization__in=administered))


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
