"""The queue of edits held for review (pending changes): thin pages on the held-edit
selectors and the same release/reject actions as the REST API (docs/moderation.md)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from peerwork.core import screening
from peerwork.core.errors import Conflict, EditConflict, Invalid, RateLimited

from . import actions, selectors
from .forms import HeldDecisionForm
from .models import HeldEdit
from .rendering import page_url
from .textops import diff_lines, diff_stats
from .titles import title_text
from .views import _space

#: At most this many held edits on the queue page, oldest first (a queue is worked through).
QUEUE_SIZE = 50
#: The top features of a risk score shown for each held edit.
TOP_FEATURES = 3


def _row(held: HeldEdit) -> dict[str, Any]:
    """What the queue shows of one held edit: reasons, risk, and its diff to the page now."""
    current = held.page.current_revision if held.page is not None else None
    old_text = current.content.text if current is not None else ""
    new_text = held.content.text
    risk = held.risk
    top = (risk.get("data") or {}).get("top", [])[:TOP_FEATURES] if risk else []
    added, removed = diff_stats(old_text, new_text)
    return {
        "held": held,
        "title": title_text(held.namespace, held.title),
        "url": page_url(held.space.slug, held.namespace, held.title),
        "is_new_page": current is None,
        "reasons": [f["reason"] for f in held.findings if f.get("screen") != "risk"]
        if risk
        else held.reasons,
        "risk_percent": round(risk["score"] * 100)
        if risk and risk.get("score") is not None
        else None,
        "risk_words": [screening.in_words("risk", item) for item in top],
        "hunks": diff_lines(old_text, new_text),
        "added": added,
        "removed": removed,
    }


@require_GET
def held_queue(request: HttpRequest, slug: str) -> HttpResponse:
    space = _space(request, slug)
    edits = selectors.held_queue(user=request.user, space=space).select_related(
        "content", "page__current_revision__content"
    )
    held = list(edits[: QUEUE_SIZE + 1])
    for edit in held:
        edit.space = space
    context = {
        "space": space,
        "rows": [_row(edit) for edit in held[:QUEUE_SIZE]],
        "more": len(held) > QUEUE_SIZE,
        "form": HeldDecisionForm(),
        "diff_old_label": _("The page now"),
        "diff_new_label": _("The held edit"),
        "view": "side",
    }
    return render(request, "wiki/held_edits.html", context)


def _decide(request: HttpRequest, slug: str, held_id: int, release: bool) -> HttpResponse:
    space = _space(request, slug)
    held = selectors.held_get(user=request.user, space=space, held_id=held_id)
    queue = reverse("wiki:held_edits", args=[space.slug])
    form = HeldDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The reason is too long: at most 500 characters."))
        return redirect(queue)
    reason = form.cleaned_data["reason"]
    decide = actions.held_edit_release if release else actions.held_edit_reject
    name = title_text(held.namespace, held.title)
    try:
        decide(user=request.user, held=held, reason=reason)
    except (Conflict, EditConflict, Invalid, RateLimited) as error:
        messages.error(request, error.detail)
    else:
        if release:
            messages.success(
                request, _("Released: the edit of %(title)s is published.") % {"title": name}
            )
        else:
            messages.success(
                request,
                _("Rejected: the edit of %(title)s stays out of the page.") % {"title": name},
            )
    return redirect(queue)


@require_POST
def held_release(request: HttpRequest, slug: str, held_id: int) -> HttpResponse:
    return _decide(request, slug, held_id, release=True)


@require_POST
def held_reject(request: HttpRequest, slug: str, held_id: int) -> HttpResponse:
    return _decide(request, slug, held_id, release=False)
