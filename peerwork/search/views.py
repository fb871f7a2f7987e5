"""Search pages: the same selectors as the API, with a title autocomplete for the search box."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from peerwork.core.errors import Invalid
from peerwork.spaces.models import Space
from peerwork.spaces.selectors import space_get_visible
from peerwork.wiki.rendering import page_url
from peerwork.wiki.selectors import page_find
from peerwork.wiki.titles import TitleError, normalize_title

from .selectors import complete_titles, search_pages

PER_PAGE = 20


def _offset(request: HttpRequest) -> int:
    raw = request.GET.get("offset", "0")
    return min(int(raw), 1000) if raw.isdigit() else 0


def _results(request: HttpRequest, space: Space | None) -> HttpResponse:
    query = request.GET.get("q", "")
    offset = _offset(request)
    context: dict[str, object] = {"space": space, "query": query, "offset": offset}
    status = 200
    try:
        results = search_pages(
            user=request.user, query=query, space=space, limit=PER_PAGE + 1, offset=offset
        )
    except Invalid as error:
        results, status = [], 422
        context["error"] = error.detail
    # result.title already carries its namespace prefix, so it is passed as a main-space title.
    context["results"] = [
        (result, page_url(result.space_slug, 0, result.title)) for result in results[:PER_PAGE]
    ]
    context["next_offset"] = offset + PER_PAGE if len(results) > PER_PAGE else None
    context["previous_offset"] = max(offset - PER_PAGE, 0) if offset else None
    if space is not None and query.strip() and status == 200:
        context["exact"] = _exact_page(request, space, query)
    return render(request, "search/results.html", context, status=status)


def _exact_page(request: HttpRequest, space: Space, query: str) -> str | None:
    """A page titled exactly as typed: offered first, as MediaWiki's "Go" does."""
    try:
        namespace, title = normalize_title(
            query, capitalize=space.policy.get("capitalize_titles", True)
        )
    except TitleError:
        return None
    page = page_find(user=request.user, space=space, title=query)
    return page_url(space.slug, namespace, title) if page is not None else None


@require_GET
def search_everywhere(request: HttpRequest) -> HttpResponse:
    return _results(request, None)


@require_GET
def search_space(request: HttpRequest, slug: str) -> HttpResponse:
    return _results(request, space_get_visible(user=request.user, slug=slug))


@require_GET
def autocomplete(request: HttpRequest, slug: str) -> HttpResponse:
    """<option>s for the search box's datalist (htmx swaps them in as the person types)."""
    space = space_get_visible(user=request.user, slug=slug)
    prefix = request.GET.get("q", "")[:300]
    try:
        titles = complete_titles(user=request.user, prefix=prefix, space=space, limit=10)
    except Invalid:
        titles = []
    return render(request, "search/_options.html", {"titles": titles})
