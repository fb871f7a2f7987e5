"""Every write about people, organizations and tokens."""

from __future__ import annotations

import zoneinfo
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peerwork.activity import recorder
from peerwork.activity.verbs import PUBLIC_PROFILE_FIELDS
from peerwork.core import limits, policy
from peerwork.core.errors import Conflict, Invalid

from . import invitations
from .models import (
    ApiToken,
    Organization,
    OrganizationInvitation,
    OrganizationMembership,
    User,
    Viewer,
)
from .names import forget_shared_names, person_name
from .selectors import user_by_username

PROFILE_FIELDS = {
    "display_name",
    "bio",
    "skills",
    "languages",
    "time_zone",
    "language",
    "time_zone_visibility",
    "languages_visibility",
    "preferences",
}
#: Bounds of `User.preferences`: names as long as MediaWiki's, values as long as its blobs.
MAX_PREFERENCES = 300
MAX_PREFERENCE_NAME = 255
MAX_PREFERENCE_VALUE = 65530
LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


def _clean(obj: Any, *, exclude: list[str] | None = None) -> None:
    try:
        obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise Invalid(" ".join(messages), field=field) from None


def _check_password(password: str, user: User) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise Invalid(" ".join(error.messages), field="password") from None


@transaction.atomic
def user_signup(*, username: str, password: str, email: str = "", display_name: str = "") -> User:
    """Anyone may sign up; the new account is the actor of its own first event."""
    user = User(username=username, email=email, display_name=display_name)
    _clean(user, exclude=["password"])
    if user_by_username(username, include_inactive=True) is not None:
        raise Conflict(
            _("The username '%(name)s' is taken; choose another.") % {"name": username},
            field="username",
        )
    _check_password(password, user)
    limits.hit("signup", user=None)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save(force_insert=True)
    except IntegrityError:
        raise Conflict(
            _("The username '%(name)s' is taken; choose another.") % {"name": username},
            field="username",
        ) from None
    recorder.record(actor=user, verb="user:signed_up", target=user, data={"username": username})
    if display_name:
        forget_shared_names()
    return user


def _check_profile(fields: dict[str, Any]) -> None:
    unknown = set(fields) - PROFILE_FIELDS
    if unknown:
        raise Invalid(
            _("Unknown profile field '%(field)s'.") % {"field": sorted(unknown)[0]},
            field=sorted(unknown)[0],
        )
    for key in ("skills", "languages"):
        if key in fields:
            values = fields[key]
            if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                raise Invalid(
                    _("'%(field)s' must be a list of short texts.") % {"field": key}, field=key
                )
            if len(values) > 50 or any(not v.strip() or len(v) > 50 for v in values):
                raise Invalid(
                    f"'{key}' takes at most 50 entries of 1 to 50 characters each.", field=key
                )
            fields[key] = list(dict.fromkeys(v.strip() for v in values))
    if "time_zone" in fields and fields["time_zone"] not in zoneinfo.available_timezones():
        raise Invalid(
            _("Unknown time zone '%(zone)s'; use a name such as 'Europe/Madrid'.")
            % {"zone": fields["time_zone"]},
            field="time_zone",
        )
    for key in ("time_zone_visibility", "languages_visibility"):
        if key in fields and fields[key] not in User.Visibility.values:
            raise Invalid(
                _("'%(field)s' must be one of %(choices)s.")
                % {"field": key, "choices": ", ".join(User.Visibility.values)},
                field=key,
            )
    if "preferences" in fields:
        _check_preferences(fields["preferences"])
    if "language" in fields and fields["language"] not in LANGUAGE_CODES | {""}:
        raise Invalid(
            _("Unknown language '%(language)s'; choose one of %(choices)s.")
            % {"language": fields["language"], "choices": ", ".join(sorted(LANGUAGE_CODES))},
            field="language",
        )


def _check_preferences(preferences: Any) -> None:
    """Other tools' settings: a flat map of short names to plain values, bounded in size."""
    if not isinstance(preferences, dict) or len(preferences) > MAX_PREFERENCES:
        raise Invalid(
            _("'preferences' must map at most %(count)s names to values.")
            % {"count": MAX_PREFERENCES},
            field="preferences",
        )
    for name, value in preferences.items():
        if not isinstance(name, str) or not name or len(name) > MAX_PREFERENCE_NAME:
            raise Invalid(
                _("A preference's name must have 1 to %(count)s characters.")
                % {"count": MAX_PREFERENCE_NAME},
                field="preferences",
            )
        if not isinstance(value, str | int | bool) or len(str(value)) > MAX_PREFERENCE_VALUE:
            raise Invalid(
                _("The preference '%(name)s' must be a text of at most %(count)s characters.")
                % {"name": name, "count": MAX_PREFERENCE_VALUE},
                field="preferences",
            )


@transaction.atomic
def user_update_profile(*, user: Viewer, person: User, **fields: Any) -> User:
    user = policy.require_person(user, "user.update", person)
    _check_profile(fields)
    person = User.objects.select_for_update().get(pk=person.pk)
    diff = recorder.changes(person, fields)
    if not diff:
        return person
    for field, value in fields.items():
        setattr(person, field, value)
    _clean(person, exclude=["password"])
    person.save(update_fields=list(diff))
    if "display_name" in diff:
        forget_shared_names()
    # What everyone may read goes in the open log; personal settings in a private event, which
    # only the person and site administrators see (decision 0043). Both are in the hash chain.
    public = {key: change for key, change in diff.items() if key in PUBLIC_PROFILE_FIELDS}
    private = {key: change for key, change in diff.items() if key not in PUBLIC_PROFILE_FIELDS}
    if public:
        recorder.record(actor=user, verb="user:profile_updated", target=person, data=public)
    if private:
        recorder.record(actor=user, verb="user:settings_changed", target=person, data=private)
    return person


def current_password_check(person: User, password: str, *, field: str) -> None:
    """The current password confirms a change to an account. Each check counts as a sign-in
    attempt (peerwork/core/limits.py), so a borrowed session guesses no faster than the
    sign-in form allows; callers run it before their transaction, so a wrong guess stays
    counted when the refusal rolls the change back."""
    limits.login_attempt(username=person.username)
    if not person.check_password(password):
        raise Invalid(_("The current password is not right."), field=field)
    limits.login_succeeded(username=person.username)


def user_change_password(
    *, user: Viewer, person: User, old_password: str, new_password: str
) -> User:
    user = policy.require_person(user, "user.update", person)
    current_password_check(person, old_password, field="old_password")
    return _password_set(user=user, person=person, new_password=new_password)


@transaction.atomic
def _password_set(*, user: User, person: User, new_password: str) -> User:
    _check_password(new_password, person)
    person.set_password(new_password)
    person.save(update_fields=["password"])
    recorder.record(actor=user, verb="user:password_changed", target=person)
    return person


@transaction.atomic
def token_create(
    *, user: Viewer, person: User, name: str, scope: str = "read"
) -> tuple[ApiToken, str]:
    """Returns the token and its secret; the secret is shown once and never stored."""
    user = policy.require_person(user, "user.tokens.manage", person)
    if scope not in ApiToken.Scope.values:
        raise Invalid(_("Scope must be 'read' or 'write'."), field="scope")
    limits.hit("token", user=user)
    raw = ApiToken.new_secret()
    token = ApiToken(
        user=person, name=name, scope=scope, digest=ApiToken.digest_of(raw), hint=raw[:10]
    )
    _clean(token)
    token.save(force_insert=True)
    recorder.record(
        actor=user, verb="token:created", target=token, data={"name": name, "scope": scope}
    )
    return token, raw


@transaction.atomic
def token_revoke(*, user: Viewer, token: ApiToken) -> ApiToken:
    user = policy.require_person(user, "user.tokens.manage", token.user)
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    recorder.record(actor=user, verb="token:revoked", target=token, data={"name": token.name})
    return token


def token_authenticate(raw: str) -> ApiToken | None:
    """The active token for a bearer secret, noting its use at most once a minute."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=ApiToken.digest_of(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    last = token.last_used_at
    if last is None or (now - last).total_seconds() >= settings.PEERWORK_TOKEN_TOUCH_SECONDS:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


@transaction.atomic
def organization_create(
    *, user: Viewer, slug: str, name: str, description: str = "", website: str = ""
) -> Organization:
    user = policy.require_person(user, "organization.create")
    organization = Organization(
        slug=slug, name=name, description=description, website=website, created_by=user
    )
    _clean(organization, exclude=["created_by"])
    if Organization.objects.filter(slug=slug).exists():
        raise Conflict(
            _("The short name '%(slug)s' is taken; choose another.") % {"slug": slug}, field="slug"
        )
    try:
        with transaction.atomic():
            organization.save(force_insert=True)
    except IntegrityError:
        raise Conflict(
            _("The short name '%(slug)s' is taken; choose another.") % {"slug": slug}, field="slug"
        ) from None
    OrganizationMembership.objects.create(organization=organization, user=user, role="admin")
    recorder.record(
        actor=user,
        verb="organization:created",
        target=organization,
        data={"slug": slug, "name": name},
    )
    return organization


@transaction.atomic
def organization_update(*, user: Viewer, organization: Organization, **fields: Any) -> Organization:
    user = policy.require_person(user, "organization.update", organization)
    unknown = set(fields) - {"name", "description", "website"}
    if unknown:
        raise Invalid(
            _("Unknown field '%(field)s'.") % {"field": sorted(unknown)[0]},
            field=sorted(unknown)[0],
        )
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    diff = recorder.changes(organization, fields)
    if not diff:
        return organization
    for field, value in fields.items():
        setattr(organization, field, value)
    _clean(organization, exclude=["created_by"])
    organization.save(update_fields=list(diff))
    recorder.record(actor=user, verb="organization:updated", target=organization, data=diff)
    return organization


def _check_org_role(role: str) -> None:
    if role not in OrganizationMembership.Role.values:
        raise Invalid(_("Role must be 'admin' or 'member'."), field="role")


@transaction.atomic
def organization_member_add(
    *, user: Viewer, organization: Organization, member: User, role: str = "member"
) -> OrganizationMembership:
    user = policy.require_person(user, "organization.members.manage", organization)
    _check_org_role(role)
    membership, created = OrganizationMembership.objects.get_or_create(
        organization=organization, user=member, defaults={"role": role}
    )
    if not created:
        raise Conflict(
            _("%(name)s is already a member of %(organization)s.")
            % {"name": person_name(member), "organization": organization.name}
        )
    member.__dict__.pop("_space_roles", None)  # they now hold the organization's space roles
    recorder.record(
        actor=user,
        verb="organization:member_added",
        target=organization,
        data={"user": member.username, "role": role},
    )
    return membership


def _admins_left(organization: Organization, *, excluding: OrganizationMembership) -> bool:
    return (
        OrganizationMembership.objects.filter(organization=organization, role="admin")
        .exclude(pk=excluding.pk)
        .exists()
    )


@transaction.atomic
def organization_member_change_role(
    *, user: Viewer, organization: Organization, membership: OrganizationMembership, role: str
) -> OrganizationMembership:
    user = policy.require_person(user, "organization.members.manage", organization)
    _check_org_role(role)
    membership = OrganizationMembership.objects.select_for_update().get(pk=membership.pk)
    if membership.role == role:
        return membership
    if membership.role == "admin" and not _admins_left(organization, excluding=membership):
        raise Conflict(_("An organization needs at least one admin; name another one first."))
    old = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    recorder.record(
        actor=user,
        verb="organization:member_role_changed",
        target=organization,
        data={"user": membership.user.username, "role": {"old": old, "new": role}},
    )
    return membership


@transaction.atomic
def organization_member_remove(
    *, user: Viewer, organization: Organization, membership: OrganizationMembership
) -> None:
    if membership.user_id == user.pk:
        user = policy.require_person(user, "organization.leave", organization)
    else:
        user = policy.require_person(user, "organization.members.manage", organization)
    membership = OrganizationMembership.objects.select_for_update().get(pk=membership.pk)
    if membership.role == "admin" and not _admins_left(organization, excluding=membership):
        raise Conflict(_("An organization needs at least one admin; name another one first."))
    username = membership.user.username
    membership.delete()
    membership.user.__dict__.pop("_space_roles", None)
    recorder.record(
        actor=user,
        verb="organization:member_removed",
        target=organization,
        data={"user": username},
    )


def organization_invitation_create(
    *, user: Viewer, organization: Organization, invitee: User, role: str = "member"
) -> OrganizationInvitation:
    return invitations.create(
        invitations.ORGANIZATION, user=user, target=organization, invitee=invitee, role=role
    )


def organization_invitation_respond(
    *, user: Viewer, invitation: OrganizationInvitation, accept: bool
) -> OrganizationInvitation:
    return invitations.respond(
        invitations.ORGANIZATION, user=user, invitation=invitation, accept=accept
    )


def organization_invitation_cancel(
    *, user: Viewer, invitation: OrganizationInvitation
) -> OrganizationInvitation:
    return invitations.cancel(invitations.ORGANIZATION, user=user, invitation=invitation)
