"""Search reads: only pages of spaces the viewer may see, and never deleted ones."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from peerwork.core import policy
from peerwork.core.errors import Invalid
from peerwork.spaces.models import Space
from peerwork.spaces.selectors import spaces_visible
from peerwork.wiki.models import Page
from peerwork.wiki.policy import standing
from peerwork.wiki.titles import title_text

from .backends import get_backend

MAX_QUERY_CHARS = 300


@dataclass(frozen=True)
class Result:
    page_id: int
    space_slug: str
    namespace: int
    #: The full title, with its namespace prefix ("Help:Editing").
    title: str
    #: HTML: escaped page text with <mark> around the matches.
    snippet: str
    #: Higher is better; comparable only within one answer (each database scores its own way).
    rank: float


@dataclass(frozen=True)
class Completion:
    page_id: int
    namespace: int
    title: str


def _space_ids(user: Any, space: Space | None) -> list[int]:
    if space is not None:
        policy.require(user, "space.view", space)
        return [space.pk]
    return list(spaces_visible(user).values_list("pk", flat=True))


def _check_length(text: str, field: str) -> str:
    if len(text) > MAX_QUERY_CHARS:
        raise Invalid(
            _(
                "A search may be at most %(limit)d characters; this one has %(count)d. "
                "Use fewer words."
            )
            % {"limit": MAX_QUERY_CHARS, "count": len(text)},
            field=field,
        )
    return text.strip()


def _visible_pages(page_ids: list[int], space_ids: list[int]) -> dict[int, Page]:
    """The pages behind index hits that still stand, in the spaces the policy lets the viewer
    see (the index may lag a deletion by a moment).

    Looked up by key and checked against the space ids here: filtering on space in SQL invites
    the planner to walk the space's listing index instead of fetching twenty rows.
    """
    allowed = set(space_ids)
    pages = (
        standing(Page.objects.filter(pk__in=page_ids))
        .select_related("space")
        .only("namespace", "title", "space_id", "space__slug")
    )
    return {page.pk: page for page in pages if page.space_id in allowed}


def search_pages(
    *,
    user: Any,
    query: str,
    space: Space | None = None,
    namespace: int | None = None,
    limit: int = 20,
    offset: int = 0,
) -> list[Result]:
    """Pages matching `query` (words, "phrases", -excluded, OR), best first.

    With `space`, that space only (not found if the viewer may not see it); without, every
    space the viewer may see. A blank query finds nothing.
    """
    query = _check_length(query, "q")
    space_ids = _space_ids(user, space)
    if not query:
        return []
    hits = get_backend().search(space_ids, query, namespace=namespace, limit=limit, offset=offset)
    pages = _visible_pages([hit.page_id for hit in hits], space_ids)
    return [
        Result(
            page_id=hit.page_id,
            space_slug=page.space.slug,
            namespace=page.namespace,
            title=title_text(page.namespace, page.title),
            snippet=hit.snippet,
            rank=hit.rank,
        )
        for hit in hits
        if (page := pages.get(hit.page_id)) is not None
    ]


def complete_titles(*, user: Any, prefix: str, space: Space, limit: int = 10) -> list[Completion]:
    """Titles in `space` holding the prefix's words, the last one as a word prefix."""
    prefix = _check_length(prefix, "prefix")
    space_ids = _space_ids(user, space)
    if not prefix:
        return []
    page_ids = get_backend().complete(space_ids, prefix, limit)
    pages = _visible_pages(page_ids, space_ids)
    return [
        Completion(page_id, page.namespace, title_text(page.namespace, page.title))
        for page_id in page_ids
        if (page := pages.get(page_id)) is not None
    ]
