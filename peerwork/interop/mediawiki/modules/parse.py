"""action=parse: text (as it would show on a title) or a page or revision, rendered to HTML."""

from __future__ import annotations

from typing import Any

from peerwork.core.errors import Invalid, NotFound
from peerwork.core.markup import extract_links
from peerwork.wiki import actions, selectors
from peerwork.wiki.models import Page, Revision
from peerwork.wiki.rendering import render_text, revision_html
from peerwork.wiki.titles import title_text

from ..context import Ctx
from ..errors import ApiError, param_mix

PARSE_PROPS = (
    "text",
    "langlinks",
    "categories",
    "links",
    "templates",
    "images",
    "externallinks",
    "sections",
    "revid",
    "displaytitle",
    "iwlinks",
    "properties",
    "wikitext",
    "parsewarnings",
    "headhtml",
    "subtitle",
    "modules",
    "jsconfigvars",
    "indicators",
    "encodedjsconfigvars",
    "categorieshtml",
    "limitreportdata",
    "limitreporthtml",
    "parsetree",
    "linklanguage",
)


def action_parse(ctx: Ctx) -> dict[str, Any]:
    params = ctx.params
    space = ctx.space
    assert space is not None
    sources = [name for name in ("text", "page", "pageid", "oldid") if params.has(name)]
    if len(sources) > 1 and sources != ["text"]:
        if not (sources[0] == "text" and len(sources) == 1):
            raise param_mix(*sources)
    props = params.choices(
        "prop",
        PARSE_PROPS,
        ctx,
        default=[
            "text",
            "langlinks",
            "categories",
            "links",
            "templates",
            "images",
            "externallinks",
            "sections",
            "revid",
            "displaytitle",
            "iwlinks",
            "properties",
            "parsewarnings",
        ],
    )
    revision: Revision | None = None
    if params.has("page") or params.has("pageid") or params.has("oldid"):
        if params.has("oldid"):
            try:
                revision = selectors.revision_get_existing(
                    user=ctx.user, space=space, revision_id=params.integer("oldid")
                )
            except NotFound:
                raise ApiError("nosuchrevid", "There is no revision with that ID.") from None
            page = revision.page
        elif params.has("pageid"):
            page_id = params.integer("pageid")
            try:
                page = selectors.page_get_visible_by_id(user=ctx.user, space=space, page_id=page_id)
            except NotFound:
                raise ApiError("nosuchpageid", f"There is no page with ID {page_id}.") from None
            if page.current_revision is None:
                raise ApiError("nosuchpageid", f"There is no page with ID {page_id}.")
        else:
            raw = params.text("page") or ""
            try:
                found = selectors.page_find_existing(user=ctx.user, space=space, title=raw)
            except Invalid:
                raise ApiError("invalidtitle", f'Bad title "{raw}".') from None
            if found is None:
                raise ApiError("missingtitle", "The page you specified doesn't exist.")
            page = found
        revision = revision or page.current_revision
        assert revision is not None
        text = revision.content.text
        html = revision_html(revision)
    else:
        raw_title = params.text("title") or "API"
        try:
            namespace, title = actions.parse_title(space, raw_title)
        except Invalid:
            raise ApiError("invalidtitle", f'Bad title "{raw_title}".') from None
        # A deleted page (or one the viewer may not see) is no page here: its id stays unsaid.
        page = selectors.pages_visible_by_key(
            user=ctx.user, space=space, keys=[(namespace, title)], with_text=False
        ).get((namespace, title)) or Page(space=space, namespace=namespace, title=title)
        try:
            text = actions.clean_text(params.text("text") or "")
        except Invalid as error:
            raise ApiError("contenttoobig", error.detail) from None
        html = render_text(page, text)
    answer: dict[str, Any] = {
        "title": title_text(page.namespace, page.title),
        "pageid": page.pk or 0,
    }
    if "revid" in props:
        answer["revid"] = revision.pk if revision else 0
    if "text" in props:
        answer["text"] = ctx.text_node(html)
    if "wikitext" in props:
        answer["wikitext"] = ctx.text_node(text)
    if "displaytitle" in props:
        answer["displaytitle"] = title_text(page.namespace, page.title)
    links, categories = extract_links(text, capitalize=space.policy.get("capitalize_titles", True))
    if "categories" in props:
        answer["categories"] = [
            {"sortkey": "", "category": name} if ctx.fv2 else {"sortkey": "", "*": name}
            for name in categories
        ]
    if "links" in props:
        existing = set(
            selectors.pages_visible_by_key(
                user=ctx.user,
                space=space,
                keys={(link.namespace, link.title) for link in links},
                with_text=False,
            )
        )
        seen: set[tuple[int, str]] = set()
        rows = []
        for link in links:
            key = (link.namespace, link.title)
            if key in seen:
                continue
            seen.add(key)
            row: dict[str, Any] = {"ns": link.namespace}
            ctx.set_flag(row, "exists", key in existing)
            row["title" if ctx.fv2 else "*"] = title_text(*key)
            rows.append(row)
        answer["links"] = rows
    for empty in (
        "langlinks",
        "templates",
        "images",
        "externallinks",
        "sections",
        "iwlinks",
        "properties",
        "parsewarnings",
    ):
        if empty in props:
            answer[empty] = []
    return {"parse": answer}
