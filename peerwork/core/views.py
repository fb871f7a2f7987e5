"""Pages of the shell itself: the home page and the problem-type documentation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from .errors import PROBLEM_TYPES
from .help import markup_examples
from .home import sections_for

#: Context the home page shows, each part given by the app that owns it (registered from its
#: apps.py with `register_site_home`), so the shell imports no app.
_SITE_HOME: list[Callable[[HttpRequest], dict[str, Any]]] = []


def register_site_home(context: Callable[[HttpRequest], dict[str, Any]]) -> None:
    """Add `context(request)` to the home page's template context."""
    if context not in _SITE_HOME:
        _SITE_HOME.append(context)


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """A signed-in person's own home (core/home.py); the site's front door for everyone else."""
    if request.user.is_authenticated:
        return render(request, "core/home_personal.html", {"sections": sections_for(request)})
    context: dict[str, Any] = {}
    for part in _SITE_HOME:
        context.update(part(request))
    return render(request, "core/home.html", context)


@require_safe
def problem_type(request: HttpRequest, slug: str) -> HttpResponse:
    if slug not in PROBLEM_TYPES:
        raise Http404()
    status, title, description = PROBLEM_TYPES[slug]
    return render(
        request,
        "core/problem.html",
        {"slug": slug, "status": status, "title": title, "description": description},
    )


@require_safe
def markup_help(request: HttpRequest) -> HttpResponse:
    """How to write pages and comments, with examples rendered by the one renderer."""
    return render(request, "core/help_markup.html", {"examples": markup_examples()})


@require_safe
def problem_index(request: HttpRequest) -> HttpResponse:
    rows = [(slug, status, title, desc) for slug, (status, title, desc) in PROBLEM_TYPES.items()]
    return render(request, "core/problems.html", {"rows": rows})


def error_page(
    request: HttpRequest, *, status: int, template: str, detail: str | None = None
) -> HttpResponse:
    """An error page that reads neither the database nor the session, so it renders whatever
    broke (a database that is down included), in the language already chosen for the request.

    Whether to offer "Log out" is told by the person the request already resolved, if any, or
    else by the session cookie alone."""
    from django.conf import settings
    from django.middleware.csrf import get_token
    from django.template import loader
    from django.utils.functional import empty
    from django.utils.translation import get_language

    user = getattr(request, "user", None)
    resolved = getattr(user, "_wrapped", user)
    if resolved is not None and resolved is not empty:
        signed_in = bool(resolved.is_authenticated)
    else:
        signed_in = settings.SESSION_COOKIE_NAME in request.COOKIES
    language = get_language() or settings.LANGUAGE_CODE
    context = {
        "detail": detail,
        "signed_in": signed_in,
        "csrf_token": get_token(request),
        "LANGUAGE_CODE": language,
        "next_path": request.get_full_path(),
    }
    body = loader.get_template(template).render(context)
    return HttpResponse(body, status=status, content_type="text/html; charset=utf-8")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404 for addresses no route matches: problem+json under /api/, the page elsewhere."""
    if request.path.startswith("/api/"):
        from .api import problem_response

        return problem_response(
            request, "not-found", "There is nothing here, or you may not see it."
        )
    return error_page(request, status=404, template="404.html")


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """400 for requests Django refuses before any view (a Host header it does not serve, say):
    problem+json under /api/, like every other API error, and the page elsewhere."""
    if request.path.startswith("/api/"):
        from .api import problem_response

        return problem_response(
            request,
            "malformed-request",
            gettext(
                "The request could not be understood: a part of it, such as the address "
                "it was sent to, is not valid."
            ),
        )
    return error_page(request, status=400, template="400.html")


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        from .api import problem_response

        return problem_response(request, "forbidden", "You may not do this.")
    return error_page(request, status=403, template="403.html")


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        from .api import problem_response

        return problem_response(
            request, "server-error", "Something failed on the server; nothing was saved."
        )
    return error_page(request, status=500, template="500.html")
