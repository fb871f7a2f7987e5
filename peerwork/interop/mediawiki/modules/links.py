"""prop=links (what a page links to) and list=backlinks (what links here), also as generators.

Both read the links table that every save keeps up to date. The pages come from the page set
or from `selectors.links_here`, so they are pages the viewer may see; the endpoint answers
nothing at all in a space the viewer may not see.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from peerwork.core.errors import Invalid, NotFound
from peerwork.wiki import selectors
from peerwork.wiki.actions import parse_title
from peerwork.wiki.models import Link

from ..context import Ctx, full_title
from ..errors import ApiError, bad_value
from .lists import GENERATORS, LIST_MODULES, ListResult, _namespaces
from .pages import PROP_MODULES, PageSet, build_pageset


def _links_of(ctx: Ctx, pageset: PageSet, p: str) -> tuple[list[Link], dict[str, str]]:
    """The links of the page set's pages in MediaWiki's order (from, namespace, title), one
    batch of `<p>limit`, and the continuation for the next."""
    params = ctx.params
    ids = [entry.page.pk for entry in pageset.existing if entry.page is not None]
    links = Link.objects.filter(from_page_id__in=ids)
    namespaces = _namespaces(ctx, p + "namespace")
    if namespaces:
        links = links.filter(namespace__in=namespaces)
    wanted = params.values(p + "titles")
    if wanted:
        assert ctx.space is not None
        pairs = Q(pk__in=[])
        for raw in wanted:
            try:
                namespace, title = parse_title(ctx.space, raw)
            except Invalid:
                continue
            pairs |= Q(namespace=namespace, title=title)
        links = links.filter(pairs)
    descending = params.choice(p + "dir", ("ascending", "descending"), "ascending") == "descending"
    raw = params.text(p + "continue")
    if raw:
        parts = raw.split("|", 2)
        if len(parts) != 3 or not parts[0].isdigit() or not parts[1].lstrip("-").isdigit():
            raise bad_value(p + "continue", raw)
        page_id, namespace, title = int(parts[0]), int(parts[1]), parts[2].replace("_", " ")
        if descending:
            after = (
                Q(from_page_id__lt=page_id)
                | Q(from_page_id=page_id, namespace__lt=namespace)
                | Q(from_page_id=page_id, namespace=namespace, title__lte=title)
            )
        else:
            after = (
                Q(from_page_id__gt=page_id)
                | Q(from_page_id=page_id, namespace__gt=namespace)
                | Q(from_page_id=page_id, namespace=namespace, title__gte=title)
            )
        links = links.filter(after)
    order = ("from_page_id", "namespace", "title")
    links = links.order_by(*(f"-{key}" for key in order) if descending else order)
    limit = params.limit(p + "limit", ctx, default=10, maximum=500)
    rows = list(links[: limit + 1])
    cont: dict[str, str] = {}
    if len(rows) > limit:
        following = rows[limit]
        title = following.title.replace(" ", "_")
        cont[p + "continue"] = f"{following.from_page_id}|{following.namespace}|{title}"
        rows = rows[:limit]
    return rows, cont


def prop_links(ctx: Ctx, pageset: PageSet, cont: dict[str, Any]) -> None:
    rows, more = _links_of(ctx, pageset, "pl")
    cont.update(more)
    by_page: dict[int, list[dict[str, Any]]] = {}
    for link in rows:
        by_page.setdefault(link.from_page_id, []).append(
            {"ns": link.namespace, "title": full_title(link.namespace, link.title)}
        )
    for entry in pageset.existing:
        assert entry.page is not None
        found = by_page.get(entry.page.pk)
        if found:
            entry.extra["links"] = found


def links_generator(ctx: Ctx, p: str) -> ListResult:
    """generator=links: the pages the given titles link to. Titles with no page yet are
    answered as missing, as MediaWiki does."""
    source = build_pageset(ctx)
    rows, cont = _links_of(ctx, source, p)
    assert ctx.space is not None
    targets = {(link.namespace, link.title) for link in rows}
    found = selectors.pages_visible_by_key(user=ctx.user, space=ctx.space, keys=targets)
    pages = [found[key] for key in sorted(found)]
    missing = [full_title(ns, title) for ns, title in sorted(targets - set(found))]
    return ListResult([], pages, cont, missing_titles=missing)


def _target(ctx: Ctx, p: str) -> tuple[int, str]:
    params = ctx.params
    assert ctx.space is not None
    if params.has(p + "title") and params.has(p + "pageid"):
        raise ApiError(
            "invalidparammix", f'The parameters "{p}title", "{p}pageid" can not be used together.'
        )
    if params.has(p + "pageid"):
        page_id = params.integer(p + "pageid")
        try:
            page = selectors.page_get_visible_by_id(user=ctx.user, space=ctx.space, page_id=page_id)
        except NotFound:
            raise ApiError("nosuchpageid", f"There is no page with ID {page_id}.") from None
        return page.namespace, page.title
    raw = params.text(p + "title")
    if not raw:
        raise ApiError(
            "missingparam", f'One of the parameters "{p}title", "{p}pageid" is required.'
        )
    try:
        return parse_title(ctx.space, raw)
    except Invalid as error:
        raise ApiError("invalidtitle", f'Bad title "{raw}": {error.detail}') from None


def backlinks(ctx: Ctx, p: str) -> ListResult:
    """list=backlinks: the pages linking to a title (whether or not a page is there), ordered
    by namespace and page id as MediaWiki orders them."""
    params = ctx.params
    assert ctx.space is not None
    namespace, title = _target(ctx, p)
    pages = selectors.links_here(user=ctx.user, space=ctx.space, title=full_title(namespace, title))
    namespaces = _namespaces(ctx, p + "namespace")
    if namespaces:
        pages = pages.filter(namespace__in=namespaces)
    redirects = params.choice(p + "filterredir", ("all", "redirects", "nonredirects"), "all")
    if redirects != "all":
        pages = pages.filter(is_redirect=redirects == "redirects")
    descending = params.choice(p + "dir", ("ascending", "descending"), "ascending") == "descending"
    raw = params.text(p + "continue")
    if raw:
        ns_text, bar, id_text = raw.rpartition("|")
        if not bar or not ns_text.lstrip("-").isdigit() or not id_text.isdigit():
            raise bad_value(p + "continue", raw)
        ns, page_id = int(ns_text), int(id_text)
        if descending:
            pages = pages.filter(Q(namespace__lt=ns) | Q(namespace=ns, pk__lte=page_id))
        else:
            pages = pages.filter(Q(namespace__gt=ns) | Q(namespace=ns, pk__gte=page_id))
    pages = pages.order_by(*(("-namespace", "-id") if descending else ("namespace", "id")))
    limit = params.limit(p + "limit", ctx, default=10, maximum=500)
    found = list(pages[: limit + 1])
    cont: dict[str, str] = {}
    if len(found) > limit:
        cont[p + "continue"] = f"{found[limit].namespace}|{found[limit].pk}"
        found = found[:limit]
    rows = []
    for page in found:
        row: dict[str, Any] = {
            "pageid": page.pk,
            "ns": page.namespace,
            "title": full_title(page.namespace, page.title),
        }
        if page.is_redirect:
            ctx.set_flag(row, "redirect", True)
        rows.append(row)
    return ListResult(rows, found, cont)


# Registered with the query modules here, where they are defined (links.py reads the page set
# that pages.py builds, so pages.py cannot import it).
PROP_MODULES["links"] = prop_links
LIST_MODULES["backlinks"] = ("bl", backlinks)
GENERATORS["backlinks"] = ("bl", backlinks)
GENERATORS["links"] = ("pl", links_generator)
