"""The webhook jobs: fan an event out to its space's subscriptions, deliver, retry, sweep.

A delivery is one POST per attempt. Before every attempt the target's host is resolved and
checked again (addresses.check), and the connection goes to the checked address itself with
the URL's host in the Host header and TLS server name: a DNS answer that changes after the
check cannot redirect the request. Redirects are never followed (a 3xx is a failed attempt).
A failed attempt is tried again after PEERWORK_WEBHOOK_RETRY_DELAYS[attempt - 1] seconds;
after the last one the delivery has failed. A refused address fails at once.
"""

from __future__ import annotations

import http.client
import json
import socket
import ssl
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from peerwork.activity.models import Event
from peerwork.activity.policy import is_public_space_event
from peerwork.activity.schemas import event_out
from peerwork.core import jobs
from peerwork.interop.models import WebhookDelivery, WebhookSubscription

from . import addresses, signing
from .selectors import space_has_subscriptions

Status = WebhookDelivery.Status
USER_AGENT = "peerwork-webhooks/1"
MAX_RESPONSE_BYTES = 64 * 1024
#: an attempt holds its delivery this long; after it, the sweep may try again (worker died).
LEASE_SECONDS = 120


def is_deliverable(event: Event) -> bool:
    """Only what any member of the space may see leaves: space events of public verbs."""
    return is_public_space_event(event)


def payload(event: Event) -> dict[str, Any]:
    assert event.space is not None
    return {"type": event.verb, "space": event.space.slug, "event": event_out(event)}


def payload_body(event: Event) -> str:
    return json.dumps(payload(event), cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True)


def schedule_fan_out(event: Event) -> None:
    """After-record hook (registered in interop's apps.py): fan out after the commit, only for
    a deliverable event of a space that has subscriptions (one query)."""
    if (
        event.space_id is not None
        and is_deliverable(event)
        and space_has_subscriptions(event.space_id)
    ):
        # enqueue itself waits for transaction.on_commit: nothing runs if this rolls back.
        jobs.enqueue("webhooks.fan_out", event_id=event.pk)


@jobs.job("webhooks.fan_out")
def fan_out(*, event_id: int) -> int:
    """One delivery per active subscription of the event's space; returns how many were new."""
    event = Event.objects.select_related("space", "actor").filter(pk=event_id).first()
    if event is None or event.space_id is None or not is_deliverable(event):
        return 0
    subscriptions = WebhookSubscription.objects.filter(
        space_id=event.space_id, is_active=True, created_at__lte=event.created_at
    )
    body = None
    created_count = 0
    for subscription in subscriptions:
        if not subscription.wants(event.verb):
            continue
        body = body or payload_body(event)
        with transaction.atomic():
            delivery, created = WebhookDelivery.objects.get_or_create(
                subscription=subscription,
                event=event,
                resend_of=None,
                defaults={"body": body, "next_attempt_at": timezone.now()},
            )
            if created:
                created_count += 1
                jobs.enqueue("webhooks.deliver", delivery_id=delivery.pk)
    return created_count


@jobs.job("webhooks.deliver")
def deliver(*, delivery_id: int) -> str:
    """Make the next attempt of one delivery (if it is due and nobody else is making it)."""
    rows = WebhookDelivery.objects.select_related("subscription", "event")
    current = rows.filter(pk=delivery_id).first()
    if current is None or current.is_finished:
        return "skipped"
    now = timezone.now()
    if current.next_attempt_at and current.next_attempt_at > now + timedelta(seconds=2):
        return "not-due"
    attempt = current.attempts + 1
    # Claim this attempt: a second runner (a duplicate job, the sweep) finds attempts changed.
    claimed = WebhookDelivery.objects.filter(
        pk=current.pk, attempts=current.attempts, status__in=[Status.PENDING, Status.RETRYING]
    ).update(
        attempts=attempt,
        next_attempt_at=now + timedelta(seconds=LEASE_SECONDS),
        updated_at=now,
    )
    if not claimed:
        return "taken"
    subscription = current.subscription
    status_code: int | None = None
    error = ""
    if not subscription.is_active:
        return _finish(current, Status.FAILED, None, "The subscription is switched off.")
    try:
        status_code = send(
            url=subscription.url,
            secret=subscription.secret,
            body=current.body.encode(),
            headers={
                "Peerwork-Event": current.event.verb,
                "Peerwork-Delivery": str(current.pk),
                "Peerwork-Attempt": str(attempt),
            },
        )
    except addresses.AddressRefused as refused:
        return _finish(current, Status.FAILED, None, str(refused))
    except (OSError, http.client.HTTPException, ssl.SSLError) as failure:
        error = f"{type(failure).__name__}: {failure}"
    if status_code is not None and 200 <= status_code < 300:
        return _finish(current, Status.SUCCEEDED, status_code, "")
    if status_code is not None:
        error = f"HTTP {status_code}"
    delays = list(getattr(settings, "PEERWORK_WEBHOOK_RETRY_DELAYS", [60, 300, 1500, 7500]))
    if attempt > len(delays):
        return _finish(current, Status.FAILED, status_code, error)
    delay = max(0, int(delays[attempt - 1]))
    WebhookDelivery.objects.filter(pk=current.pk).update(
        status=Status.RETRYING,
        last_status_code=status_code,
        last_error=error[:500],
        next_attempt_at=timezone.now() + timedelta(seconds=delay),
        updated_at=timezone.now(),
    )
    jobs.enqueue("webhooks.deliver", delivery_id=current.pk, countdown=delay)
    return "retrying"


def _finish(delivery: WebhookDelivery, status: str, status_code: int | None, error: str) -> str:
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=status,
        last_status_code=status_code,
        last_error=error[:500],
        next_attempt_at=None,
        updated_at=timezone.now(),
    )
    return str(status)


@jobs.job("webhooks.deliver_due", every=60)
def deliver_due() -> int:
    """The safety net: enqueue deliveries whose attempt is due but whose job was lost."""
    due = WebhookDelivery.objects.filter(
        status__in=[Status.PENDING, Status.RETRYING], next_attempt_at__lte=timezone.now()
    ).values_list("pk", flat=True)[:500]
    ids = list(due)
    for delivery_id in ids:
        jobs.enqueue("webhooks.deliver", delivery_id=delivery_id)
    return len(ids)


# ---- one HTTP request to a checked, pinned address ----------------------------------------


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, *, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, *, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


def send(*, url: str, secret: str, body: bytes, headers: dict[str, str]) -> int:
    """POST `body` to `url` signed with `secret`; the response's status code.

    Raises AddressRefused before any connection is made when the target may not be called.
    """
    target = addresses.check(url)
    timeout = float(getattr(settings, "PEERWORK_WEBHOOK_TIMEOUT", 10))
    connection_class = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(
        target.host, target.port, address=str(target.addresses[0]), timeout=timeout
    )
    try:
        connection.request(
            "POST",
            target.path,
            body=body,
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "User-Agent": USER_AGENT,
                signing.HEADER: signing.header_value(secret, body),
                **headers,
            },
        )
        response = connection.getresponse()
        response.read(MAX_RESPONSE_BYTES)
        return int(response.status)
    finally:
        connection.close()
