"""The page set of a query (titles, pageids, revids or a generator) and the prop modules."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, cast

from peerwork.activity import watching
from peerwork.core.errors import Invalid, NotFound
from peerwork.core.markup import render_comment
from peerwork.wiki import selectors
from peerwork.wiki.actions import parse_title
from peerwork.wiki.imported import revision_id_for_source_id
from peerwork.wiki.models import Categorization, Page, Revision
from peerwork.wiki.policy import cascading_sources, effective_protection
from peerwork.wiki.sections import section_text

from .. import auth
from ..context import Ctx, compact, full_title, iso, user_name
from ..errors import ApiError, bad_value, param_mix

MAX_TITLES = 50
RVPROPS = (
    "ids",
    "flags",
    "timestamp",
    "user",
    "userid",
    "size",
    "slotsize",
    "sha1",
    "slotsha1",
    "contentmodel",
    "comment",
    "parsedcomment",
    "content",
    "tags",
    "roles",
)
INPROPS = (
    "protection",
    "talkid",
    "watched",
    "watchers",
    "visitingwatchers",
    "notificationtimestamp",
    "subjectid",
    "associatedpage",
    "url",
    "preload",
    "displaytitle",
    "varianttitles",
    "linkclasses",
)
CONTENT_FORMATS = {"markdown": "text/markdown", "wikitext": "text/x-wiki"}


@dataclass
class Entry:
    """One page of the answer: an existing page, a missing title, or an invalid title."""

    page: Page | None = None
    namespace: int = 0
    title: str = ""
    raw: str = ""
    invalid_reason: str = ""
    missing_id: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        if self.page is not None:
            return str(self.page.pk)
        return str(self.missing_id)


class PageSet:
    def __init__(self, ctx: Ctx) -> None:
        self.ctx = ctx
        self.entries: list[Entry] = []
        self.normalized: list[dict[str, str]] = []
        self.bad_revids: list[int] = []
        self.revids: dict[int, list[int]] = {}
        self._next_missing = -1
        self.used = False

    def _missing_id(self) -> int:
        value = self._next_missing
        self._next_missing -= 1
        return value

    def _add_page(self, page: Page) -> Entry:
        for entry in self.entries:
            if entry.page is not None and entry.page.pk == page.pk:
                return entry
        entry = Entry(page=page, namespace=page.namespace, title=page.title)
        self.entries.append(entry)
        return entry

    def add_title(self, raw: str) -> None:
        ctx = self.ctx
        assert ctx.space is not None
        self.used = True
        try:
            namespace, title = parse_title(ctx.space, raw)
        except Invalid as error:
            self.entries.append(
                Entry(raw=raw, invalid_reason=error.detail, missing_id=self._missing_id())
            )
            return
        text = full_title(namespace, title)
        if text != raw:
            self.normalized.append({"from": raw, "to": text})
        page = selectors.page_find_existing(user=ctx.user, space=ctx.space, title=text)
        if page is None:
            if not any(
                e.page is None and (e.namespace, e.title) == (namespace, title)
                for e in self.entries
            ):
                self.entries.append(
                    Entry(namespace=namespace, title=title, missing_id=self._missing_id())
                )
            return
        self._add_page(page)

    def add_page_ids(self, ids: list[int]) -> None:
        assert self.ctx.space is not None
        self.used = True
        found = selectors.pages_visible_by_id(user=self.ctx.user, space=self.ctx.space, ids=ids)
        for page_id in ids:
            if page_id in found:
                self._add_page(found[page_id])
            else:
                self.entries.append(Entry(missing_id=page_id, extra={"pageid": page_id}))

    def add_pages(self, pages: list[Page]) -> None:
        self.used = True
        for page in pages:
            self._add_page(page)

    def add_revids(self, ids: list[int]) -> None:
        ctx = self.ctx
        assert ctx.space is not None
        self.used = True
        for revision_id in ids:
            try:
                revision = selectors.revision_get_visible(
                    user=ctx.user, space=ctx.space, revision_id=revision_id
                )
            except NotFound:
                # An id from an imported dump that was taken here: the revision it became.
                mapped = revision_id_for_source_id(ctx.space, revision_id)
                try:
                    if mapped is None or mapped == revision_id:
                        raise NotFound()
                    revision = selectors.revision_get_visible(
                        user=ctx.user, space=ctx.space, revision_id=mapped
                    )
                except NotFound:
                    self.bad_revids.append(revision_id)
                    continue
                revision_id = mapped
            try:
                page = selectors.page_get_visible_by_id(
                    user=ctx.user, space=ctx.space, page_id=revision.page_id
                )
            except NotFound:  # a revision of a deleted page: as if there were none
                self.bad_revids.append(revision_id)
                continue
            self._add_page(page)
            self.revids.setdefault(page.pk, []).append(revision_id)

    @property
    def existing(self) -> list[Entry]:
        return [entry for entry in self.entries if entry.page is not None]


def build_pageset(ctx: Ctx) -> PageSet:
    params = ctx.params
    pageset = PageSet(ctx)
    given = [name for name in ("titles", "pageids", "revids") if params.has(name)]
    if len(given) > 1:
        raise param_mix(*given)
    if params.has("titles"):
        titles = params.values("titles")
        if len(titles) > MAX_TITLES:
            raise ApiError(
                "toomanyvalues",
                f'Too many values supplied for parameter "titles". The limit is {MAX_TITLES}.',
            )
        for raw in titles:
            pageset.add_title(raw)
    elif params.has("pageids"):
        pageset.add_page_ids(params.integers("pageids")[:MAX_TITLES])
    elif params.has("revids"):
        pageset.add_revids(params.integers("revids")[:MAX_TITLES])
    return pageset


# ---------------------------------------------------------------------------- output


def _protection(ctx: Ctx, page: Page) -> list[dict[str, Any]]:
    """The restrictions in force: the page's own (with expiry and cascade), then those that
    cascade onto it from pages transcluding it (with `source`)."""
    result = []
    expiries = {"edit": page.protection_expires_at, "move": page.move_protection_expires_at}
    for kind in ("edit", "move"):
        level = auth.PROTECTION_LEVELS[effective_protection(page, kind)]
        if level:
            expiry = expiries[kind]
            row: dict[str, Any] = {
                "type": kind,
                "level": level,
                "expiry": iso(expiry) if expiry else "infinity",
            }
            ctx.set_flag(row, "cascade", kind == "edit" and page.is_cascading)
            result.append(row)
    for source in cascading_sources(page):
        expiry = source.protection_expires_at
        result.append(
            {
                "type": "edit",
                "level": auth.PROTECTION_LEVELS[effective_protection(source)],
                "expiry": iso(expiry) if expiry else "infinity",
                "source": full_title(source.namespace, source.title),
            }
        )
    return result


def _title_protection(ctx: Ctx, namespace: int, title: str) -> list[dict[str, Any]]:
    assert ctx.space is not None
    protection = selectors.title_protection(space=ctx.space, title=full_title(namespace, title))
    if protection is None:
        return []
    expiry = protection.expires_at
    return [
        {
            "type": "create",
            "level": auth.PROTECTION_LEVELS[protection.level],
            "expiry": iso(expiry) if expiry else "infinity",
        }
    ]


def page_entries(ctx: Ctx, pageset: PageSet) -> list[dict[str, Any]]:
    out = []
    for entry in pageset.entries:
        if entry.page is not None:
            item: dict[str, Any] = {
                "pageid": entry.page.pk,
                "ns": entry.page.namespace,
                "title": full_title(entry.page.namespace, entry.page.title),
            }
        elif entry.invalid_reason:
            item = {"title": entry.raw, "invalidreason": entry.invalid_reason}
            ctx.set_flag(item, "invalid", True)
        elif "pageid" in entry.extra:
            item = {"pageid": entry.extra["pageid"]}
            ctx.set_flag(item, "missing", True)
        else:
            item = {"ns": entry.namespace, "title": full_title(entry.namespace, entry.title)}
            ctx.set_flag(item, "missing", True)
        item.update({k: v for k, v in entry.extra.items() if k != "pageid"})
        entry.extra = item
        out.append(item)
    return out


def prop_info(ctx: Ctx, pageset: PageSet, cont: dict[str, Any]) -> None:
    props = ctx.params.choices("inprop", INPROPS, ctx)
    for entry in pageset.entries:
        item = entry.extra
        page = entry.page
        if page is None:
            if entry.invalid_reason:
                continue
            item["contentmodel"] = "markdown"
            item["pagelanguage"] = "en"
            item["pagelanguagehtmlcode"] = "en"
            item["pagelanguagedir"] = "ltr"
            if "protection" in props:
                item["protection"] = _title_protection(ctx, entry.namespace, entry.title)
                item["restrictiontypes"] = ["create"]
            continue
        revision = page.current_revision
        assert revision is not None
        item["contentmodel"] = revision.content_model
        item["pagelanguage"] = "en"
        item["pagelanguagehtmlcode"] = "en"
        item["pagelanguagedir"] = "ltr"
        item["touched"] = iso(page.touched_at)
        item["lastrevid"] = revision.pk
        item["length"] = revision.size
        ctx.set_flag(item, "redirect", page.is_redirect)
        ctx.set_flag(item, "new", revision.parent_id is None)
        if "protection" in props:
            item["protection"] = _protection(ctx, page)
            item["restrictiontypes"] = ["edit", "move"]
        if "watched" in props:
            ctx.set_flag(item, "watched", watching.is_watching(ctx.user, page))
        if "url" in props:
            from peerwork.wiki.rendering import page_url

            base = f"{ctx.request.scheme}://{ctx.request.get_host()}"
            url = base + page_url(page.space.slug, page.namespace, page.title)
            item["fullurl"] = url
            item["editurl"] = url.replace("/wiki/", "/edit/", 1)
            item["canonicalurl"] = url
        if "displaytitle" in props:
            item["displaytitle"] = full_title(page.namespace, page.title)


def _content(ctx: Ctx, revision: Revision) -> str | None:
    """The revision's text, or with `rvsection` that section's (trailing line ends trimmed, as
    MediaWiki gives it; saving it back with `section=` changes nothing). None when the text
    has no such section: MediaWiki then marks the revision `nosuchsection`."""
    text = revision.content.text
    section = ctx.__dict__.get("rvsection")
    if section is None:
        return text
    try:
        return section_text(text, revision.content_model, section).rstrip("\n")
    except Invalid:
        return None


def _revision_item(ctx: Ctx, revision: Revision, props: list[str], slots: bool) -> dict[str, Any]:
    item: dict[str, Any] = {}
    if "ids" in props:
        item["revid"] = revision.pk
        item["parentid"] = revision.parent_id or 0
    if "flags" in props:
        ctx.set_flag(item, "minor", revision.is_minor)
    if "user" in props:
        name = revision.author.username if revision.author else revision.author_name
        item["user"] = user_name(name)
        # An imported contributor registered on the wiki the dump came from is no anon.
        if revision.author is None and not revision.author_source_id:
            ctx.set_flag(item, "anon", True)
    if "userid" in props:
        item["userid"] = revision.author_id or revision.author_source_id or 0
    if "timestamp" in props:
        item["timestamp"] = iso(revision.created_at)
    if "size" in props:
        item["size"] = revision.size
    if "sha1" in props:
        item["sha1"] = revision.sha1
    if "contentmodel" in props and not slots:
        item["contentmodel"] = revision.content_model
    if "comment" in props:
        item["comment"] = revision.summary
    if "parsedcomment" in props:
        item["parsedcomment"] = render_comment(revision.summary) if revision.summary else ""
    if "tags" in props:
        item["tags"] = selectors.tags_of_revisions([revision.pk]).get(revision.pk, [])
    if "roles" in props:
        item["roles"] = ["main"]
    content = "content" in props
    if slots:
        if content or "contentmodel" in props or "slotsize" in props or "slotsha1" in props:
            slot: dict[str, Any] = {"contentmodel": revision.content_model}
            if "slotsize" in props:
                slot["size"] = revision.size
            if "slotsha1" in props:
                slot["sha1"] = revision.sha1
            text = _content(ctx, revision) if content else None
            if content and text is None:
                slot = {}
                ctx.set_flag(slot, "nosuchsection", True)
            elif content:
                slot["contentformat"] = CONTENT_FORMATS[revision.content_model]
                slot[ctx.content_key] = text
            item["slots"] = {"main": slot}
    elif content:
        text = _content(ctx, revision)
        if text is None:
            ctx.set_flag(item, "nosuchsection", True)
        else:
            item["contentformat"] = CONTENT_FORMATS[revision.content_model]
            item["contentmodel"] = revision.content_model
            item[ctx.content_key] = text
    return item


ENUM_PARAMS = ("rvlimit", "rvstart", "rvend", "rvstartid", "rvendid", "rvuser", "rvexcludeuser")


def prop_revisions(ctx: Ctx, pageset: PageSet, cont: dict[str, Any]) -> None:
    params = ctx.params
    props = params.choices(
        "rvprop", RVPROPS, ctx, default=["ids", "timestamp", "flags", "comment", "user"]
    )
    slots_param = params.text("rvslots")
    if slots_param is not None and slots_param not in ("main", "*", ""):
        raise bad_value("rvslots", slots_param)
    slots = bool(slots_param)
    if "content" in props and not slots:
        ctx.warn("revisions", "Because rvslots was not specified, a legacy format is used.")
    section = params.text("rvsection")
    if section is not None and section != "":
        if not re.fullmatch(r"\d{1,9}", section):
            raise ApiError(
                "invalidsection", 'The "rvsection" parameter must be a valid section ID.'
            )
        ctx.__dict__["rvsection"] = int(section)
    direction = params.choice("rvdir", ("older", "newer"), "older")
    enum_mode = any(params.has(name) for name in ENUM_PARAMS) or direction == "newer"
    existing = pageset.existing
    if pageset.revids:
        for entry in existing:
            assert entry.page is not None
            wanted = pageset.revids.get(entry.page.pk, [])
            revisions = (
                selectors.page_history(entry.page)
                .filter(pk__in=wanted)
                .select_related("content")
                .order_by("-id" if direction == "older" else "id")
            )
            entry.extra["revisions"] = [_revision_item(ctx, r, props, slots) for r in revisions]
        return
    if not enum_mode:
        for entry in existing:
            assert entry.page is not None
            if Page.current_revision.is_cached(entry.page):  # loaded with the page
                revision = entry.page.current_revision
            else:
                # A page that exists has a current revision.
                revision_id = cast(int, entry.page.current_revision_id)
                revision = (
                    selectors.page_history(entry.page)
                    .select_related("content")
                    .filter(pk=revision_id)
                    .first()
                )
            if revision is not None:
                entry.extra["revisions"] = [_revision_item(ctx, revision, props, slots)]
        return
    if len(pageset.entries) > 1:
        raise ApiError(
            "multpages",
            "rvlimit, rvstart, rvend, rvdir=newer, rvuser, rvexcludeuser, rvstartid and rvendid "
            "may only be used with a single page.",
        )
    if not existing:
        return
    page = existing[0].page
    assert page is not None
    maximum = 50 if "content" in props else 500
    limit = params.limit(
        "rvlimit", ctx, default=10 if "content" not in props else 1, maximum=maximum
    )
    if not params.has("rvlimit"):
        limit = 10 if "content" not in props else 1
    revisions = selectors.page_history(page).select_related("content")
    older = direction == "older"
    revisions = revisions.order_by("-id" if older else "id")
    start, end = params.timestamp("rvstart"), params.timestamp("rvend")
    if start is not None:
        revisions = revisions.filter(**{"created_at__lte" if older else "created_at__gte": start})
    if end is not None:
        revisions = revisions.filter(**{"created_at__gte" if older else "created_at__lte": end})
    start_id, end_id = params.integer("rvstartid"), params.integer("rvendid")
    if start_id is not None:
        revisions = revisions.filter(**{"pk__lte" if older else "pk__gte": start_id})
    if end_id is not None:
        revisions = revisions.filter(**{"pk__gte" if older else "pk__lte": end_id})
    who = params.text("rvuser")
    if who:
        revisions = revisions.filter(_by_name(who))
    excluded = params.text("rvexcludeuser")
    if excluded:
        revisions = revisions.exclude(_by_name(excluded))
    continue_from = params.text("rvcontinue")
    if continue_from:
        last = continue_from.rsplit("|", 1)[-1]
        if not last.isdigit():
            raise bad_value("rvcontinue", continue_from)
        revisions = revisions.filter(**{"pk__lte" if older else "pk__gte": int(last)})
    rows = list(revisions[: limit + 1])
    if len(rows) > limit:
        following = rows[limit]
        cont["rvcontinue"] = f"{compact(following.created_at)}|{following.pk}"
        rows = rows[:limit]
    existing[0].extra["revisions"] = [_revision_item(ctx, r, props, slots) for r in rows]


def _by_name(name: str) -> Any:
    from django.db.models import Q

    name = name.replace("_", " ").strip()
    # Accounts hold "_" where MediaWiki writes a space; imported names keep the dump's spaces.
    return Q(author__username__iexact=name.replace(" ", "_")) | Q(
        author__isnull=True, author_name__iexact=name
    )


def prop_categories(ctx: Ctx, pageset: PageSet, cont: dict[str, Any]) -> None:
    ids = [entry.page.pk for entry in pageset.existing if entry.page is not None]
    by_page: dict[int, list[str]] = {}
    for page_id, category in (
        Categorization.objects.filter(page_id__in=ids)
        .values_list("page_id", "category")
        .order_by("category")
    ):
        by_page.setdefault(page_id, []).append(category)
    for entry in pageset.existing:
        assert entry.page is not None
        names = by_page.get(entry.page.pk, [])
        if names:
            entry.extra["categories"] = [{"ns": 14, "title": f"Category:{n}"} for n in names]


def prop_nothing(ctx: Ctx, pageset: PageSet, cont: dict[str, Any]) -> None:
    """Accepted for the clients that always ask (imageinfo, categoryinfo, templates, pageprops):
    peerwork has no files and no transclusion, so there is nothing to add."""


PROP_MODULES = {
    "info": prop_info,
    "revisions": prop_revisions,
    "categories": prop_categories,
    "templates": prop_nothing,
    "imageinfo": prop_nothing,
    "categoryinfo": prop_nothing,
    "pageprops": prop_nothing,
}
