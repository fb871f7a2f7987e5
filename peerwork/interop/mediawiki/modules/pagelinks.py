"""prop=extlinks, prop=images, prop=linkshere and generator=categories: more of what a page
links to and is linked from, read from the tables every save keeps (wiki links, external
links, categories) for the pages of the query's page set, which are pages the viewer may see.
"""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Q

from peerwork.wiki import selectors
from peerwork.wiki.extlinks import PROTOCOLS
from peerwork.wiki.titles import CATEGORY_NAMESPACE, FILE_NAMESPACE

from ..context import Ctx, full_title
from ..errors import bad_value
from .lists import GENERATORS, LIST_MODULES, ListResult, _namespaces
from .pages import PROP_MODULES, PageSet, build_pageset

#: What `elprotocol` accepts: each protocol's name, and "" for all of them.
PROTOCOL_NAMES = ("", *(protocol.rstrip(":/") for protocol in PROTOCOLS))


def _page_ids(pageset: PageSet) -> list[int]:
    return [entry.page.pk for entry in pageset.existing if entry.page is not None]


def _continue_pair(ctx: Ctx, name: str) -> tuple[int, int] | None:
    raw = ctx.params.text(name)
    if not raw:
        return None
    first, bar, second = raw.partition("|")
    if not bar or not first.isdigit() or not second.isdigit():
        raise bad_value(name, raw)
    return int(first), int(second)


def _query_filter(protocol: str, query: str) -> Q:
    """MediaWiki's `elquery`: an address without its protocol, matched from its start; a
    leading `*.` stands for any subdomain."""
    prefix = next((p for p in PROTOCOLS if p.rstrip(":/") == protocol), "http://")
    if query.startswith("*."):
        domain, _slash, rest = query[2:].partition("/")
        pattern = (
            "^"
            + re.escape(prefix)
            + r"([^/?#]*\.)?"
            + re.escape(domain)
            + (re.escape("/" + rest) if rest else r"([/:?#]|$)")
        )
        return Q(url__iregex=pattern)
    return Q(url__istartswith=prefix + query)


def prop_extlinks(ctx: Ctx, pageset: PageSet, cont: dict[str, Any]) -> None:
    """prop=extlinks: `elprotocol`, `elquery`, `ellimit`, `elcontinue`; `elexpandurl` changes
    nothing, as peerwork keeps no protocol-relative address to expand."""
    params = ctx.params
    protocol = params.choice("elprotocol", PROTOCOL_NAMES, "")
    query = params.text("elquery") or ""
    links = selectors.external_links(page_ids=_page_ids(pageset))
    if query:
        links = links.filter(_query_filter(protocol, query))
    elif protocol:
        prefix = next(p for p in PROTOCOLS if p.rstrip(":/") == protocol)
        links = links.filter(url__istartswith=prefix)
    after = _continue_pair(ctx, "elcontinue")
    if after is not None:
        links = links.filter(
            Q(from_page_id__gt=after[0]) | Q(from_page_id=after[0], pk__gte=after[1])
        )
    limit = params.limit("ellimit", ctx, default=10, maximum=500)
    rows = list(links[: limit + 1])
    if len(rows) > limit:
        cont["elcontinue"] = f"{rows[limit].from_page_id}|{rows[limit].pk}"
        rows = rows[:limit]
    key = "url" if ctx.fv2 else "*"
    by_page: dict[int, list[dict[str, Any]]] = {}
    for link in rows:
        by_page.setdefault(link.from_page_id, []).append({key: link.url})
    for entry in pageset.existing:
        assert entry.page is not None
        if entry.page.pk in by_page:
            entry.extra["extlinks"] = by_page[entry.page.pk]


def prop_images(ctx: Ctx, pageset: PageSet, cont: dict[str, Any]) -> None:
    """prop=images: the File: pages a page links to (peerwork keeps no uploads, so a file is
    its description page, and a link to it is how a page uses it)."""
    params = ctx.params
    links = selectors.links_from(page_ids=_page_ids(pageset)).filter(namespace=FILE_NAMESPACE)
    wanted = params.values("imimages")
    if wanted:
        titles = [raw.split(":", 1)[-1].replace("_", " ").strip() for raw in wanted]
        links = links.filter(title__in=titles)
    descending = params.choice("imdir", ("ascending", "descending"), "ascending") == "descending"
    raw = params.text("imcontinue")
    if raw:
        page_text, bar, title = raw.partition("|")
        if not bar or not page_text.isdigit():
            raise bad_value("imcontinue", raw)
        page_id, title = int(page_text), title.replace("_", " ")
        if descending:
            links = links.filter(
                Q(from_page_id__lt=page_id) | Q(from_page_id=page_id, title__lte=title)
            )
        else:
            links = links.filter(
                Q(from_page_id__gt=page_id) | Q(from_page_id=page_id, title__gte=title)
            )
    order = ("from_page_id", "title")
    links = links.order_by(*(f"-{key}" for key in order) if descending else order)
    limit = params.limit("imlimit", ctx, default=10, maximum=500)
    rows = list(links[: limit + 1])
    if len(rows) > limit:
        cont["imcontinue"] = f"{rows[limit].from_page_id}|{rows[limit].title.replace(' ', '_')}"
        rows = rows[:limit]
    by_page: dict[int, list[dict[str, Any]]] = {}
    for link in rows:
        by_page.setdefault(link.from_page_id, []).append(
            {"ns": FILE_NAMESPACE, "title": full_title(FILE_NAMESPACE, link.title)}
        )
    for entry in pageset.existing:
        assert entry.page is not None
        if entry.page.pk in by_page:
            entry.extra["images"] = by_page[entry.page.pk]


def prop_linkshere(ctx: Ctx, pageset: PageSet, cont: dict[str, Any]) -> None:
    """prop=linkshere: for each page of the set, the visible pages linking to it, ordered by
    the linked page's id then the linking page's (read for the whole set in one query)."""
    params = ctx.params
    assert ctx.space is not None
    props = params.choices(
        "lhprop", ("pageid", "title", "redirect"), ctx, default=["pageid", "title", "redirect"]
    )
    show = params.choices("lhshow", ("redirect", "!redirect"), ctx)
    namespaces = _namespaces(ctx, "lhnamespace")
    limit = params.limit("lhlimit", ctx, default=10, maximum=500)
    after = _continue_pair(ctx, "lhcontinue")
    targets = {
        (entry.page.namespace, entry.page.title): entry.page.pk
        for entry in pageset.existing
        if entry.page is not None
    }
    links = selectors.links_to(user=ctx.user, space=ctx.space, keys=targets)
    if namespaces:
        links = links.filter(from_page__namespace__in=namespaces)
    if "redirect" in show:
        links = links.filter(from_page__is_redirect=True)
    if "!redirect" in show:
        links = links.filter(from_page__is_redirect=False)
    found = sorted(
        ((targets[(link.namespace, link.title)], link.from_page) for link in links),
        key=lambda pair: (pair[0], pair[1].pk),
    )
    if after is not None:
        found = [pair for pair in found if (pair[0], pair[1].pk) >= after]
    if len(found) > limit:
        cont["lhcontinue"] = f"{found[limit][0]}|{found[limit][1].pk}"
        found = found[:limit]
    by_page: dict[int, list[dict[str, Any]]] = {}
    for target_id, source in found:
        row: dict[str, Any] = {}
        if "pageid" in props:
            row["pageid"] = source.pk
        if "title" in props:
            row["ns"] = source.namespace
            row["title"] = full_title(source.namespace, source.title)
        if "redirect" in props:
            ctx.set_flag(row, "redirect", source.is_redirect)
        by_page.setdefault(target_id, []).append(row)
    for entry in pageset.existing:
        assert entry.page is not None
        if entry.page.pk in by_page:
            entry.extra["linkshere"] = by_page[entry.page.pk]


def exturlusage(ctx: Ctx, p: str) -> ListResult:
    """list=exturlusage: the visible pages linking to external addresses (`<p>protocol`,
    `<p>query`), one row per link, in the order links were stored."""
    params = ctx.params
    assert ctx.space is not None
    props = params.choices(
        p + "prop", ("ids", "title", "url"), ctx, default=["ids", "title", "url"]
    )
    protocol = params.choice(p + "protocol", PROTOCOL_NAMES, "")
    query = params.text(p + "query") or ""
    links = selectors.external_link_usage(user=ctx.user, space=ctx.space)
    if query:
        links = links.filter(_query_filter(protocol, query))
    elif protocol:
        prefix = next(p for p in PROTOCOLS if p.rstrip(":/") == protocol)
        links = links.filter(url__istartswith=prefix)
    namespaces = _namespaces(ctx, p + "namespace")
    if namespaces:
        links = links.filter(from_page__namespace__in=namespaces)
    raw = params.text(p + "continue")
    if raw:
        if not raw.isdigit():
            raise bad_value(p + "continue", raw)
        links = links.filter(pk__gte=int(raw))
    limit = params.limit(p + "limit", ctx, default=10, maximum=500)
    found = list(links[: limit + 1])
    cont = {p + "continue": str(found[limit].pk)} if len(found) > limit else {}
    rows = []
    for link in found[:limit]:
        page = link.from_page
        row: dict[str, Any] = {}
        if "ids" in props:
            row["pageid"] = page.pk
        if "title" in props:
            row["ns"] = page.namespace
            row["title"] = full_title(page.namespace, page.title)
        if "url" in props:
            row["url"] = link.url
        rows.append(row)
    return ListResult(rows, [link.from_page for link in found[:limit]], cont)


def categories_generator(ctx: Ctx, p: str) -> ListResult:
    """generator=categories: the categories of the given pages, as their Category: pages
    (a category with no page yet is answered as missing, as MediaWiki does)."""
    source = build_pageset(ctx)
    names = sorted(
        set(selectors.categories_of(page_ids=_page_ids(source)).values_list("category", flat=True))
    )
    raw = ctx.params.text(p + "continue")
    if raw:
        names = [name for name in names if name >= raw.replace("_", " ")]
    limit = ctx.params.limit(p + "limit", ctx, default=10, maximum=500)
    cont: dict[str, str] = {}
    if len(names) > limit:
        cont[p + "continue"] = names[limit].replace(" ", "_")
        names = names[:limit]
    assert ctx.space is not None
    keys = {(CATEGORY_NAMESPACE, name) for name in names}
    found = selectors.pages_visible_by_key(user=ctx.user, space=ctx.space, keys=keys)
    pages = [found[key] for key in sorted(found)]
    missing = [full_title(ns, title) for ns, title in sorted(keys - set(found))]
    return ListResult([], pages, cont, missing_titles=missing)


PROP_MODULES["extlinks"] = prop_extlinks
PROP_MODULES["images"] = prop_images
PROP_MODULES["linkshere"] = prop_linkshere
GENERATORS["categories"] = ("cl", categories_generator)
LIST_MODULES["exturlusage"] = ("eu", exturlusage)
GENERATORS["exturlusage"] = ("eu", exturlusage)
