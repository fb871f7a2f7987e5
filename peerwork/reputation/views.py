"""A person's reputation page in a space, its chart, and a steward's grant form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from peerwork.accounts.forms import add_action_error
from peerwork.accounts.selectors import user_get_visible
from peerwork.activity.links import target_url
from peerwork.core import policy
from peerwork.core.errors import Forbidden, Invalid
from peerwork.spaces.selectors import space_get_visible

from . import actions, selectors
from .chart import history_svg
from .forms import GrantForm
from .rules import RULES


def _lookup(request: HttpRequest, slug: str, username: str) -> tuple[Any, Any]:
    space = space_get_visible(user=request.user, slug=slug)
    person = user_get_visible(viewer=request.user, username=username)
    return space, person


def _page(
    request: HttpRequest, space: Any, person: Any, form: GrantForm | None = None, status: int = 200
) -> HttpResponse:
    summary = selectors.reputation_summary(viewer=request.user, space=space, person=person)
    rows = [
        {
            "entry": entry,
            "label": RULES[entry.rule].label if entry.rule in RULES else entry.rule,
            "url": target_url(entry.event),
        }
        for entry in summary.entries
    ]
    can_grant = policy.can(request.user, "reputation.grant", space)
    context = {
        "space": space,
        "person": person,
        "summary": summary,
        "rows": rows,
        "can_grant": can_grant,
        "form": form or (GrantForm() if can_grant else None),
    }
    return render(request, "reputation/person.html", context, status=status)


@require_GET
def person_reputation(request: HttpRequest, slug: str, username: str) -> HttpResponse:
    space, person = _lookup(request, slug, username)
    return _page(request, space, person)


@require_GET
def person_chart(request: HttpRequest, slug: str, username: str) -> HttpResponse:
    space, person = _lookup(request, slug, username)
    points = selectors.reputation_history(viewer=request.user, space=space, person=person)
    body = history_svg(points, person=person.username, space=space.name)
    return HttpResponse(body, content_type="image/svg+xml; charset=utf-8")


@require_POST
def person_grant(request: HttpRequest, slug: str, username: str) -> HttpResponse:
    space, person = _lookup(request, slug, username)
    form = GrantForm(request.POST)
    if not form.is_valid():
        return _page(request, space, person, form, status=400)
    try:
        actions.privilege_grant(
            user=request.user,
            space=space,
            person=person,
            privilege=form.cleaned_data["privilege"],
            allowed=form.allowed(),
            level=form.cleaned_data["level"],
            reason=form.cleaned_data["reason"],
        )
    except (Invalid, Forbidden) as error:
        status = add_action_error(form, error)
        return _page(request, space, person, form, status=status)
    messages.success(request, _("The grant is recorded."))
    return redirect(reverse("reputation:person", args=[space.slug, person.username]))
