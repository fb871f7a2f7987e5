"""Htmx fragments of the assist service, included by the pages of ideas, challenges, tasks,
proposals and the wiki (which know nothing of this app: their templates ask these URLs)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from peerwork.core import policy
from peerwork.core.errors import Invalid
from peerwork.spaces.selectors import space_get_visible

from . import service


def _kinds(value: str) -> list[str] | None:
    names = [name.strip() for name in value.split(",") if name.strip()]
    return names or None


@require_GET
def similar(request: HttpRequest, slug: str) -> HttpResponse:
    """Work like the title (and text) being typed into a form; `exclude=kind:id` leaves out
    the object being edited."""
    space = space_get_visible(user=request.user, slug=slug)
    typed = " ".join(
        request.GET.get(name, "")[:1000] for name in ("title", "description", "body", "statement")
    ).strip()
    exclude = None
    kind, _, object_id = request.GET.get("exclude", "").partition(":")
    if object_id.isdigit():
        exclude = (kind, int(object_id))
    try:
        found = service.similar(
            user=request.user,
            space=space,
            query=typed,
            kinds=_kinds(request.GET.get("kinds", "")),
            exclude=exclude,
        )
    except Invalid:
        found = []
    return render(request, "assist/_similar.html", {"space": space, "found": found})


@require_GET
def related(request: HttpRequest, slug: str, object_type: str, object_id: int) -> HttpResponse:
    space = space_get_visible(user=request.user, slug=slug)
    found = service.related(user=request.user, space=space, kind=object_type, object_id=object_id)
    return render(
        request, "assist/_related.html", {"space": space, "found": found, "kind": object_type}
    )


@require_GET
def tasks_for_me(request: HttpRequest, slug: str) -> HttpResponse:
    space = space_get_visible(user=request.user, slug=slug)
    found = (
        service.tasks_for(user=request.user, space=space) if policy.signed_in(request.user) else []
    )
    return render(request, "assist/_tasks_for_you.html", {"space": space, "found": found})


@require_GET
def reviewers(request: HttpRequest, slug: str, object_type: str, object_id: int) -> HttpResponse:
    space = space_get_visible(user=request.user, slug=slug)
    found = service.reviewers_for(
        user=request.user, space=space, kind=object_type, object_id=object_id
    )
    return render(request, "assist/_reviewers.html", {"space": space, "found": found})
