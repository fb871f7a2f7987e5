"""Bearer tokens for programs, and each person's language and time zone for pages."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation


class TokenAuthenticationMiddleware:
    """`Authorization: Bearer pw_...` signs the request in as the token's owner.

    A request with a bad token stays anonymous and is marked, so the API answers 401
    with `invalid-token` rather than quietly treating it as a guest.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from .actions import token_authenticate

        request.api_token = None  # type: ignore[attr-defined]
        request.api_token_invalid = False  # type: ignore[attr-defined]
        header = request.headers.get("Authorization", "")
        scheme, _sep, credential = header.partition(" ")
        if scheme.lower() == "bearer" and credential.strip():
            token = token_authenticate(credential.strip())
            if token is None:
                request.api_token_invalid = True  # type: ignore[attr-defined]
                from django.contrib.auth.models import AnonymousUser

                request.user = AnonymousUser()
            else:
                request.user = token.user
                request.api_token = token  # type: ignore[attr-defined]
                # A bearer token is not ambient authority, so CSRF does not apply.
                request._dont_enforce_csrf_checks = True  # type: ignore[attr-defined]
        return self.get_response(request)


class UserPreferencesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        try:
            person = user if user.is_authenticated else None
        except DatabaseError:
            # The person cannot be read (the database is down): the request goes on in the
            # browser's language, so the error page and the language switch still work.
            person = None
        if person is not None:
            try:
                timezone.activate(zoneinfo.ZoneInfo(person.time_zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
            if person.language:
                translation.activate(person.language)
                request.LANGUAGE_CODE = person.language  # type: ignore[attr-defined]
        else:
            timezone.deactivate()
        response = self.get_response(request)
        timezone.deactivate()
        return response
