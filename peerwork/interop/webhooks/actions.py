"""Writes of webhooks: subscribe, delete, re-send. Each checks the policy and records activity."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peerwork.activity import recorder
from peerwork.activity.policy import is_public_verb
from peerwork.activity.verbs import VERBS
from peerwork.core import jobs, policy
from peerwork.core.errors import Conflict, Invalid
from peerwork.interop.models import WebhookDelivery, WebhookSubscription
from peerwork.spaces.models import Space

from . import addresses, signing

MAX_URL_LENGTH = 2000


def _verbs_valid(verbs: list[str] | None) -> list[str]:
    chosen = sorted(set(verbs or []))
    for verb in chosen:
        if verb not in VERBS or not is_public_verb(verb):
            raise Invalid(
                _("'%(verb)s' is not an event webhooks can receive.") % {"verb": verb},
                field="verbs",
            )
    return chosen


def webhook_subscribe(
    *, user: Any, space: Space, url: str, verbs: list[str] | None = None
) -> WebhookSubscription:
    """Subscribe `url` to the space's events; refused for addresses peerwork must not call.

    The address check resolves the host (DNS), so it runs before the transaction opens.
    """
    person = policy.require_person(user, "space.webhooks.manage", space)
    url = (url or "").strip()
    if not url or len(url) > MAX_URL_LENGTH:
        raise Invalid(_("Give a URL of at most 2000 characters."), field="url")
    chosen = _verbs_valid(verbs)
    try:
        target = addresses.check(url)
    except addresses.AddressRefused as refused:
        raise Invalid(str(refused), field="url") from None
    with transaction.atomic():
        subscription = WebhookSubscription.objects.create(
            space=space, url=url, secret=signing.new_secret(), verbs=chosen, created_by=person
        )
        recorder.record(
            actor=person,
            verb="webhook:created",
            target=subscription,
            space=space,
            data={"host": target.host, "verbs": chosen},
        )
    return subscription


@transaction.atomic
def webhook_delete(*, user: Any, subscription: WebhookSubscription) -> None:
    space = subscription.space
    person = policy.require_person(user, "space.webhooks.manage", space)
    host = urlsplit(subscription.url).hostname or ""
    recorder.record(
        actor=person,
        verb="webhook:deleted",
        target=subscription,
        space=space,
        data={"host": host},
    )
    subscription.delete()


@transaction.atomic
def webhook_delivery_resend(*, user: Any, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a finished delivery's event again, as a new delivery with its own id and log."""
    subscription = delivery.subscription
    person = policy.require_person(user, "space.webhooks.manage", subscription.space)
    delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
    if not delivery.is_finished:
        raise Conflict(_("This delivery is still being tried; wait until it succeeds or fails."))
    again = WebhookDelivery.objects.create(
        subscription=subscription,
        event_id=delivery.event_id,
        resend_of=delivery,
        body=delivery.body,
        next_attempt_at=timezone.now(),
    )
    recorder.record(
        actor=person,
        verb="webhook:redelivered",
        target=subscription,
        space=subscription.space,
        data={"delivery": delivery.pk, "new_delivery": again.pk, "event": delivery.event_id},
    )
    jobs.enqueue("webhooks.deliver", delivery_id=again.pk)
    return again
