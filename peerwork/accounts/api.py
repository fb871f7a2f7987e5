"""REST endpoints for people, tokens and organizations."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from peerwork.activity.schemas import EventOut, event_out
from peerwork.activity.selectors import person_events
from peerwork.core.api import Input, PageOf, PageParams, paginate
from peerwork.core.errors import Invalid, NotAuthenticated
from peerwork.core.pagination import offset_page
from peerwork.core.policy import signed_in

from . import actions, email_actions, invitations, selectors
from .mail import site_url
from .models import ApiToken, Organization, OrganizationInvitation, OrganizationMembership, User

router = Router(tags=["people and organizations"])

Username = Field(..., min_length=1, max_length=150, pattern=r"^[\w.@+-]+$")
OrgSlug = Field(..., min_length=1, max_length=50, pattern=r"^[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?$")
Tag = Field(..., min_length=1, max_length=50)


Private = "null when the person does not show it to you (they choose who sees it)."


class UserOut(Schema):
    username: str
    display_name: str
    bio: str
    skills: list[str]
    languages: list[str] | None = Field(..., description=Private)
    time_zone: str | None = Field(..., description=Private)
    date_joined: datetime
    organizations: list[str]


def user_out(person: User, viewer: Any) -> dict[str, Any]:
    return {
        "username": person.username,
        "display_name": person.display_name,
        "bio": person.bio,
        "skills": person.skills,
        **selectors.personal_details(viewer=viewer, person=person),
        "date_joined": person.date_joined,
        "organizations": [o.slug for o in selectors.organizations_of(person)],
    }


Visibility = Literal["everyone", "spaces", "self"]


class MeOut(UserOut):
    email: str
    email_verified: bool
    language: str
    time_zone_visibility: Visibility
    languages_visibility: Visibility
    is_site_admin: bool
    preferences: dict[str, str | int | bool]


class SignupIn(Input):
    username: str = Username
    password: str = Field(..., min_length=1, max_length=200)
    email: str = Field("", max_length=254)
    display_name: str = Field("", max_length=100)


class ProfileIn(Input):
    display_name: str | None = Field(None, max_length=100)
    bio: str | None = Field(None, max_length=5000)
    skills: list[str] | None = Field(None, max_length=50)
    languages: list[str] | None = Field(None, max_length=50)
    time_zone: str | None = Field(None, max_length=64)
    language: Literal["", "en", "es"] | None = None
    time_zone_visibility: Visibility | None = Field(None, description="Who sees your time zone.")
    languages_visibility: Visibility | None = Field(None, description="Who sees your languages.")
    preferences: dict[str, str | int | bool] | None = Field(
        None,
        description="Other tools' settings by name (a wiki client's date format, user "
        "scripts' options); replaces the whole map.",
    )


class PasswordIn(Input):
    old_password: str = Field(..., max_length=200)
    new_password: str = Field(..., min_length=1, max_length=200)


class TokenIn(Input):
    name: str = Field(..., min_length=1, max_length=100)
    scope: Literal["read", "write"] = "read"


class TokenOut(Schema):
    id: int
    name: str
    scope: str
    hint: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class NewTokenOut(TokenOut):
    token: str = Field(..., description="The secret; shown this once only.")


def token_out(token: ApiToken) -> dict[str, Any]:
    return {
        "id": token.pk,
        "name": token.name,
        "scope": token.scope,
        "hint": token.hint,
        "created_at": token.created_at,
        "last_used_at": token.last_used_at,
        "revoked_at": token.revoked_at,
    }


class OrganizationOut(Schema):
    slug: str
    name: str
    description: str
    website: str
    created_at: datetime
    your_role: str | None


def organization_out(organization: Organization, viewer: Any) -> dict[str, Any]:
    return {
        "slug": organization.slug,
        "name": organization.name,
        "description": organization.description,
        "website": organization.website,
        "created_at": organization.created_at,
        "your_role": selectors.organization_role_of(viewer, organization),
    }


class OrganizationIn(Input):
    slug: str = OrgSlug
    name: str = Field(..., min_length=1, max_length=200)
    description: str = Field("", max_length=5000)
    website: str = Field("", max_length=200)


class OrganizationPatch(Input):
    name: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=5000)
    website: str | None = Field(None, max_length=200)


class OrgMemberOut(Schema):
    username: str
    name: str
    role: str
    since: datetime


def org_member_out(membership: OrganizationMembership) -> dict[str, Any]:
    return {
        "username": membership.user.username,
        "name": membership.user.name,
        "role": membership.role,
        "since": membership.created_at,
    }


class OrgMemberIn(Input):
    username: str = Username
    role: Literal["admin", "member"] = "member"


class OrgRoleIn(Input):
    role: Literal["admin", "member"]


class OrgInvitationOut(Schema):
    id: int
    organization: str
    username: str
    role: str
    status: str
    invited_by: str
    created_at: datetime


def org_invitation_out(invitation: OrganizationInvitation) -> dict[str, Any]:
    return invitations.invitation_out(invitations.ORGANIZATION, invitation)


class ResponseIn(Input):
    accept: bool


def _me(request: HttpRequest) -> User:
    if not signed_in(request.user):
        raise NotAuthenticated()
    return request.user  # type: ignore[return-value]


def _person(username: str) -> User:
    return selectors.person_named(username)


@router.post("/accounts", response={201: MeOut}, summary="Sign up")
def signup(request: HttpRequest, payload: SignupIn) -> Any:
    person = actions.user_signup(
        username=payload.username,
        password=payload.password,
        email=payload.email,
        display_name=payload.display_name,
    )
    if person.email:
        email_actions.email_verification_send(
            user=person, person=person, base_url=site_url(request), language=get_language() or ""
        )
    return 201, me_out(person)


def me_out(person: User) -> dict[str, Any]:
    return {
        **user_out(person, person),
        "email": person.email,
        "email_verified": person.is_email_verified,
        "language": person.language,
        "time_zone_visibility": person.time_zone_visibility,
        "languages_visibility": person.languages_visibility,
        "is_site_admin": person.is_superuser,
        "preferences": person.preferences,
    }


@router.get("/me", response=MeOut, summary="Who you are signed in as")
def me(request: HttpRequest) -> Any:
    return me_out(_me(request))


@router.patch("/me", response=MeOut, summary="Change your profile")
def update_me(request: HttpRequest, payload: ProfileIn) -> Any:
    person = _me(request)
    fields = payload.model_dump(exclude_unset=True)
    if any(value is None for value in fields.values()):
        raise Invalid(_("Fields may be left out but not set to null."))
    return me_out(actions.user_update_profile(user=person, person=person, **fields))


@router.post("/me/password", response={204: None}, summary="Change your password")
def change_password(request: HttpRequest, payload: PasswordIn) -> Any:
    person = _me(request)
    actions.user_change_password(
        user=person,
        person=person,
        old_password=payload.old_password,
        new_password=payload.new_password,
    )
    from django.contrib.auth import update_session_auth_hash

    if request.session.session_key:
        update_session_auth_hash(request, person)
    return 204, None


@router.get("/me/tokens", response=list[TokenOut], summary="Your API tokens")
def list_tokens(request: HttpRequest) -> Any:
    person = _me(request)
    return [token_out(t) for t in selectors.tokens_of(viewer=person, person=person)]


@router.post("/me/tokens", response={201: NewTokenOut}, summary="Create an API token")
def create_token(request: HttpRequest, payload: TokenIn) -> Any:
    person = _me(request)
    token, raw = actions.token_create(
        user=person, person=person, name=payload.name, scope=payload.scope
    )
    return 201, {**token_out(token), "token": raw}


@router.delete("/me/tokens/{token_id}", response=TokenOut, summary="Revoke an API token")
def revoke_token(request: HttpRequest, token_id: int) -> Any:
    person = _me(request)
    token = selectors.token_get(viewer=person, person=person, token_id=token_id)
    return token_out(actions.token_revoke(user=person, token=token))


class DirectoryParams(PageParams):
    q: str = Field("", max_length=100, description="Part of a name, a username or a skill.")
    sort: Literal["name", "newest"] = "name"


class SharedSpaceOut(Schema):
    slug: str
    name: str


class PersonOut(Schema):
    username: str
    display_name: str
    skills: list[str]
    spaces_in_common: list[SharedSpaceOut]


@router.get(
    "/people",
    response=PageOf[PersonOut],
    summary="The people directory: everyone you may see, by name or skill",
)
def list_people(request: HttpRequest, params: Query[DirectoryParams]) -> Any:
    people = selectors.people_listed(viewer=request.user, query=params.q, sort=params.sort)
    found, cursor = offset_page(people, size=params.limit, cursor=params.cursor)
    shared = selectors.spaces_in_common(viewer=request.user, people=found)
    items = [
        {
            "username": person.username,
            "display_name": person.display_name,
            "skills": person.skills,
            "spaces_in_common": [
                {"slug": space.slug, "name": space.name} for space in shared.get(person.pk, [])
            ],
        }
        for person in found
    ]
    return {"items": items, "next_cursor": cursor}


@router.get("/users/{username}", response=UserOut, summary="A person's profile")
def get_user(request: HttpRequest, username: str) -> Any:
    person = selectors.user_get_visible(viewer=request.user, username=username)
    return user_out(person, request.user)


@router.get(
    "/users/{username}/activity", response=PageOf[EventOut], summary="A person's contributions"
)
def user_activity(request: HttpRequest, username: str, page: Query[PageParams]) -> Any:
    person = selectors.user_get_visible(viewer=request.user, username=username)
    return paginate(person_events(viewer=request.user, person=person), page, serialize=event_out)


@router.get("/organizations", response=PageOf[OrganizationOut], summary="List organizations")
def list_organizations(request: HttpRequest, page: Query[PageParams]) -> Any:
    organizations = selectors.organizations_visible(request.user)
    return paginate(
        organizations,
        page,
        newest_first=False,
        serialize=lambda o: organization_out(o, request.user),
    )


@router.post("/organizations", response={201: OrganizationOut}, summary="Create an organization")
def create_organization(request: HttpRequest, payload: OrganizationIn) -> Any:
    organization = actions.organization_create(user=request.user, **payload.model_dump())
    return 201, organization_out(organization, request.user)


@router.get("/organizations/{slug}", response=OrganizationOut, summary="One organization")
def get_organization(request: HttpRequest, slug: str) -> Any:
    organization = selectors.organization_get_visible(viewer=request.user, slug=slug)
    return organization_out(organization, request.user)


@router.patch("/organizations/{slug}", response=OrganizationOut, summary="Change an organization")
def update_organization(request: HttpRequest, slug: str, payload: OrganizationPatch) -> Any:
    organization = selectors.organization_get_visible(viewer=request.user, slug=slug)
    fields = payload.model_dump(exclude_unset=True)
    if any(value is None for value in fields.values()):
        raise Invalid(_("Fields may be left out but not set to null."))
    organization = actions.organization_update(
        user=request.user, organization=organization, **fields
    )
    return organization_out(organization, request.user)


@router.get(
    "/organizations/{slug}/members",
    response=PageOf[OrgMemberOut],
    summary="An organization's members",
)
def list_organization_members(request: HttpRequest, slug: str, page: Query[PageParams]) -> Any:
    organization = selectors.organization_get_visible(viewer=request.user, slug=slug)
    members = selectors.organization_members(viewer=request.user, organization=organization)
    return paginate(members, page, newest_first=False, serialize=org_member_out)


@router.post("/organizations/{slug}/members", response={201: OrgMemberOut}, summary="Add a member")
def add_organization_member(request: HttpRequest, slug: str, payload: OrgMemberIn) -> Any:
    organization = selectors.organization_get_visible(viewer=request.user, slug=slug)
    membership = actions.organization_member_add(
        user=request.user,
        organization=organization,
        member=_person(payload.username),
        role=payload.role,
    )
    return 201, org_member_out(membership)


@router.patch(
    "/organizations/{slug}/members/{username}",
    response=OrgMemberOut,
    summary="Change a member's role",
)
def change_organization_member(
    request: HttpRequest, slug: str, username: str, payload: OrgRoleIn
) -> Any:
    organization = selectors.organization_get_visible(viewer=request.user, slug=slug)
    membership = selectors.organization_membership_get(
        viewer=request.user, organization=organization, username=username
    )
    membership = actions.organization_member_change_role(
        user=request.user, organization=organization, membership=membership, role=payload.role
    )
    return org_member_out(membership)


@router.delete(
    "/organizations/{slug}/members/{username}",
    response={204: None},
    summary="Remove a member, or leave",
)
def remove_organization_member(request: HttpRequest, slug: str, username: str) -> Any:
    organization = selectors.organization_get_visible(viewer=request.user, slug=slug)
    membership = selectors.organization_membership_get(
        viewer=request.user, organization=organization, username=username
    )
    actions.organization_member_remove(
        user=request.user, organization=organization, membership=membership
    )
    return 204, None


@router.post(
    "/organizations/{slug}/invitations", response={201: OrgInvitationOut}, summary="Invite a person"
)
def create_organization_invitation(request: HttpRequest, slug: str, payload: OrgMemberIn) -> Any:
    organization = selectors.organization_get_visible(viewer=request.user, slug=slug)
    invitation = actions.organization_invitation_create(
        user=request.user,
        organization=organization,
        invitee=_person(payload.username),
        role=payload.role,
    )
    return 201, org_invitation_out(invitation)


@router.get(
    "/organization-invitations", response=list[OrgInvitationOut], summary="Your pending invitations"
)
def my_organization_invitations(request: HttpRequest) -> Any:
    return [org_invitation_out(i) for i in selectors.organization_invitations_for(_me(request))]


@router.post(
    "/organization-invitations/{invitation_id}/response",
    response=OrgInvitationOut,
    summary="Accept or decline an invitation",
)
def respond_organization_invitation(
    request: HttpRequest, invitation_id: int, payload: ResponseIn
) -> Any:
    invitation = selectors.organization_invitation_get(
        viewer=request.user, invitation_id=invitation_id
    )
    invitation = actions.organization_invitation_respond(
        user=request.user, invitation=invitation, accept=payload.accept
    )
    return org_invitation_out(invitation)


@router.delete(
    "/organization-invitations/{invitation_id}",
    response=OrgInvitationOut,
    summary="Cancel an invitation (organization admins)",
)
def cancel_organization_invitation(request: HttpRequest, invitation_id: int) -> Any:
    invitation = selectors.organization_invitation_get(
        viewer=request.user, invitation_id=invitation_id
    )
    invitation = actions.organization_invitation_cancel(user=request.user, invitation=invitation)
    return org_invitation_out(invitation)


# --- email: the address, its proof, notification mail, password reset ---------------------------


class EmailOut(Schema):
    address: str = Field(..., description="Your address; empty when you have none.")
    verified: bool = Field(..., description="Whether you proved you read it (by a mailed link).")
    notifications: Literal["none", "each", "daily", "weekly"] = Field(
        ..., description="How notifications reach you by mail (only at a verified address)."
    )


def email_out(person: User) -> dict[str, Any]:
    return {
        "address": person.email,
        "verified": person.is_email_verified,
        "notifications": person.email_notifications,
    }


class EmailSettingsIn(Input):
    notifications: Literal["none", "each", "daily", "weekly"]


class EmailAddressIn(Input):
    address: str = Field(..., max_length=254, description="The new address; empty removes it.")
    password: str = Field(..., max_length=200, description="Your current password.")


class VerifyIn(Input):
    token: str = Field(..., min_length=1, max_length=1000, description="From the mailed link.")


class ResetIn(Input):
    email: str = Field(..., min_length=1, max_length=254)


class ResetConfirmIn(Input):
    uid: str = Field(..., min_length=1, max_length=64, description="From the mailed link.")
    token: str = Field(..., min_length=1, max_length=200, description="From the mailed link.")
    new_password: str = Field(..., min_length=1, max_length=200)


class AcceptedOut(Schema):
    detail: str


@router.get("/me/email", response=EmailOut, summary="Your email address and notification mail")
def get_email(request: HttpRequest) -> Any:
    return email_out(_me(request))


@router.patch("/me/email", response=EmailOut, summary="Choose how notifications reach you by mail")
def update_email_settings(request: HttpRequest, payload: EmailSettingsIn) -> Any:
    person = _me(request)
    return email_out(
        email_actions.email_notifications_set(
            user=person, person=person, choice=payload.notifications
        )
    )


@router.put(
    "/me/email/address",
    response=EmailOut,
    summary="Change your email address (a link to confirm it is mailed there)",
)
def change_email_address(request: HttpRequest, payload: EmailAddressIn) -> Any:
    person = _me(request)
    return email_out(
        email_actions.user_change_email(
            user=person,
            person=person,
            email=payload.address,
            password=payload.password,
            base_url=site_url(request),
            language=get_language() or "",
        )
    )


@router.post(
    "/me/email/verification",
    response={202: AcceptedOut},
    summary="Mail the link that confirms your address again",
)
def send_verification(request: HttpRequest) -> Any:
    person = _me(request)
    email_actions.email_verification_send(
        user=person, person=person, base_url=site_url(request), language=get_language() or ""
    )
    return 202, {
        "detail": _("A link to confirm %(address)s is on its way there.")
        % {"address": person.email}
    }


@router.post("/email/verify", response=EmailOut, summary="Confirm an address with its token")
def verify_email(request: HttpRequest, payload: VerifyIn) -> Any:
    return email_out(email_actions.email_verify(token=payload.token))


@router.post(
    "/password-reset",
    response={202: AcceptedOut},
    summary="Mail a link to set a new password (the same answer for any address)",
)
def request_password_reset(request: HttpRequest, payload: ResetIn) -> Any:
    email_actions.password_reset_request(
        email=payload.email, base_url=site_url(request), language=get_language() or ""
    )
    return 202, {
        "detail": _("If an account uses that address, a link to set a new password is on its way.")
    }


@router.post(
    "/password-reset/confirm",
    response={204: None},
    summary="Set a new password with the uid and token of a mailed link",
)
def confirm_password_reset(request: HttpRequest, payload: ResetConfirmIn) -> Any:
    email_actions.password_reset_confirm(
        uid=payload.uid, token=payload.token, new_password=payload.new_password
    )
    return 204, None
