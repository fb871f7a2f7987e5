"""Web pages of bridging: rating buttons (htmx), the public audit of an idea's supports, and
the stewards' page of coordinated groups. Thin faces on the actions and selectors."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from peerwork.core import policy
from peerwork.core.errors import Conflict, Invalid, NotFound
from peerwork.ideas import selectors as idea_selectors
from peerwork.spaces.selectors import space_get_visible

from . import actions, selectors
from .kinds import kind_named, resolve
from .policy_schema import bridging_policy

EXPECTED = (Invalid, Conflict)


def thread_extension(request: HttpRequest, target: Any, entries: list[Any]) -> dict[str, Any]:
    """Each comment's helpful / not helpful buttons, and `?comments=bridged` ordering."""
    ids = [entry.id for entry in entries if not entry.is_deleted]
    if not ids:
        return {}
    space = entries[0].comment.space
    bridged = request.GET.get("comments") == "bridged"
    if bridged:
        selectors.fresh_scores(space)
    notes = selectors.notes_for("comment", ids)
    context: dict[str, Any] = {
        "thread_comment_templates": ["bridging/_comment_rate.html"],
        "thread_header_templates": ["bridging/_thread_sort.html"],
        "bridging_mine": selectors.rating_of(request.user, "comment", ids),
        "bridging_notes": notes,
        "bridging_can_rate": policy.can(request.user, "bridging.rate", space),
        "bridging_space": space,
        "bridging_sorted": bridged,
        "bridging_path": request.path,
    }
    if bridged:
        context["thread_rank"] = {pk: note.score for pk, note in notes.items()}
    return context


def _back(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


@require_POST
def rate(request: HttpRequest, slug: str, rated_kind: str, rated_id: int) -> HttpResponse:
    kind, object_id = rated_kind, rated_id
    space = space_get_visible(user=request.user, slug=slug)
    obj = resolve(kind, object_id)
    if kind_named(kind).space_of(obj).pk != space.pk:
        raise NotFound()
    value = request.POST.get("value", "")
    try:
        rating = actions.rating_set(user=request.user, obj=obj, value=value)
        error = ""
    except EXPECTED as refused:
        rating = None
        error = str(refused.detail)
        if not getattr(request, "htmx", False):
            messages.error(request, error)
    if getattr(request, "htmx", False):
        mine = {object_id: rating.is_helpful} if rating is not None else {}
        return render(
            request,
            "bridging/_rate_buttons.html",
            {
                "kind": kind,
                "object_id": object_id,
                "mine": mine.get(object_id),
                "space": space,
                "error": error,
                "next": _back(request, request.path),
            },
        )
    if not error:
        messages.success(request, _("Your rating is saved."))
    return redirect(
        _back(request, reverse("bridging:audit", args=[slug, object_id]) if kind == "idea" else "/")
    )


@require_GET
def audit(request: HttpRequest, slug: str, idea_id: int) -> HttpResponse:
    space = space_get_visible(user=request.user, slug=slug)
    idea = idea_selectors.idea_get_visible(user=request.user, space=space, idea_id=idea_id)
    found = selectors.idea_audit(user=request.user, idea=idea)
    notes = selectors.notes_for("idea", [idea.pk])
    mine = selectors.rating_of(request.user, "idea", [idea.pk])
    rows = [
        {
            "support": support,
            "is_named": support.user_id in found.named,
            "weighed": one,
            "reasons": [selectors.reason_text(reason, numbers) for reason, numbers in one.reasons],
        }
        for support, one in found.discounted
    ]
    return render(
        request,
        "bridging/audit.html",
        {
            "space": space,
            "tab": "ideas",
            "idea": idea,
            "audit": found,
            "rows": rows,
            "note": notes.get(idea.pk),
            "kind": "idea",
            "object_id": idea.pk,
            "mine": mine.get(idea.pk),
            "can_rate": policy.can(request.user, "bridging.rate", space)
            and idea.created_by_id != getattr(request.user, "pk", None),
            "next": request.path,
            "policy": bridging_policy(space),
        },
    )


@require_GET
def coordination(request: HttpRequest, slug: str) -> HttpResponse:
    space = space_get_visible(user=request.user, slug=slug)
    groups = list(selectors.groups_listed(user=request.user, space=space))
    people = selectors.people_of(groups)
    shown = [
        {
            "group": group,
            "people": [people.get(member) for member in group.members],
            "pairs": [
                {
                    "a": people.get(pair["a"]),
                    "b": people.get(pair["b"]),
                    "jaccard": round(pair["jaccard"] * 100),
                    "times": pair["times"],
                }
                for pair in group.evidence
            ],
        }
        for group in groups
    ]
    return render(
        request,
        "bridging/coordination.html",
        {
            "space": space,
            "tab": "settings",
            "groups": shown,
            "fit": selectors.fit_of(user=request.user, space=space),
            "policy": bridging_policy(space),
        },
    )


@require_POST
def coordination_check(request: HttpRequest, slug: str) -> HttpResponse:
    space = space_get_visible(user=request.user, slug=slug)
    actions.space_refit(user=request.user, space=space)
    found = actions.coordination_check(user=request.user, space=space)
    messages.success(
        request, _("Checked now: %(count)s coordinated groups standing.") % {"count": len(found)}
    )
    return redirect("bridging:coordination", slug=slug)
