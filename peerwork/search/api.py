"""REST endpoints of search: everything the viewer may see, one space's pages, and title
autocomplete."""

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


class EverythingParams(Schema):
    model_config = ConfigDict(extra="forbid")

    q: str = Field(
        "",
        max_length=2000,
        description='Words; "a phrase"; -word to exclude; OR between alternatives.',
    )
    kind: list[str] = Field(
        default_factory=list,
        max_length=10,
        description="Only these kinds (repeat the parameter): page, idea, challenge, task, "
        "proposal, comment, space, person.",
    )
    space: str = Field("", max_length=100, description="Only in the space with this slug.")
    limit: int = Field(20, ge=1, le=50, description="How many results, 1 to 50.")
    offset: int = Field(0, ge=0, le=1000, description="Skip this many results, up to 1000.")


class FoundOut(Schema):
    kind: str = Field(..., description="page, idea, challenge, task, proposal, comment, ...")
    kind_label: str = Field(..., description="The kind in the reader's language.")
    title: str
    url: str = Field(..., description="Where it is shown on the site.")
    space: str | None = Field(None, description="The slug of its space; none for people.")
    space_name: str | None = None
    snippet: str = Field(..., description="HTML: escaped plain text; matches are in <mark>.")
    rank: float


class FacetOut(Schema):
    value: str = Field(..., description="Pass as `kind` or `space` to filter by it.")
    label: str
    count: int = Field(..., description="How many visible results, with the other filter.")
    selected: bool


class FacetsOut(Schema):
    kinds: list[FacetOut]
    spaces: list[FacetOut]


class EverythingOut(Schema):
    items: list[FoundOut]
    total: int = Field(..., description="How many results with these filters.")
    facets: FacetsOut
    next_offset: int | None = Field(None, description="Pass as `offset` for more results.")
    is_capped: bool = Field(
        ..., description="More matched than are counted: only the best 1000 are."
    )


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


def kinds_of(values: list[str]) -> list[str]:
    """Kinds as repeated parameters or comma-separated, blanks ignored."""
    return [name.strip() for value in values for name in value.split(",") if name.strip()]


@router.get(
    "/search",
    response=EverythingOut,
    summary="Search everything you may see: pages, ideas, challenges, tasks, proposals, "
    "comments, spaces and people",
)
def search_everywhere(request: HttpRequest, params: Query[EverythingParams]) -> Any:
    answer = selectors.search_everything(
        user=request.user,
        query=params.q,
        kinds=kinds_of(params.kind),
        space=space_get_visible(user=request.user, slug=params.space) if params.space else None,
        limit=params.limit,
        offset=params.offset,
    )
    more = params.offset + params.limit < answer.total
    return {
        "items": [
            {
                "kind": found.kind,
                "kind_label": found.kind_label,
                "title": found.title,
                "url": found.url,
                "space": found.space_slug,
                "space_name": found.space_name,
                "snippet": found.snippet,
                "rank": found.rank,
            }
            for found in answer.results
        ],
        "total": answer.total,
        "facets": {"kinds": answer.kinds, "spaces": answer.spaces},
        "next_offset": params.offset + params.limit if more else None,
        "is_capped": answer.is_capped,
    }


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
