"""Notifications by mail: one mail for each, or a daily or weekly digest of the unread ones.

Only a verified address gets notification mail. Each mail sent is a `NotificationMail` row
naming the newest notification it told of; the next mail starts after it, so a rerun (or a
second worker) sends nothing twice. The row is written, and committed, before the mail goes:
if sending fails the row is taken back and the next run tries again, and a crash between the
two loses a mail rather than sending one twice. The words are the notifications' own
sentences (activity.sentences), in the reader's language and time zone.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Exists, F, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone

from peerwork.activity.models import Notification
from peerwork.activity.rows import row_of
from peerwork.activity.selectors import notifications_for
from peerwork.activity.sentences import sentences

from . import mail
from .models import NotificationMail, User

PERIODS = {"daily": timedelta(days=1), "weekly": timedelta(days=7)}
#: A digest is due this much before its period is quite over, so that a sweep every quarter
#: of an hour keeps a daily digest at the same time of day instead of drifting later.
SLACK = timedelta(minutes=15)
#: "Each" mails tell of notifications at most this old: someone who turns them on is not
#: sent one mail for every notification they ever left unread.
EACH_WINDOW = timedelta(hours=1)
#: At most this many "each" mails per person per sweep; the rest wait for the next sweep.
EACH_PER_SWEEP = 10
#: A digest lists at most this many notifications and counts the rest.
DIGEST_ITEMS = 50


def _recipients(kind: str, *, unread_since: datetime | None = None) -> QuerySet[User]:
    """The people who chose this kind of mail at a verified address and have something
    unread (since then), so a sweep locks no one it has nothing to send."""
    unread = Notification.objects.filter(user=OuterRef("pk"), read_at__isnull=True)
    if unread_since is not None:
        unread = unread.filter(created_at__gte=unread_since)
    return (
        User.objects.filter(is_active=True, email_notifications=kind, verified_email=F("email"))
        .exclude(email="")
        .filter(Exists(unread))
        .order_by("pk")
    )


def _last_notification_id(person: User) -> int:
    last = NotificationMail.objects.filter(user=person).order_by("-last_notification_id").first()
    return last.last_notification_id if last else 0


def _unread(person: User, *, after_id: int, since: datetime) -> QuerySet[Notification]:
    return (
        notifications_for(user=person)
        .filter(read_at__isnull=True, pk__gt=after_id, created_at__gte=since)
        .order_by("pk")
    )


def _items(notifications: Sequence[Notification], base_url: str) -> list[dict[str, Any]]:
    """Each notification as the mail shows it (call while reading as the person)."""
    said = sentences([n.event for n in notifications])
    items = []
    for notification, sentence in zip(notifications, said, strict=True):
        url = row_of(notification.event).url
        items.append(
            {
                "text": sentence.text,
                "details": sentence.details(),
                "space": notification.event.space.name if notification.event.space else "",
                "url": base_url + url if url else "",
                "when": notification.created_at,
            }
        )
    return items


def _links(base_url: str) -> dict[str, str]:
    return {
        "settings_url": base_url + reverse("accounts:email_settings"),
        "notifications_url": base_url + reverse("activity:notifications"),
    }


def _claim(person: User, kind: str, count: int, last_id: int, now: datetime) -> NotificationMail:
    return NotificationMail.objects.create(
        user=person,
        kind=kind,
        address=person.email,
        sent_at=now,
        last_notification_id=last_id,
        count=count,
    )


def _send_claimed(
    claim: NotificationMail, name: str, context: dict[str, Any], person: User
) -> bool:
    try:
        mail.send(
            name,
            context,
            address=claim.address,
            language=mail.language_for(person),
            time_zone=person.time_zone,
        )
    except Exception:
        claim.delete()  # the next sweep tries again
        raise
    return True


def send_each(*, now: datetime | None = None, base_url: str = "") -> int:
    """One mail per new unread notification to the people who want each; returns how many."""
    now = now or timezone.now()
    base_url = base_url or mail.site_url()
    sent = 0
    for person in _recipients("each", unread_since=now - EACH_WINDOW):
        with transaction.atomic():
            locked = User.objects.select_for_update().get(pk=person.pk)
            after = _last_notification_id(locked)
            pending = list(
                _unread(locked, after_id=after, since=now - EACH_WINDOW)[:EACH_PER_SWEEP]
            )
            claims = [_claim(locked, "each", 1, n.pk, now) for n in pending]
        for notification, claim in zip(pending, claims, strict=True):
            with mail.reading_as(mail.language_for(person), person.time_zone):
                item = _items([notification], base_url)[0]
            context = {"person": person, "item": item, **_links(base_url)}
            sent += _send_claimed(claim, "notification", context, person)
    return sent


def _digest_due(person: User, kind: str, now: datetime) -> tuple[bool, datetime]:
    """Whether the person's digest is due, and since when it tells of notifications."""
    period = PERIODS[kind]
    last = (
        NotificationMail.objects.filter(user=person, kind__in=list(PERIODS))
        .order_by("-sent_at")
        .first()
    )
    if last is None:
        return True, now - period
    return now - last.sent_at >= period - SLACK, last.sent_at


def send_digests(*, now: datetime | None = None, base_url: str = "") -> int:
    """Send each due daily and weekly digest; returns how many were sent."""
    now = now or timezone.now()
    base_url = base_url or mail.site_url()
    sent = 0
    for kind in PERIODS:
        for person in _recipients(kind):
            with transaction.atomic():
                locked = User.objects.select_for_update().get(pk=person.pk)
                due, since = _digest_due(locked, kind, now)
                if not due:
                    continue
                unread = _unread(locked, after_id=_last_notification_id(locked), since=since)
                ids = list(unread.values_list("pk", flat=True))
                if not ids:
                    continue
                claim = _claim(locked, kind, len(ids), ids[-1], now)
            shown = list(unread.filter(pk__lte=claim.last_notification_id)[:DIGEST_ITEMS])
            with mail.reading_as(mail.language_for(person), person.time_zone):
                items = _items(shown, base_url)
            context = {
                "person": person,
                "kind": kind,
                "items": items,
                "count": len(ids),
                "more": len(ids) - len(items),
                **_links(base_url),
            }
            sent += _send_claimed(claim, "digest", context, person)
    return sent


def send_digests_and_say() -> str:
    """Send the due digests and say how many went, for `peerwork digest` and its manage twin."""
    sent = send_digests()
    if not sent:
        return "Sent no digest: none was due with unread notifications."
    return "Sent 1 digest." if sent == 1 else f"Sent {sent} digests."
