"""The browser-side security headers Django's SecurityMiddleware does not send.

Content-Security-Policy keeps a script or a style that slipped into a page (a wiki page, a
comment, a name) from running: only files served by peerwork itself may script or style a
page, and nothing inline. Permissions-Policy switches off the browser features peerwork never
uses, so an injected script could not ask for them either. See docs/security.md and
docs/decisions/0032-content-security-policy.md.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from django.conf import settings
from django.http import HttpRequest, HttpResponse

#: The policy every answer carries; settings.PEERWORK_CSP_IMG_SOURCES may add image hosts.
DEFAULT_CSP: dict[str, list[str]] = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}

#: Browser features no peerwork page uses; `()` allows them to no one, not even the page.
DEFAULT_PERMISSIONS_POLICY: dict[str, str] = {
    "accelerometer": "()",
    "camera": "()",
    "display-capture": "()",
    "geolocation": "()",
    "gyroscope": "()",
    "magnetometer": "()",
    "microphone": "()",
    "midi": "()",
    "payment": "()",
    "usb": "()",
}


def format_csp(policy: Mapping[str, Sequence[str]]) -> str:
    """The header value: directives in a stable order, one `; ` between them."""
    return "; ".join(" ".join([name, *sources]) for name, sources in policy.items())


def format_permissions_policy(policy: Mapping[str, str]) -> str:
    return ", ".join(f"{feature}={allow}" for feature, allow in policy.items())


class SecurityHeadersMiddleware:
    """Adds Content-Security-Policy and Permissions-Policy to every answer that has none.

    Every answer, not only HTML: an SVG or a download opened directly is a document too, and
    the policy costs nothing on JSON. A view that needs another policy sets its own header.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        csp = {name: list(sources) for name, sources in DEFAULT_CSP.items()}
        csp["img-src"] += getattr(settings, "PEERWORK_CSP_IMG_SOURCES", [])
        self.csp = format_csp(csp)
        self.permissions_policy = format_permissions_policy(DEFAULT_PERMISSIONS_POLICY)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.csp)
        response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        return response
