"""REST endpoints for a space's webhooks (stewards only): subscribe, list, delete, deliveries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from peerwork.core.api import Input, PageOf, PageParams, paginate
from peerwork.interop.models import WebhookDelivery, WebhookSubscription
from peerwork.spaces.selectors import space_get_visible

from . import actions, selectors

router = Router(tags=["webhooks"])


class WebhookOut(Schema):
    id: int
    url: str
    verbs: list[str]
    is_active: bool
    created_by: str
    created_at: datetime


class WebhookCreatedOut(WebhookOut):
    secret: str = Field(..., description="The HMAC key of Peerwork-Signature (docs/webhooks.md).")


class WebhookIn(Input):
    url: str = Field(..., min_length=1, max_length=2000)
    verbs: list[str] = Field(
        default_factory=list, description="Event verbs to send; empty sends every event."
    )


class DeliveryOut(Schema):
    id: int
    event: int
    verb: str
    status: str
    attempts: int
    last_status_code: int | None
    last_error: str
    next_attempt_at: datetime | None
    resend_of: int | None
    created_at: datetime
    updated_at: datetime


def webhook_out(subscription: WebhookSubscription, *, secret: bool = False) -> dict[str, Any]:
    out = {
        "id": subscription.pk,
        "url": subscription.url,
        "verbs": subscription.verbs,
        "is_active": subscription.is_active,
        "created_by": subscription.created_by.username,
        "created_at": subscription.created_at,
    }
    if secret:
        out["secret"] = subscription.secret
    return out


def delivery_out(delivery: WebhookDelivery) -> dict[str, Any]:
    return {
        "id": delivery.pk,
        "event": delivery.event_id,
        "verb": delivery.event.verb,
        "status": delivery.status,
        "attempts": delivery.attempts,
        "last_status_code": delivery.last_status_code,
        "last_error": delivery.last_error,
        "next_attempt_at": delivery.next_attempt_at,
        "resend_of": delivery.resend_of_id,
        "created_at": delivery.created_at,
        "updated_at": delivery.updated_at,
    }


@router.get("/spaces/{slug}/webhooks", response=PageOf[WebhookOut], summary="A space's webhooks")
def list_webhooks(request: HttpRequest, slug: str, page: Query[PageParams]) -> Any:
    space = space_get_visible(user=request.user, slug=slug)
    return paginate(
        selectors.webhooks_of(user=request.user, space=space), page, serialize=webhook_out
    )


@router.post(
    "/spaces/{slug}/webhooks",
    response={201: WebhookCreatedOut},
    summary="Subscribe a URL to the space's events",
)
def create_webhook(request: HttpRequest, slug: str, payload: WebhookIn) -> Any:
    space = space_get_visible(user=request.user, slug=slug)
    subscription = actions.webhook_subscribe(
        user=request.user, space=space, url=payload.url, verbs=payload.verbs
    )
    return 201, webhook_out(subscription, secret=True)


@router.delete(
    "/spaces/{slug}/webhooks/{webhook_id}", response={204: None}, summary="Remove a webhook"
)
def delete_webhook(request: HttpRequest, slug: str, webhook_id: int) -> Any:
    space = space_get_visible(user=request.user, slug=slug)
    subscription = selectors.webhook_get(user=request.user, space=space, webhook_id=webhook_id)
    actions.webhook_delete(user=request.user, subscription=subscription)
    return 204, None


@router.get(
    "/spaces/{slug}/webhooks/{webhook_id}/deliveries",
    response=PageOf[DeliveryOut],
    summary="A webhook's deliveries, newest first",
)
def list_deliveries(
    request: HttpRequest, slug: str, webhook_id: int, page: Query[PageParams]
) -> Any:
    space = space_get_visible(user=request.user, slug=slug)
    subscription = selectors.webhook_get(user=request.user, space=space, webhook_id=webhook_id)
    deliveries = selectors.deliveries_of(user=request.user, subscription=subscription)
    return paginate(deliveries, page, serialize=delivery_out)


@router.post(
    "/spaces/{slug}/webhooks/{webhook_id}/deliveries/{delivery_id}/redeliveries",
    response={201: DeliveryOut},
    summary="Send a finished delivery's event again",
)
def redeliver(request: HttpRequest, slug: str, webhook_id: int, delivery_id: int) -> Any:
    space = space_get_visible(user=request.user, slug=slug)
    subscription = selectors.webhook_get(user=request.user, space=space, webhook_id=webhook_id)
    delivery = selectors.delivery_get(
        user=request.user, subscription=subscription, delivery_id=delivery_id
    )
    again = actions.webhook_delivery_resend(user=request.user, delivery=delivery)
    return 201, delivery_out(again)
