"""Search reads: only what the read policy lets the viewer see, and never deleted pages."""

from __future__ import annotations

from collections import Counter
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

from . import index
from .backends import Match, get_backend

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


#: Search everywhere ranks at most this many matches; facets count among them.
MAX_MATCHES = 1000


@dataclass(frozen=True)
class Found:
    """One result of any kind, as a person reads it."""

    kind: str
    #: The kind as a person names one ("Idea").
    kind_label: str
    title: str
    url: str
    space_slug: str | None
    space_name: str | None
    #: HTML: escaped plain text with <mark> around the matches.
    snippet: str
    rank: float


@dataclass(frozen=True)
class Facet:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class Answer:
    query: str
    results: list[Found]
    #: How many results in all, with the filters; at most MAX_MATCHES.
    total: int
    kinds: list[Facet]
    spaces: list[Facet]
    #: More than MAX_MATCHES matched: only the best were counted.
    is_capped: bool


def _kinds_asked(kinds: list[str]) -> list[str]:
    known = {kind.name for kind in index.kinds()}
    unknown = [name for name in kinds if name not in known]
    if unknown:
        raise Invalid(
            _("Unknown kind %(kind)s. Choose from: %(known)s.")
            % {"kind": unknown[0], "known": ", ".join(kind.name for kind in index.kinds())},
            field="kind",
        )
    return list(dict.fromkeys(kinds))


def _visible(user: Any, matches: list[Match]) -> list[Match]:
    """The matches whose objects the read policy lets the viewer see, in rank order."""
    by_kind: dict[str, list[int]] = {}
    for match in matches:
        by_kind.setdefault(match.kind, []).append(match.object_id)
    visible: set[tuple[str, int]] = set()
    for name, ids in by_kind.items():
        kind = index.kind_named(name)
        objects = kind.objects().filter(pk__in=ids).select_related(None)
        allowed = policy.filter(user, kind.view_action, objects).values_list("pk", flat=True)
        visible.update((name, pk) for pk in allowed)
    return [match for match in matches if (match.kind, match.object_id) in visible]


def _load(matches: list[Match]) -> dict[tuple[str, int], Any]:
    by_kind: dict[str, list[int]] = {}
    for match in matches:
        by_kind.setdefault(match.kind, []).append(match.object_id)
    objects: dict[tuple[str, int], Any] = {}
    for name, ids in by_kind.items():
        kind = index.kind_named(name)
        rows = kind.model._default_manager.filter(pk__in=ids)
        if kind.related:
            rows = rows.select_related(*kind.related)
        objects.update(((name, row.pk), row) for row in rows)
    return objects


def search_everything(
    *,
    user: Any,
    query: str,
    kinds: list[str] | None = None,
    space: Space | None = None,
    limit: int = 20,
    offset: int = 0,
) -> Answer:
    """Everything matching `query` that the viewer may see: pages, ideas, challenges, tasks,
    proposals, comments, spaces and people, best first, with counts by kind and by space.

    `kinds` and `space` narrow the results; each facet counts with the other filter applied
    (so a person sees how many of each kind a space holds, and the reverse). Counts are of
    visible things only: every match is checked against the read policy before it is counted.
    """
    query = _check_length(query, "q")
    asked = _kinds_asked(kinds or [])
    if space is not None:
        policy.require(user, "space.view", space)
    if not query:
        return Answer(query, [], 0, [], [], False)
    space_ids = list(spaces_visible(user).values_list("pk", flat=True))
    backend = get_backend()
    matches = backend.match(space_ids, query, limit=MAX_MATCHES + 1)
    is_capped = len(matches) > MAX_MATCHES
    matches = _visible(user, matches[:MAX_MATCHES])

    in_space = [m for m in matches if space is None or m.space_id == space.pk]
    of_kind = [m for m in matches if not asked or m.kind in asked]
    chosen = [m for m in in_space if not asked or m.kind in asked]

    kind_counts = Counter(m.kind for m in in_space)
    kind_facets = [
        Facet(kind.name, str(kind.label_all), kind_counts[kind.name], kind.name in asked)
        for kind in index.kinds()
        if kind_counts[kind.name] or kind.name in asked
    ]
    space_counts = Counter(m.space_id for m in of_kind if m.space_id is not None)
    if space is not None:
        space_counts.setdefault(space.pk, 0)
    named = {
        pk: (slug, name)
        for pk, slug, name in Space.objects.filter(pk__in=list(space_counts)).values_list(
            "pk", "slug", "name"
        )
    }
    space_facets = sorted(
        (
            Facet(*named[pk], count, space is not None and pk == space.pk)
            for pk, count in space_counts.items()
            if pk in named
        ),
        key=lambda facet: (-facet.count, facet.label.casefold()),
    )

    shown = chosen[offset : offset + limit]
    objects = _load(shown)
    snippets = backend.snippets([m.document_id for m in shown], query)
    results = []
    for match in shown:
        obj = objects.get((match.kind, match.object_id))
        if obj is None:
            continue
        kind = index.kind_named(match.kind)
        home = obj.space if match.space_id is not None and kind.name != "space" else None
        if kind.name == "space":
            home = obj
        results.append(
            Found(
                kind=kind.name,
                kind_label=str(kind.label_one),
                title=kind.title(obj),
                url=kind.url(obj),
                space_slug=home.slug if home is not None else None,
                space_name=home.name if home is not None else None,
                snippet=snippets.get(match.document_id, ""),
                rank=match.rank,
            )
        )
    return Answer(query, results, len(chosen), kind_facets, space_facets, is_capped)
