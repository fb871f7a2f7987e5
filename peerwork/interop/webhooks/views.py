"""A steward's webhooks page under the space: list, add, delete, deliveries log, re-send."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from peerwork.accounts.forms import add_action_error
from peerwork.activity.policy import is_public_verb
from peerwork.activity.verbs import VERBS
from peerwork.core import policy
from peerwork.core.errors import Conflict, Invalid
from peerwork.spaces.models import Space
from peerwork.spaces.selectors import space_get_visible, space_role

from . import actions, selectors

LOG_SIZE = 50


def _verb_choices() -> list[tuple[str, str]]:
    return [
        (name, f"{name}: {verb.label}")
        for name, verb in sorted(VERBS.items())
        if is_public_verb(name) and not name.startswith(("user:", "token:", "organization:"))
    ]


class WebhookForm(forms.Form):
    url = forms.URLField(
        label=gettext_lazy("Payload URL"),
        max_length=2000,
        assume_scheme="https",
        help_text=gettext_lazy("peerwork POSTs each event here as signed JSON."),
    )
    verbs = forms.MultipleChoiceField(
        label=gettext_lazy("Events"),
        required=False,
        help_text=gettext_lazy("Choose none to receive every event."),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["verbs"].choices = _verb_choices()  # type: ignore[attr-defined]


def _context(request: HttpRequest, space: Space) -> dict[str, Any]:
    return {
        "space": space,
        "your_role": space_role(request.user, space),
        "can_update": policy.can(request.user, "space.update", space),
        "can_manage": policy.can(request.user, "space.members.manage", space),
    }


@require_http_methods(["GET", "POST"])
def webhooks(request: HttpRequest, slug: str) -> HttpResponse:
    space = space_get_visible(user=request.user, slug=slug)
    subscriptions = selectors.webhooks_of(user=request.user, space=space)
    form = WebhookForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                subscription = actions.webhook_subscribe(
                    user=request.user,
                    space=space,
                    url=form.cleaned_data["url"],
                    verbs=form.cleaned_data["verbs"],
                )
            except (Invalid, Conflict) as error:
                status = add_action_error(form, error)
            else:
                messages.success(
                    request,
                    _("The webhook is added. Its secret is below; keep it with the receiver."),
                )
                return redirect("interop:webhook", slug=space.slug, webhook_id=subscription.pk)
    context = {**_context(request, space), "subscriptions": subscriptions, "form": form}
    return render(request, "interop/webhooks.html", context, status=status)


def webhook(request: HttpRequest, slug: str, webhook_id: int) -> HttpResponse:
    space = space_get_visible(user=request.user, slug=slug)
    subscription = selectors.webhook_get(user=request.user, space=space, webhook_id=webhook_id)
    deliveries = selectors.deliveries_of(user=request.user, subscription=subscription)
    context = {
        **_context(request, space),
        "subscription": subscription,
        "deliveries": deliveries.order_by("-id")[:LOG_SIZE],
    }
    return render(request, "interop/webhook.html", context)


@require_POST
def webhook_delete(request: HttpRequest, slug: str, webhook_id: int) -> HttpResponse:
    space = space_get_visible(user=request.user, slug=slug)
    subscription = selectors.webhook_get(user=request.user, space=space, webhook_id=webhook_id)
    actions.webhook_delete(user=request.user, subscription=subscription)
    messages.success(request, _("The webhook is removed."))
    return redirect("interop:webhooks", slug=space.slug)


@require_POST
def delivery_resend(
    request: HttpRequest, slug: str, webhook_id: int, delivery_id: int
) -> HttpResponse:
    space = space_get_visible(user=request.user, slug=slug)
    subscription = selectors.webhook_get(user=request.user, space=space, webhook_id=webhook_id)
    delivery = selectors.delivery_get(
        user=request.user, subscription=subscription, delivery_id=delivery_id
    )
    try:
        actions.webhook_delivery_resend(user=request.user, delivery=delivery)
    except Conflict as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, _("The event is being sent again."))
    return redirect("interop:webhook", slug=space.slug, webhook_id=subscription.pk)
