"""Every write about a person's email: the address and its proof, password resets by mail,
and how notifications reach them by mail (docs/decisions/0042-email.md).

Mails go out from jobs (accounts/jobs.py) once the transaction commits, so a request that
asks for one answers at once, the same way whether a mail will go or not.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from peerwork.activity import recorder
from peerwork.core import jobs, policy
from peerwork.core.errors import Conflict, Invalid, InvalidLink

from .actions import _check_password, current_password_check
from .models import User, Viewer

NOTIFICATION_CHOICES = ("none", "each", "daily", "weekly")
VERIFICATION_SALT = "peerwork.accounts.email-verification"


def _normal_address(email: str, field: str = "email") -> str:
    email = email.strip()
    if not email:
        return ""
    try:
        validate_email(email)
    except ValidationError:
        raise Invalid(
            _("'%(address)s' is not an email address.") % {"address": email}, field=field
        ) from None
    return User.objects.normalize_email(email)


# ---- password reset --------------------------------------------------------------------------


def reset_uid(person: User) -> str:
    return urlsafe_base64_encode(force_bytes(person.pk))


def password_reset_request(*, email: str, base_url: str, language: str = "") -> None:
    """Mail a reset link to every active account that uses this address, if any.

    The request itself reads nothing and answers the same for any address: the job that
    runs after it looks the address up, so neither the answer nor its timing tells whether
    an account uses it.
    """
    address = _normal_address(email)
    if not address:
        raise Invalid(_("Enter the email address of your account."), field="email")
    jobs.enqueue(
        "accounts.mail_password_reset", address=address, base_url=base_url, language=language
    )


def password_reset_person(*, uid: str, token: str) -> User:
    """The person a reset link is for, while the link still works; else InvalidLink."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uid)))
    except (ValueError, TypeError, OverflowError):
        raise InvalidLink() from None
    if not 0 < pk < 2**63:  # beyond any database's ids
        raise InvalidLink()
    person = User.objects.filter(pk=pk, is_active=True).first()
    if person is None or not default_token_generator.check_token(person, token):
        raise InvalidLink()
    return person


@transaction.atomic
def password_reset_confirm(*, uid: str, token: str, new_password: str) -> User:
    """Set a new password with a mailed link. The link dies with the old password (Django's
    token hashes it), so it works once; the mail it came by is proved read, so the address
    counts as verified."""
    person = password_reset_person(uid=uid, token=token)
    person = User.objects.select_for_update().get(pk=person.pk)
    if not default_token_generator.check_token(person, token):  # used meanwhile
        raise InvalidLink()
    _check_password(new_password, person)
    person.set_password(new_password)
    fields = ["password"]
    if person.email and not person.is_email_verified:
        person.verified_email = person.email
        fields.append("verified_email")
    person.save(update_fields=fields)
    recorder.record(actor=person, verb="user:password_reset", target=person)
    return person


# ---- the address and its verification ----------------------------------------------------------


def _fingerprint(address: str) -> str:
    """Names an address in a link without showing it (links end up in logs and histories)."""
    return salted_hmac(VERIFICATION_SALT, address.lower()).hexdigest()[:24]


def verification_token(person: User) -> str:
    """Signed and dated: the person and the address it proves."""
    return signing.dumps({"u": person.pk, "e": _fingerprint(person.email)}, salt=VERIFICATION_SALT)


def email_verification_send(
    *, user: Viewer, person: User, base_url: str, language: str = ""
) -> None:
    """Mail a link that proves the person reads their address."""
    user = policy.require_person(user, "user.email.manage", person)
    if not person.email:
        raise Conflict(_("Add an email address first."), field="email")
    if person.is_email_verified:
        raise Conflict(
            _("The address %(address)s is verified already.") % {"address": person.email},
            field="email",
        )
    _send_verification(person, base_url=base_url, language=language)


def _send_verification(person: User, *, base_url: str, language: str) -> None:
    jobs.enqueue(
        "accounts.mail_verification",
        user_id=person.pk,
        address=person.email,
        base_url=base_url,
        language=language,
    )


def email_verification_person(*, token: str) -> User:
    """The person a verification link is for, while it works; else InvalidLink."""
    try:
        data = signing.loads(
            token, salt=VERIFICATION_SALT, max_age=settings.PEERWORK_EMAIL_VERIFY_SECONDS
        )
        pk, fingerprint = int(data["u"]), str(data["e"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise InvalidLink() from None
    person = User.objects.filter(pk=pk, is_active=True).first()
    # A link for an address the person no longer uses proves nothing about the new one.
    if (
        person is None
        or not person.email
        or not constant_time_compare(_fingerprint(person.email), fingerprint)
    ):
        raise InvalidLink()
    return person


@transaction.atomic
def email_verify(*, token: str) -> User:
    """Mark the address verified; a second use of the link changes nothing."""
    person = email_verification_person(token=token)
    person = User.objects.select_for_update().get(pk=person.pk)
    if person.is_email_verified:
        return person
    person.verified_email = person.email
    person.save(update_fields=["verified_email"])
    recorder.record(actor=person, verb="user:email_verified", target=person)
    return person


def user_change_email(
    *, user: Viewer, person: User, email: str, password: str, base_url: str, language: str = ""
) -> User:
    """A new address (or none) needs the current password, and a new proof by mail."""
    user = policy.require_person(user, "user.email.manage", person)
    current_password_check(person, password, field="password")
    return _email_set(user=user, person=person, email=email, base_url=base_url, language=language)


@transaction.atomic
def _email_set(*, user: User, person: User, email: str, base_url: str, language: str) -> User:
    address = _normal_address(email)
    person = User.objects.select_for_update().get(pk=person.pk)
    if address == person.email:
        return person
    if person.is_email_verified:
        # The address they proved hears of the change, in case it was not them.
        jobs.enqueue(
            "accounts.mail_address_changed",
            user_id=person.pk,
            address=person.email,
            language=language,
        )
    person.email = address
    person.save(update_fields=["email"])
    recorder.record(actor=user, verb="user:email_changed", target=person)
    if address:
        _send_verification(person, base_url=base_url, language=language)
    return person


@transaction.atomic
def email_notifications_set(*, user: Viewer, person: User, choice: str) -> User:
    """How notifications reach the person by mail: none, each, daily or weekly."""
    user = policy.require_person(user, "user.notifications.manage", person)
    if choice not in NOTIFICATION_CHOICES:
        raise Invalid(
            _("Choose one of %(choices)s.") % {"choices": ", ".join(NOTIFICATION_CHOICES)},
            field="notifications",
        )
    person = User.objects.select_for_update().get(pk=person.pk)
    diff = recorder.changes(person, {"email_notifications": choice})
    if not diff:
        return person
    person.email_notifications = choice
    person.save(update_fields=["email_notifications"])
    recorder.record(actor=user, verb="user:email_notifications_changed", target=person, data=diff)
    return person
