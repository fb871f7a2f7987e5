"""action=query: meta modules, a page set (titles, pageids, revids or a generator) with its
prop modules, and list modules, in one answer with MediaWiki's continuation."""

from __future__ import annotations

from typing import Any

from ..context import Ctx
from ..errors import ApiError
from . import authorship as _authorship  # noqa: F401  (registers prop=authorship)
from . import links as _links  # noqa: F401  (registers prop=links and list=backlinks)
from . import tags as _tags  # noqa: F401  (registers list=tags)
from .lists import GENERATORS, LIST_MODULES
from .meta import META_MODULES, SPACE_FREE_META
from .pages import PROP_MODULES, build_pageset, page_entries


def space_free(ctx: Ctx) -> bool:
    """Whether this query says nothing about the space (tokens, userinfo only)."""
    params = ctx.params
    if any(
        params.has(name) for name in ("prop", "list", "generator", "titles", "pageids", "revids")
    ):
        return False
    metas = set(params.values("meta"))
    return bool(metas) and metas <= SPACE_FREE_META


def _done_modules(ctx: Ctx) -> set[str]:
    raw = ctx.params.text("continue") or ""
    _generator, _sep, done = raw.partition("||")
    return {name for name in done.split("|") if name}


def run(ctx: Ctx) -> dict[str, Any]:
    params = ctx.params
    metas = params.choices("meta", META_MODULES, ctx)
    props = params.choices("prop", PROP_MODULES, ctx)
    lists = params.choices("list", LIST_MODULES, ctx)
    generator = params.choice("generator", GENERATORS)
    done = _done_modules(ctx)
    result: dict[str, Any] = {}
    query: dict[str, Any] = {}
    cont: dict[str, Any] = {}
    for name in metas:
        META_MODULES[name](ctx, query)

    if generator is not None:
        if any(params.has(name) for name in ("titles", "pageids", "revids")) and (
            generator not in ("templates", "links")
        ):
            raise ApiError("invalidparammix", "A generator can not be combined with titles.")
        from .pages import PageSet

        pageset = PageSet(ctx)
        if "generator" not in done:
            prefix, function = GENERATORS[generator]
            listed = function(ctx, "g" + prefix)
            pageset.add_pages(listed.pages)
            for title in listed.missing_titles:
                pageset.add_title(title)
            cont.update(listed.cont)  # its keys carry the generator's "g" prefix already
        pageset.used = True
    else:
        pageset = build_pageset(ctx)

    if pageset.used:
        if pageset.normalized:
            query["normalized"] = pageset.normalized
        entries = page_entries(ctx, pageset)
        for name in props:
            PROP_MODULES[name](ctx, pageset, cont)
        if pageset.bad_revids:
            query["badrevids"] = {
                str(revid): {"revid": revid, "missing": ctx.flag_value()}
                for revid in pageset.bad_revids
            }
        if entries:
            if params.flag("indexpageids"):
                query["pageids"] = [
                    str(item.get("pageid", entry.key))
                    for item, entry in zip(entries, pageset.entries, strict=True)
                ]
            if ctx.fv2:
                query["pages"] = entries
            else:
                query["pages"] = {
                    entry.key: item for item, entry in zip(entries, pageset.entries, strict=True)
                }

    for name in lists:
        if name in done:
            continue
        prefix, function = LIST_MODULES[name]
        listed = function(ctx, prefix)
        query[name] = listed.rows
        cont.update(listed.cont)
        if name == "search" and "searchinfo" in ctx.__dict__:
            query["searchinfo"] = ctx.__dict__["searchinfo"]

    if cont:
        finished = [
            name
            for name in lists
            if f"{LIST_MODULES[name][0]}continue" not in cont
            and f"{LIST_MODULES[name][0]}offset" not in cont
        ]
        generator_part = (
            "-" if generator is None else next((key for key in cont if key.startswith("g")), "-")
        )
        cont["continue"] = f"{generator_part}||{'|'.join(finished)}"
        result["continue"] = cont
    else:
        result["batchcomplete"] = ctx.flag_value()
    if query:
        result["query"] = query
    return result
