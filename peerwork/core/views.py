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
