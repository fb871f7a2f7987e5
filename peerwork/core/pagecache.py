"""HTTP caching: HEAD as GET, Cache-Control for who may keep a response, and a shared cache of
whole anonymous pages of public spaces, purged by the activity log.

A commons is read far more than it is written, and almost all reads are anonymous. Whatever an
anonymous reader may see, everybody may see, so an anonymous answer may be kept and served
again, as long as it is dropped the moment anything it shows changes. Every change is an event
in the activity log (the recorder calls `purge` after the commit), so the cache keys carry a
*generation* per space and one for the site: an event in a space gives that space a new
generation, an event of the site or of a space's own settings gives the site a new one, and
every page built on an old generation is never read again (it expires by itself). Exact,
whatever page the change shows on, for the price of one shared-cache read per request.

Only views that declare it (`cache_public`) are kept: their output depends on nothing but the
address, the language and the database, never on the clock. The cache is Django's cache
framework (`CACHES["pages"]`): files in the data directory on the embedded default, Redis when
REDIS_URL is set, so every worker and every node sees one cache and one purge. Decision 0030.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date

ALIAS = "pages"
SITE = "site"
_VERSION = "1"

View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def cache_public(view: View) -> View:
    """Declare that `view`'s anonymous answer depends only on the address, the language and
    what the log records, so the page cache may keep it until the next event purges it."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        allow(request)
        return view(request, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


def allow(request: HttpRequest) -> None:
    """The same declaration from inside a view that decides per request (the MediaWiki API
    keeps plain reads, not answers that carry the clock or the caller's address)."""
    request.page_cache_allowed = True  # type: ignore[attr-defined]


def note_public(request: HttpRequest, public: bool) -> None:
    """Say whether what this request shows is public (anyone may read its space): a signed-in
    person's copy of a public page may be kept by their browser and revalidated; anything
    else they see (members-only, personal, sealed) is `no-store`."""
    request.page_public = public  # type: ignore[attr-defined]


def enabled() -> bool:
    return bool(getattr(settings, "PEERWORK_PAGE_CACHE", True))


def _cache() -> BaseCache:
    return caches[ALIAS]


def scope_of(path: str) -> str | None:
    """The space an address belongs to (`/s/<slug>/...`), or None for the site's own pages."""
    if not path.startswith("/s/"):
        return None
    slug, _sep, _rest = path[3:].partition("/")
    return slug or None


def _generation_keys(scope: str | None) -> list[str]:
    keys = [f"gen:{SITE}"]
    if scope:
        keys.append(f"gen:s:{scope}")
    return keys


def _new_generation() -> str:
    return f"{time.time_ns():x}-{os.urandom(6).hex()}"


def purge(space_slug: str | None, *, site: bool = False) -> None:
    """Retire every kept page of a space (or, with `site` or no space, every kept page).

    A new value rather than an increment: two purges racing on a cache without atomic
    increments still each leave a generation no kept page was built on."""
    if not enabled():
        return
    value = _new_generation()
    keys = {f"gen:{SITE}": value} if site or not space_slug else {f"gen:s:{space_slug}": value}
    _cache().set_many(keys, timeout=None)


def purge_after_commit(space_slug: str | None, *, site: bool = False) -> None:
    """Purge now and again once the change is committed. The second purge is the one that
    counts: a reader that starts after it reads the new data, and one that read the old data
    filed its page under an older generation. The first lets a read inside the same
    transaction (and a test, whose transaction never commits) see the change too."""
    purge(space_slug, site=site)

    def purge_committed() -> None:
        purge(space_slug, site=site)

    purge_committed.page_cache_purge = True  # type: ignore[attr-defined]
    transaction.on_commit(purge_committed)


def clear() -> None:
    """Retire every kept page (a new site generation; never a flush, which on a shared Redis
    would also empty the job queue)."""
    purge(None, site=True)


def _is_anonymous_request(request: HttpRequest) -> bool:
    """Without a session, a bearer token or pending messages, nothing about the person can
    change the page: what they see is what every anonymous reader sees."""
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def _key(request: HttpRequest, generations: dict[str, Any], scope: str | None) -> str:
    language = translation.get_language_from_request(request)
    parts = [
        _VERSION,
        str(generations.get(f"gen:{SITE}", "")),
        str(generations.get(f"gen:s:{scope}", "")) if scope else "",
        language,
        request.scheme or "",
        request.get_host(),
        request.get_full_path(),
        "htmx" if "HTTP_HX_REQUEST" in request.META else "",
    ]
    return "page:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


class HeadMiddleware:
    """HEAD is answered wherever GET is, with GET's headers and no body: link checkers and
    crawlers ask HEAD, and every view that allows GET would otherwise refuse it with 405."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method != "HEAD":
            return self.get_response(request)
        request.method = "GET"
        request.is_head = True  # type: ignore[attr-defined]
        response = self.get_response(request)
        if response.streaming:
            response.close()
            response.streaming_content = []  # type: ignore[attr-defined]
        elif isinstance(response, HttpResponse):
            length = len(response.content)
            response.content = b""
            if response.status_code != 304:
                response["Content-Length"] = str(length)
        return response


class PageCacheMiddleware:
    """Serves kept anonymous pages, keeps new ones, and says in Cache-Control who else may.

    Anonymous answers without a cookie are `public` (a shared cache may keep them for
    PEERWORK_SHARED_MAX_AGE seconds, then revalidates with the ETag); answers to a signed-in
    person are `private, no-store`, except pages of public spaces (`private, no-cache`: the
    browser may keep them but asks again each time).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method != "GET" or not enabled():
            return self.get_response(request)
        scope = scope_of(request.path)
        key = None
        if scope is not None and _is_anonymous_request(request):
            cache = _cache()
            generations = cache.get_many(_generation_keys(scope))
            key = _key(request, generations, scope)
            kept = cache.get(key)
            if kept is not None:
                return _from_kept(kept)
        response = self.get_response(request)
        self._label(request, response)
        if (
            isinstance(response, HttpResponse)
            and response.status_code == 200
            and not response.has_header("ETag")
        ):
            response["ETag"] = _etag(request, response.content)
        if key is not None and _keepable(request, response):
            assert isinstance(response, HttpResponse)
            response["Last-Modified"] = http_date()
            headers = [(k, v) for k, v in response.items() if k.lower() != "set-cookie"]
            kept = (response.status_code, headers, response.content)
            _cache().set(key, kept, timeout=settings.PEERWORK_PAGE_CACHE_SECONDS)
        return response

    def _label(self, request: HttpRequest, response: HttpResponseBase) -> None:
        if response.has_header("Cache-Control"):
            return
        user = getattr(request, "user", None)
        signed_in = bool(user is not None and user.is_authenticated)
        if signed_in:
            public = getattr(request, "page_public", False)
            response["Cache-Control"] = "private, no-cache" if public else "private, no-store"
        elif response.cookies or response.status_code not in (200, 203, 204, 301, 404, 410):
            response["Cache-Control"] = "private, no-cache"
        elif response.streaming:
            response["Cache-Control"] = "no-store"
        else:
            shared = int(getattr(settings, "PEERWORK_SHARED_MAX_AGE", 0))
            response["Cache-Control"] = f"public, max-age=0, s-maxage={shared}"
            patch_vary_headers(response, ("Accept-Language", "Cookie"))


#: A form token as pages carry it: masked afresh on every render, so it is left out of the
#: ETag, and the secret it unmasks to is put in instead.
_FORM_TOKEN = re.compile(rb'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[A-Za-z0-9]{64}')


def _etag(request: HttpRequest, content: bytes) -> str:
    """A validator for every answer, `no-store` ones too (a program holding a token may still
    ask If-None-Match). A page with forms is the same page when only the masking of its
    token differs; the token's secret counts, so a copy from before a new sign-in never
    matches."""
    digest = hashlib.blake2b(digest_size=16)
    if "CSRF_COOKIE" in request.META:
        content = _FORM_TOKEN.sub(rb"\1", content)
        digest.update(str(request.META["CSRF_COOKIE"]).encode())
    digest.update(content)
    return f'"{digest.hexdigest()}"'


def _keepable(request: HttpRequest, response: HttpResponseBase) -> bool:
    if not getattr(request, "page_cache_allowed", False) or response.status_code != 200:
        return False
    # A cookie set (a form token among them) makes the answer this reader's own.
    if response.streaming or response.cookies or not isinstance(response, HttpResponse):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    return "public" in response.get("Cache-Control", "")


def _from_kept(kept: tuple[int, list[tuple[str, str]], bytes]) -> HttpResponse:
    status, headers, content = kept
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    return response
