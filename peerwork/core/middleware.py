"""Turns the errors actions raise into the answers a person expects from a web page."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render

from .errors import ActionError, Forbidden, NotAuthenticated, NotFound, RateLimited


class RejectNulMiddleware:
    """An address or query with a NUL character is refused before any view sees it: no
    database stores NUL in text (PostgreSQL refuses it), so such a request can only fail."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query_values = (value for values in request.GET.lists() for value in values[1])
        if "\x00" in request.path or any("\x00" in value for value in query_values):
            detail = "The address contains a NUL character; remove it and try again."
            if request.path.startswith("/api/"):
                from .api import problem_response

                return problem_response(request, "malformed-request", detail)
            return HttpResponseBadRequest(detail, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class ProblemMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if request.path.startswith("/api/"):
            return None
        if isinstance(exception, NotFound):
            raise Http404(exception.detail)
        if isinstance(exception, NotAuthenticated):
            return redirect_to_login(request.get_full_path())
        if isinstance(exception, Forbidden):
            from .views import error_page

            return error_page(request, status=403, template="403.html", detail=exception.detail)
        if isinstance(exception, ActionError):
            # Views handle expected errors next to their form; one that escapes still gets a
            # message and the page it came from, never a server error.
            messages.error(request, exception.detail)
            response = render(
                request, "error.html", {"detail": exception.detail}, status=exception.status
            )
            if isinstance(exception, RateLimited):
                response["Retry-After"] = str(exception.retry_after)
            return response
        return None
