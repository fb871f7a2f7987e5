"""Reads about people, organizations and tokens."""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery

from peerwork.core import policy
from peerwork.core.errors import NotFound

from .models import ApiToken, Organization, OrganizationInvitation, OrganizationMembership, User


def user_get_visible(*, viewer: Any, username: str) -> User:
    person = User.objects.filter(username__iexact=username).first()
    if person is None or not policy.can(viewer, "user.view", person):
        raise NotFound()
    return person


def user_by_username(username: str) -> User | None:
    return User.objects.filter(username__iexact=username, is_active=True).first()


def organizations_visible(viewer: Any) -> QuerySet[Organization]:
    """With the viewer's role in each (`viewer_role`), read by `organization_role_of`."""
    organizations = Organization.objects.order_by("name", "pk")
    if not policy.signed_in(viewer):
        return organizations
    role = OrganizationMembership.objects.filter(organization=OuterRef("pk"), user=viewer)
    return organizations.annotate(viewer_role=Subquery(role.values("role")[:1]))


def organization_role_of(viewer: Any, organization: Organization) -> str | None:
    """The viewer's role, from the list's annotation when the organization came from one."""
    from .policy import organization_role

    if "viewer_role" in organization.__dict__:
        return organization.__dict__["viewer_role"]
    return organization_role(viewer, organization)


def organization_get_visible(*, viewer: Any, slug: str) -> Organization:
    organization = Organization.objects.filter(slug=slug).first()
    if organization is None or not policy.can(viewer, "organization.view", organization):
        raise NotFound()
    return organization


def organization_members(
    *, viewer: Any, organization: Organization
) -> QuerySet[OrganizationMembership]:
    policy.require(viewer, "organization.view", organization)
    return (
        OrganizationMembership.objects.filter(organization=organization)
        .select_related("user")
        .order_by("role", "user__username")
    )


def organization_membership_get(
    *, viewer: Any, organization: Organization, username: str
) -> OrganizationMembership:
    membership = (
        organization_members(viewer=viewer, organization=organization)
        .filter(user__username__iexact=username)
        .first()
    )
    if membership is None:
        raise NotFound()
    return membership


def organizations_of(person: User) -> QuerySet[Organization]:
    return Organization.objects.filter(memberships__user=person).order_by("name")


def organization_invitations_for(viewer: Any) -> QuerySet[OrganizationInvitation]:
    if not policy.signed_in(viewer):
        return OrganizationInvitation.objects.none()
    return OrganizationInvitation.objects.filter(user=viewer, status="pending").select_related(
        "organization", "invited_by", "user"
    )


def organization_invitations_pending(
    *, viewer: Any, organization: Organization
) -> QuerySet[OrganizationInvitation]:
    policy.require(viewer, "organization.members.manage", organization)
    return OrganizationInvitation.objects.filter(
        organization=organization, status="pending"
    ).select_related("user")


def organization_invitation_get(*, viewer: Any, invitation_id: int) -> OrganizationInvitation:
    invitation = (
        OrganizationInvitation.objects.select_related("organization")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or not policy.can(viewer, "organization.invitation.view", invitation):
        raise NotFound()
    return invitation


def tokens_of(*, viewer: Any, person: User) -> QuerySet[ApiToken]:
    policy.require(viewer, "user.tokens.manage", person)
    return ApiToken.objects.filter(user=person).order_by("-created_at", "-pk")


def token_get(*, viewer: Any, person: User, token_id: int) -> ApiToken:
    token = tokens_of(viewer=viewer, person=person).filter(pk=token_id).first()
    if token is None:
        raise NotFound()
    return token
