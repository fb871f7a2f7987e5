"""Search pages: one results page for everything, with facets; the same selector as the API."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from peerwork.core.errors import Invalid
from peerwork.spaces.models import Space
from peerwork.spaces.selectors import space_get_visible
from peerwork.wiki.rendering import page_url
from peerwork.wiki.selectors import page_find
from peerwork.wiki.titles import TitleError, normalize_title

from .api import kinds_of
from .selectors import Answer, complete_titles, search_everything

PER_PAGE = 20


def _offset(request: HttpRequest) -> int:
    raw = request.GET.get("offset", "0")
    return min(int(raw), 1000) if raw.isdigit() else 0


def _address(query: str, kinds: list[str], space: str, offset: int = 0) -> str:
    """The results page for these filters; facets and pages link to it."""
    params: list[tuple[str, str]] = [("q", query)]
    params += [("kind", kind) for kind in kinds]
    if space:
        params.append(("space", space))
    if offset:
        params.append(("offset", str(offset)))
    return f"{reverse('search:everywhere')}?{urlencode(params)}"


@require_GET
def search_everywhere(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    kinds = kinds_of(request.GET.getlist("kind"))
    slug = request.GET.get("space", "").strip()
    space = space_get_visible(user=request.user, slug=slug) if slug else None
    offset = _offset(request)
    context: dict[str, object] = {
        "search_query": query,
        "query": query.strip(),
        "search_space": space,
        "offset": offset,
    }
    status = 200
    try:
        answer = search_everything(
            user=request.user,
            query=query,
            kinds=kinds,
            space=space,
            limit=PER_PAGE,
            offset=offset,
        )
    except Invalid as error:
        answer, status = Answer(query, [], 0, [], [], False), 422
        context["error"] = error.detail
        kinds = []
    slug = space.slug if space is not None else ""
    q = query.strip()
    context.update(
        answer=answer,
        kind_links=[
            (
                facet,
                _address(
                    q,
                    [k for k in kinds if k != facet.value]
                    if facet.selected
                    else [*kinds, facet.value],
                    slug,
                ),
            )
            for facet in answer.kinds
        ],
        space_links=[
            (facet, _address(q, kinds, "" if facet.selected else facet.value))
            for facet in answer.spaces
        ],
        is_filtered=bool(kinds or slug),
        unfiltered=_address(q, [], ""),
        next_page=_address(q, kinds, slug, offset + PER_PAGE)
        if offset + PER_PAGE < answer.total
        else None,
        previous_page=_address(q, kinds, slug, max(offset - PER_PAGE, 0)) if offset else None,
    )
    if space is not None and q and status == 200 and not offset:
        context["exact"] = _exact_page(request, space, q)
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
def search_space(request: HttpRequest, slug: str) -> HttpResponse:
    """The old address of a space's search: the one results page, filtered to the space."""
    space = space_get_visible(user=request.user, slug=slug)
    kinds = kinds_of(request.GET.getlist("kind"))
    return HttpResponseRedirect(
        _address(request.GET.get("q", "").strip(), kinds, space.slug, _offset(request))
    )


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
