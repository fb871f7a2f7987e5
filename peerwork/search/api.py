"""REST endpoints of search: one space, every visible space, and title autocomplete."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import ConfigDict, Field

from peerwork.spaces.selectors import space_get_visible

from . import selectors

router = Router(tags=["search"])


class SearchParams(Schema):
    model_config = ConfigDict(extra="forbid")

    # Longer than the 300 the selector allows, so an over-long query gets its clear message.
    q: str = Field(
        "",
        max_length=2000,
        description='Words; "a phrase"; -word to exclude; OR between alternatives.',
    )
    namespace: int | None = Field(None, ge=0, le=10000)
    limit: int = Field(20, ge=1, le=50, description="How many results, 1 to 50.")
    offset: int = Field(0, ge=0, le=1000, description="Skip this many results, up to 1000.")


class AutocompleteParams(Schema):
    model_config = ConfigDict(extra="forbid")

    prefix: str = Field("", max_length=2000, description="The start of a title.")
    limit: int = Field(10, ge=1, le=20)


class ResultOut(Schema):
    title: str
    namespace: int
    space: str = Field(..., description="The space's slug.")
    snippet: str = Field(..., description="HTML: escaped text; matches are in <mark>.")
    rank: float


class SearchOut(Schema):
    items: list[ResultOut]
    next_offset: int | None = Field(None, description="Pass as `offset` for more results.")


class CompletionOut(Schema):
    title: str
    namespace: int


class AutocompleteOut(Schema):
    items: list[CompletionOut]


def _search(request: HttpRequest, params: SearchParams, space: Any = None) -> dict[str, Any]:
    results = selectors.search_pages(
        user=request.user,
        query=params.q,
        space=space,
        namespace=params.namespace,
        limit=params.limit + 1,
        offset=params.offset,
    )
    more = len(results) > params.limit
    return {
        "items": [
            {
                "title": result.title,
                "namespace": result.namespace,
                "space": result.space_slug,
                "snippet": result.snippet,
                "rank": result.rank,
            }
            for result in results[: params.limit]
        ],
        "next_offset": params.offset + params.limit if more else None,
    }


@router.get("/search", response=SearchOut, summary="Search the pages of every space you may see")
def search_everywhere(request: HttpRequest, params: Query[SearchParams]) -> Any:
    return _search(request, params)


@router.get("/spaces/{slug}/search", response=SearchOut, summary="Search a space's pages")
def search_space(request: HttpRequest, slug: str, params: Query[SearchParams]) -> Any:
    return _search(request, params, space_get_visible(user=request.user, slug=slug))


@router.get(
    "/spaces/{slug}/autocomplete", response=AutocompleteOut, summary="Page titles by prefix"
)
def autocomplete(request: HttpRequest, slug: str, params: Query[AutocompleteParams]) -> Any:
    completions = selectors.complete_titles(
        user=request.user,
        prefix=params.prefix,
        space=space_get_visible(user=request.user, slug=slug),
        limit=params.limit,
    )
    return {"items": [{"title": c.title, "namespace": c.namespace} for c in completions]}
