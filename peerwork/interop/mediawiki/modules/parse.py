"""action=parse: text (as it would show on a title) or a page or revision, rendered to HTML;
action=expandtemplates: wikitext with its templates expanded."""

from __future__ import annotations

from html import escape
from typing import Any
from urllib.parse import quote

from django.utils import timezone

from peerwork.core import policy
from peerwork.core.errors import Invalid, NotFound
from peerwork.core.markup import extract_links
from peerwork.wiki import actions, selectors
from peerwork.wiki.models import Page, Revision
from peerwork.wiki.preprocess import pre_save_transform
from peerwork.wiki.rendering import (
    page_content_model,
    render_text,
    revision_html,
    with_section_edit_links,
)
from peerwork.wiki.sections import Section, sections
from peerwork.wiki.titles import title_text
from peerwork.wiki.wikitext import expand_page_text, parse_tree, render_page_wikitext

from ..context import Ctx
from ..errors import ApiError, bad_value, missing_param, param_mix

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
    model = params.text("contentmodel")
    if model and model not in actions.CONTENT_MODEL_NAMES:
        raise bad_value("contentmodel", model)
    if params.has("page") or params.has("pageid") or params.has("oldid"):
        page = _page(ctx)
        if params.has("oldid"):
            try:
                revision = selectors.revision_get_existing(
                    user=ctx.user, space=space, revision_id=params.integer("oldid")
                )
            except NotFound:
                raise ApiError("nosuchrevid", "There is no revision with that ID.") from None
            page = revision.page
        revision = revision or page.current_revision
        assert revision is not None
        text = revision.content.text
        model = revision.content_model
        revision_id: int | None = revision.pk
        revision_user = revision.author_name
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
        model = model or page_content_model(page)
        # As MediaWiki does: `revid` stands for the revision the text would be, by this user.
        revision_id = params.integer("revid") if params.has("revid") else None
        revision_user = ctx.user.username if policy.signed_in(ctx.user) else ""
        if model == "wikitext" and (params.flag("pst") or params.flag("onlypst")):
            text = pre_save_transform(text, username=revision_user, now=timezone.now())
        if params.flag("onlypst"):
            return {
                "parse": {
                    "title": title_text(page.namespace, page.title),
                    "pageid": page.pk or 0,
                    "text": ctx.text_node(text),
                }
            }
    answer: dict[str, Any] = {
        "title": title_text(page.namespace, page.title),
        "pageid": page.pk or 0,
    }
    capitalize = space.policy.get("capitalize_titles", True)
    templates: dict[tuple[int, str], bool] = {}
    headings: tuple[tuple[int, str, str], ...] = ()
    if model == "wikitext":
        result = render_page_wikitext(
            page, text, revision_id=revision_id, revision_user=revision_user
        )
        html = result.rendered.html
        links, categories = result.rendered.links, result.rendered.categories
        templates, headings = result.templates, result.headings
    else:
        html = revision_html(revision) if revision is not None else render_text(page, text)
        links, categories = extract_links(text, capitalize=capitalize)
    if "revid" in props:
        answer["revid"] = revision_id or 0
    if "text" in props:
        if model == "wikitext" and not params.flag("disableeditsection"):
            html = _with_edit_links(space.slug, page, text, html)
        answer["text"] = ctx.text_node(f'<div class="mw-parser-output">{html}</div>')
    if "wikitext" in props:
        answer["wikitext"] = ctx.text_node(text)
    if "displaytitle" in props:
        answer["displaytitle"] = title_text(page.namespace, page.title)
    if "categories" in props:
        answer["categories"] = [
            {"sortkey": "", "category": name} if ctx.fv2 else {"sortkey": "", "*": name}
            for name in sorted(categories)
        ]
    if "links" in props:
        answer["links"] = _title_rows(ctx, {(link.namespace, link.title) for link in links})
    if "templates" in props:
        answer["templates"] = _title_rows(ctx, set(templates))
    if "sections" in props:
        answer["sections"] = _sections(ctx, page, text, model, headings)
    for empty in (
        "langlinks",
        "images",
        "externallinks",
        "iwlinks",
        "parsewarnings",
    ):
        if empty in props:
            answer[empty] = []
    if "properties" in props:
        answer["properties"] = {} if ctx.fv2 else []
    return {"parse": answer}


def _page(ctx: Ctx) -> Page:
    """The page named by `page` or `pageid` (or the page of `oldid`, found by the caller)."""
    params = ctx.params
    space = ctx.space
    assert space is not None
    if params.has("oldid"):
        return Page(space=space)
    if params.has("pageid"):
        page_id = params.integer("pageid")
        try:
            page = selectors.page_get_visible_by_id(user=ctx.user, space=space, page_id=page_id)
        except NotFound:
            raise ApiError("nosuchpageid", f"There is no page with ID {page_id}.") from None
        if page.current_revision is None:
            raise ApiError("nosuchpageid", f"There is no page with ID {page_id}.")
        return page
    raw = params.text("page") or ""
    try:
        found = selectors.page_find_existing(user=ctx.user, space=space, title=raw)
    except Invalid:
        raise ApiError("invalidtitle", f'Bad title "{raw}".') from None
    if found is None:
        raise ApiError("missingtitle", "The page you specified doesn't exist.")
    return found


def _with_edit_links(slug: str, page: Page, text: str, html: str) -> str:
    """MediaWiki's [edit] link at the end of each section's heading, to index.php's editor."""
    name = quote(title_text(page.namespace, page.title).replace(" ", "_"), safe="/:,()!*'@$;")

    def link(section: Section) -> str:
        address = f"/s/{slug}/w/index.php?title={name}&amp;action=edit&amp;section={section.number}"
        tooltip = escape(f"Edit section: {section.title}")
        return (
            '<span class="mw-editsection"><span class="mw-editsection-bracket">[</span>'
            f'<a href="{address}" title="{tooltip}">edit</a>'
            '<span class="mw-editsection-bracket">]</span></span>'
        )

    return with_section_edit_links(html, sections(text, "wikitext"), link)


def _title_rows(ctx: Ctx, keys: set[tuple[int, str]]) -> list[dict[str, Any]]:
    """Links or templates as MediaWiki lists them: namespace, title, whether it exists."""
    assert ctx.space is not None
    existing = set(
        selectors.pages_visible_by_key(user=ctx.user, space=ctx.space, keys=keys, with_text=False)
    )
    rows = []
    for key in sorted(keys):
        row: dict[str, Any] = {"ns": key[0]}
        ctx.set_flag(row, "exists", key in existing)
        row["title" if ctx.fv2 else "*"] = title_text(*key)
        rows.append(row)
    return rows


def _sections(
    ctx: Ctx,
    page: Page,
    text: str,
    model: str,
    headings: tuple[tuple[int, str, str], ...],
) -> list[dict[str, Any]]:
    """The sections as MediaWiki's parser reports them (numbered as in its TOC)."""
    fromtitle = title_text(page.namespace, page.title)
    stored = {section.anchor: section for section in sections(text, model) if section.number}
    rows: list[dict[str, Any]] = []
    counters: list[int] = []
    levels = [level for level, _anchor, _line in headings] or [
        section.level for section in stored.values()
    ]
    top = min(levels) if levels else 1
    items = headings or tuple(
        (section.level, section.anchor, section.title) for section in stored.values()
    )
    for index, (level, anchor, line) in enumerate(items, start=1):
        depth = min(max(1, level - top + 1), len(counters) + 1)
        del counters[depth:]
        if depth > len(counters):
            counters.append(0)
        counters[-1] += 1
        section = stored.get(anchor)
        rows.append(
            {
                "toclevel": depth,
                "level": str(level),
                "line": line,
                "number": ".".join(str(count) for count in counters),
                "index": str(index),
                "fromtitle": fromtitle,
                "byteoffset": len(text[: section.start].encode()) if section else None,
                "anchor": anchor,
                "linkAnchor": anchor,
            }
        )
    return rows


EXPAND_PROPS = ("wikitext", "categories", "properties", "volatile", "ttl", "modules", "parsetree")


def action_expandtemplates(ctx: Ctx) -> dict[str, Any]:
    """action=expandtemplates: the text with templates, parser functions and variables
    expanded (`prop=wikitext`), or its preprocessor tree (`prop=parsetree`)."""
    params = ctx.params
    space = ctx.space
    assert space is not None
    if not params.has("text"):
        raise missing_param("text")
    raw_title = params.text("title") or "API"
    try:
        namespace, title = actions.parse_title(space, raw_title)
        text = actions.clean_text(params.text("text") or "")
    except Invalid as error:
        if error.field == "text":
            raise ApiError("contenttoobig", error.detail) from None
        raise ApiError("invalidtitle", f'Bad title "{raw_title}".') from None
    props = params.choices("prop", EXPAND_PROPS, ctx, default=[])
    page = selectors.pages_visible_by_key(
        user=ctx.user, space=space, keys=[(namespace, title)], with_text=False
    ).get((namespace, title)) or Page(space=space, namespace=namespace, title=title)
    revision_id = params.integer("revid") if params.has("revid") else None
    revision_user = ctx.user.username if policy.signed_in(ctx.user) else ""
    expanded = expand_page_text(page, text, revision_id=revision_id, revision_user=revision_user)
    if not props:
        ctx.warn(
            "expandtemplates",
            'Because "prop" was not specified, a legacy format has been used for the output. '
            "This format is deprecated, and in the future the new format will always be used.",
        )
        return {"expandtemplates": ctx.text_node(expanded.text)}
    answer: dict[str, Any] = {}
    if "parsetree" in props:
        answer["parsetree"] = parse_tree(text)
    if "wikitext" in props:
        answer["wikitext"] = expanded.text
    if "categories" in props:
        answer["categories"] = []
    if "properties" in props:
        answer["properties"] = {} if ctx.fv2 else []
    if "volatile" in props:
        ctx.set_flag(answer, "volatile", False)
    if "modules" in props:
        answer.update(modules=[], modulescripts=[], modulestyles=[])
    return {"expandtemplates": answer}
