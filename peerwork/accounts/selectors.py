"""Reads about people, organizations and tokens."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Lower, NullIf
from django.utils.translation import gettext as _

from peerwork.core import policy
from peerwork.core.errors import Invalid, NotFound

from . import invitations
from .models import ApiToken, Organization, OrganizationInvitation, OrganizationMembership, User


def user_by_username(username: str, *, include_inactive: bool = False) -> User | None:
    """The one look-up of a person by name.

    Usernames are case-insensitive: signup refuses "Ada" when "ada" exists, so "ADA" names her
    too. Spaces around a typed name are not part of it, and a space inside it is an underscore
    (usernames hold no spaces; MediaWiki clients write "Ada Lovelace" for "Ada_Lovelace").
    Deactivated people are found only when asked for (their profile page, an operator's
    command), never as someone to add or invite.
    """
    name = (username or "").strip().replace(" ", "_")
    people = User.objects.filter(username__iexact=name)
    if not include_inactive:
        people = people.filter(is_active=True)
    return people.first()


def user_by_id(user_id: int) -> User | None:
    """An active person by their number (MediaWiki clients name people by `userid`)."""
    return User.objects.filter(pk=user_id, is_active=True).first()


def person_named(username: str) -> User:
    """The active person a form or payload names, or Invalid on its username field."""
    person = user_by_username(username)
    if person is None:
        raise Invalid(
            _("There is no person called '%(username)s'.") % {"username": username},
            field="username",
        )
    return person


def user_get_visible(*, viewer: Any, username: str) -> User:
    person = user_by_username(username, include_inactive=True)
    if person is None or not policy.can(viewer, "user.view", person):
        raise NotFound()
    return person


def personal_details(*, viewer: Any, person: User) -> dict[str, Any]:
    """A profile's time zone and languages, each None when its owner does not show it to
    `viewer` (decision 0043); everything else of a profile is public."""
    return {
        "time_zone": person.time_zone
        if policy.can(viewer, "user.time_zone.read", person)
        else None,
        "languages": person.languages
        if policy.can(viewer, "user.languages.read", person)
        else None,
    }


#: How the people directory may be sorted: by name (the default) or newest first.
DIRECTORY_SORTS = ("name", "newest")


def people_listed(*, viewer: Any, query: str = "", sort: str = "name") -> QuerySet[User]:
    """The people directory: everyone the viewer may see, found by name, username or skill.

    Only what every profile shows is searched (never a time zone or a language, which their
    owners may keep to themselves)."""
    people = policy.filter(viewer, "user.view", User.objects.all())
    words = (query or "").strip()
    if words:
        people = people.filter(
            Q(username__icontains=words)
            | Q(display_name__icontains=words)
            | Q(skills__icontains=words)
        )
    if sort == "newest":
        return people.order_by("-date_joined", "-pk")
    name = Lower(Coalesce(NullIf("display_name", Value("")), "username"))
    return people.annotate(sort_name=name).order_by("sort_name", "pk")


def shared_names(people: list[User]) -> set[str]:
    """The display names of `people` that someone else also goes by: those are shown with
    their usernames, so two people of one name can be told apart."""
    names = {person.display_name for person in people if person.display_name}
    if not names:
        return set()
    found = (
        User.objects.filter(display_name__in=names, is_active=True)
        .values("display_name")
        .annotate(people=Count("pk"))
        .filter(people__gt=1)
    )
    return {row["display_name"] for row in found}


def spaces_in_common(*, viewer: Any, people: list[User]) -> dict[int, list[Any]]:
    """{person id: the spaces they share with the viewer, by name}, read for a whole page.

    A space counts when both belong to it, in person or through an organization; the viewer
    is a member of each, so none is one they may not see."""
    if not policy.signed_in(viewer) or not people:
        return {}
    membership = apps.get_model("spaces", "SpaceMembership")  # spaces is built on accounts
    space_model = apps.get_model("spaces", "Space")
    mine = membership.objects.filter(
        Q(user=viewer) | Q(organization__memberships__user=viewer)
    ).values("space_id")
    ids = [person.pk for person in people]
    direct = membership.objects.filter(space_id__in=mine, user_id__in=ids).values_list(
        "space_id", "user_id"
    )
    through = membership.objects.filter(
        space_id__in=mine, organization__memberships__user_id__in=ids
    ).values_list("space_id", "organization__memberships__user_id")
    pairs = set(direct) | set(through)
    spaces = {
        space.pk: space
        for space in space_model.objects.filter(pk__in={space_id for space_id, _ in pairs})
    }
    shared: dict[int, list[Any]] = {}
    for space_id, user_id in pairs:
        shared.setdefault(user_id, []).append(spaces[space_id])
    for found in shared.values():
        found.sort(key=lambda space: (space.name.lower(), space.pk))
    return shared


def organizations_visible(viewer: Any) -> QuerySet[Organization]:
    """With the viewer's role in each (`viewer_role`), read by `organization_role_of`."""
    organizations = policy.filter(
        viewer, "organization.view", Organization.objects.order_by("name", "pk")
    )
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
    return invitations.pending_for(invitations.ORGANIZATION, viewer)


def organization_invitations_pending(
    *, viewer: Any, organization: Organization
) -> QuerySet[OrganizationInvitation]:
    return invitations.pending_at(invitations.ORGANIZATION, viewer=viewer, target=organization)


def organization_invitation_get(*, viewer: Any, invitation_id: int) -> OrganizationInvitation:
    return invitations.get(invitations.ORGANIZATION, viewer=viewer, invitation_id=invitation_id)


def tokens_of(*, viewer: Any, person: User) -> QuerySet[ApiToken]:
    policy.require(viewer, "user.tokens.manage", person)
    return ApiToken.objects.filter(user=person).order_by("-created_at", "-pk")


def token_get(*, viewer: Any, person: User, token_id: int) -> ApiToken:
    token = tokens_of(viewer=viewer, person=person).filter(pk=token_id).first()
    if token is None:
        raise NotFound()
    return token
