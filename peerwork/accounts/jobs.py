"""Mail that goes out after a request, and the periodic sweeps of notification mail."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils import timezone

from peerwork.core import jobs

from . import digests, mail
from .email_actions import reset_uid, verification_token
from .models import User


@jobs.job("accounts.mail_password_reset")
def mail_password_reset(*, address: str, base_url: str, language: str = "") -> int:
    """A reset link to each active account that uses the address; returns how many went."""
    people = User.objects.filter(is_active=True, email__iexact=address).order_by("pk")
    sent = 0
    for person in people:
        if not person.has_usable_password() or not mail.under_limit("reset", address):
            continue
        path = reverse(
            "accounts:password_reset_confirm",
            kwargs={
                "uidb64": reset_uid(person),
                "token": default_token_generator.make_token(person),
            },
        )
        context = {
            "person": person,
            "url": base_url + path,
            "login_url": base_url + reverse("accounts:login"),
            "hours": max(1, settings.PASSWORD_RESET_TIMEOUT // 3600),
        }
        mail.send(
            "password_reset",
            context,
            address=person.email,
            language=mail.language_for(person, language),
            time_zone=person.time_zone,
        )
        sent += 1
    return sent


@jobs.job("accounts.mail_verification")
def mail_verification(*, user_id: int, address: str, base_url: str, language: str = "") -> int:
    """A verification link, if the person still uses the address and it is not verified."""
    person = User.objects.filter(pk=user_id, is_active=True).first()
    if person is None or person.email != address or person.is_email_verified:
        return 0
    if not mail.under_limit("verification", address):
        return 0
    path = reverse("accounts:email_verify", kwargs={"verification": verification_token(person)})
    context = {
        "person": person,
        "url": base_url + path,
        "days": max(1, settings.PEERWORK_EMAIL_VERIFY_SECONDS // 86400),
    }
    mail.send(
        "verification",
        context,
        address=address,
        language=mail.language_for(person, language),
        time_zone=person.time_zone,
    )
    return 1


@jobs.job("accounts.mail_address_changed")
def mail_address_changed(*, user_id: int, address: str, language: str = "") -> int:
    """Tell the address a person proved that their account uses another one now."""
    person = User.objects.filter(pk=user_id).first()
    if person is None or not mail.under_limit("address-changed", address):
        return 0
    mail.send(
        "address_changed",
        {"person": person, "when": timezone.now()},
        address=address,
        language=mail.language_for(person, language),
        time_zone=person.time_zone,
    )
    return 1


@jobs.job("accounts.notification_mails", every=60)
def notification_mails() -> int:
    return digests.send_each()


@jobs.job("accounts.digests", every=15 * 60)
def notification_digests() -> int:
    return digests.send_digests()
