"""Pages of the shell itself: the home page and the problem-type documentation."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from peerwork.spaces.selectors import spaces_listed

from .errors import PROBLEM_TYPES


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"spaces": spaces_listed(request.user)[:50]})


def problem_type(request: HttpRequest, slug: str) -> HttpResponse:
    if slug not in PROBLEM_TYPES:
        raise Http404()
    status, title, description = PROBLEM_TYPES[slug]
    return render(
        request,
        "core/problem.html",
        {"slug": slug, "status": status, "title": title, "description": description},
    )


def problem_index(request: HttpRequest) -> HttpResponse:
    rows = [(slug, status, title, desc) for slug, (status, title, desc) in PROBLEM_TYPES.items()]
    return render(request, "core/problems.html", {"rows": rows})


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404 for addresses no route matches: problem+json under /api/, the page elsewhere."""
    if request.path.startswith("/api/"):
        from .api import problem_response

        return problem_response(
            request, "not-found", "There is nothing here, or you may not see it."
        )
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        from .api import problem_response

        return problem_response(
            request, "server-error", "Something failed on the server; nothing was saved."
        )
    return render(request, "500.html", status=500)
