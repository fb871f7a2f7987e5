"""Mail to people: written in the reader's language and time zone, linking to this site.

Each mail is a pair of templates, `accounts/mail/<name>_subject.txt` (one line) and
`accounts/mail/<name>.txt` (the plain-text body), rendered with the reader's interface
language active (or the language they asked in, when they have none) and their time zone.
Django's mail machinery sends it, through the backend PEERWORK_EMAIL_URL chose.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone, translation

#: At most this many mails of one kind go to one address in an hour (the rest are dropped):
#: asking for resets or verifications over and over cannot flood someone's mailbox.
MAILS_PER_ADDRESS_PER_HOUR = 5


def site_url(request: HttpRequest | None = None) -> str:
    """The address links in mails start with: PEERWORK_BASE_URL, else the address the request
    came to (its host is one of ALLOWED_HOSTS, or Django refused it), else the embedded one."""
    configured = str(getattr(settings, "PEERWORK_BASE_URL", "") or "")
    if configured:
        return configured.rstrip("/")
    if request is not None:
        return f"{request.scheme}://{request.get_host()}"
    return "http://127.0.0.1:8000"


def language_for(person: Any, asked_in: str = "") -> str:
    """The language a person reads their mail in: their interface language, else the one
    the request that caused the mail was made in, else the site's."""
    codes = {code for code, _name in settings.LANGUAGES}
    for language in (getattr(person, "language", ""), asked_in):
        if language in codes:
            return str(language)
    return str(settings.LANGUAGE_CODE)


def _zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


@contextmanager
def reading_as(language: str, time_zone: str) -> Iterator[None]:
    """Words, dates and times as this reader reads them, inside the block."""
    with translation.override(language), timezone.override(_zone(time_zone)):
        yield


def render(name: str, context: dict[str, Any], *, language: str, time_zone: str) -> tuple[str, str]:
    """(subject, body) of the mail `name`, in this language and time zone."""
    with reading_as(language, time_zone):
        subject = render_to_string(f"accounts/mail/{name}_subject.txt", context)
        body = render_to_string(f"accounts/mail/{name}.txt", context)
    return " ".join(subject.split()), body.strip() + "\n"


def send(
    name: str,
    context: dict[str, Any],
    *,
    address: str,
    language: str,
    time_zone: str = "UTC",
) -> None:
    subject, body = render(name, context, language=language, time_zone=time_zone)
    message = EmailMessage(
        subject,
        body,
        to=[address],
        # Vacation responders answer no machine (RFC 3834).
        headers={"Auto-Submitted": "auto-generated", "Content-Language": language},
    )
    message.send()


def under_limit(kind: str, address: str) -> bool:
    """Count one more mail of `kind` to `address`; False once the hour's share is spent."""
    key = f"mail-limit:{kind}:{address.strip().lower()}"
    if cache.add(key, 1, timeout=3600):
        return True
    try:
        return cache.incr(key) <= MAILS_PER_ADDRESS_PER_HOUR
    except ValueError:  # expired between the two calls
        cache.add(key, 1, timeout=3600)
        return True
