"""Reads of webhooks and their deliveries; only a space's stewards see them."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from peerwork.core import policy
from peerwork.core.errors import NotFound
from peerwork.interop.models import WebhookDelivery, WebhookSubscription
from peerwork.spaces.models import Space


def space_has_subscriptions(space_id: int) -> bool:
    """The webhook fan-out's one cheap question per event: does anyone listen to this space?"""
    return WebhookSubscription.objects.filter(space_id=space_id, is_active=True).exists()


def webhooks_of(*, user: Any, space: Space) -> QuerySet[WebhookSubscription]:
    policy.require(user, "space.webhooks.manage", space)
    return WebhookSubscription.objects.filter(space=space).select_related("created_by")


def webhook_get(*, user: Any, space: Space, webhook_id: int) -> WebhookSubscription:
    subscription = webhooks_of(user=user, space=space).filter(pk=webhook_id).first()
    if subscription is None:
        raise NotFound()
    return subscription


def deliveries_of(*, user: Any, subscription: WebhookSubscription) -> QuerySet[WebhookDelivery]:
    policy.require(user, "space.webhooks.manage", subscription.space)
    return WebhookDelivery.objects.filter(subscription=subscription).select_related("event")


def delivery_get(
    *, user: Any, subscription: WebhookSubscription, delivery_id: int
) -> WebhookDelivery:
    delivery = deliveries_of(user=user, subscription=subscription).filter(pk=delivery_id).first()
    if delivery is None:
        raise NotFound()
    return delivery
