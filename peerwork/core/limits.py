"""One door for rate limits and sign-in throttling.

Actions that a person may repeat too fast (an edit, a comment, a support, a sign-up, an API
token) ask `hit()` inside their transaction; sign-in forms count each attempt with
`login_attempt()` before they check the password, and report a success with
`login_succeeded()`. A refusal is `RateLimited` (problem type "rate-limited", HTTP 429 with
Retry-After). The limiter itself
registers from its app's `apps.py` (peerwork/abuse), so core knows none of it; without one
registered nothing is limited.

The client's address reaches the actions without passing through every signature:
`ClientAddressMiddleware` keeps it for the length of the request, as Django keeps the language.
It is REMOTE_ADDR, or, behind the proxy that deploy/nginx.conf configures (which overwrites
X-Forwarded-For with the address it saw), that header's last entry.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, Protocol

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from .errors import RateLimited

_address: ContextVar[str | None] = ContextVar("peerwork_client_address", default=None)


def client_address(request: HttpRequest) -> str:
    """The address of the client that sent `request`."""
    if getattr(settings, "PEERWORK_TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.split(",")[-1].strip()
        if last:
            return last
    return str(request.META.get("REMOTE_ADDR", "") or "")


def current_address() -> str | None:
    """The client address of the request being answered, or None (a command, a job)."""
    return _address.get()


class using_address:  # noqa: N801  (used as a context manager, like translation.override)
    """Answer as if a request came from `address` (commands that replay requests, tests)."""

    def __init__(self, address: str | None) -> None:
        self.address = address

    def __enter__(self) -> None:
        self._token = _address.set(self.address)

    def __exit__(self, *_exc: Any) -> None:
        _address.reset(self._token)


class ClientAddressMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _address.set(client_address(request))
        try:
            return self.get_response(request)
        finally:
            _address.reset(token)


class Limiter(Protocol):
    def hit(self, kind: str, *, user: Any, space: Any, address: str | None) -> None: ...

    def login_attempt(self, *, username: str, address: str | None) -> None: ...

    def login_succeeded(self, *, username: str, address: str | None) -> None: ...


_limiter: list[Limiter] = []


def register(limiter: Limiter) -> None:
    _limiter[:] = [limiter]


def hit(kind: str, *, user: Any, space: Any = None) -> None:
    """Count one `kind` ("edit", "comment", "support", "signup", "token") by `user` (in `space`);
    raise RateLimited, changing nothing, when a limit is reached. Call it inside the action's
    transaction: a refused or failed action then counts nothing."""
    for limiter in _limiter:
        limiter.hit(kind, user=user, space=space, address=current_address())


def login_attempt(*, username: str) -> None:
    """Count a sign-in attempt to `username` from this address, before the password is checked;
    raise RateLimited (nothing counted) while that account or this address is throttled."""
    for limiter in _limiter:
        limiter.login_attempt(username=username, address=current_address())


def login_succeeded(*, username: str) -> None:
    """The attempt succeeded: the account's failures are forgiven, the address's are not."""
    for limiter in _limiter:
        limiter.login_succeeded(username=username, address=current_address())


__all__ = [
    "ClientAddressMiddleware",
    "RateLimited",
    "client_address",
    "current_address",
    "hit",
    "login_attempt",
    "login_succeeded",
    "register",
    "using_address",
]
