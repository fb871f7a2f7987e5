"""action=move and action=delete, through `wiki.actions.page_move` and `page_delete`."""

from __future__ import annotations

from typing import Any

from peerwork.activity.actions import watch_set
from peerwork.core import policy
from peerwork.core.errors import Conflict, Forbidden, Invalid, NotAuthenticated, NotFound
from peerwork.wiki import actions, selectors
from peerwork.wiki.models import Page
from peerwork.wiki.titles import title_text

from .. import auth
from ..context import Ctx
from ..errors import ApiError, missing_param, one_of, param_mix


def _page(ctx: Ctx, title_param: str, id_param: str) -> Page:
    params = ctx.params
    assert ctx.space is not None
    if params.has(title_param) and params.has(id_param):
        raise param_mix(title_param, id_param)
    if params.has(id_param):
        page_id = params.integer(id_param)
        try:
            return selectors.page_get_visible_by_id(user=ctx.user, space=ctx.space, page_id=page_id)
        except NotFound:
            raise ApiError("nosuchpageid", f"There is no page with ID {page_id}.") from None
    raw = params.text(title_param)
    if not raw:
        raise one_of(title_param, id_param)
    try:
        page = selectors.page_find_existing(user=ctx.user, space=ctx.space, title=raw)
    except Invalid as error:
        raise ApiError("invalidtitle", f'Bad title "{raw}": {error.detail}') from None
    if page is None:
        raise ApiError("missingtitle", "The page you specified doesn't exist.")
    return page


def _prepare(ctx: Ctx) -> None:
    auth.check_csrf(ctx)
    auth.check_assert(ctx)
    auth.require_write_scope(ctx)


def action_move(ctx: Ctx) -> dict[str, Any]:
    params = ctx.params
    page = _page(ctx, "from", "fromid")
    target = params.text("to")
    if not target:
        raise missing_param("to")
    _prepare(ctx)
    reason = params.text("reason", "") or ""
    old_title = title_text(page.namespace, page.title)
    redirect = not params.flag("noredirect")
    try:
        moved = actions.page_move(
            user=ctx.user, page=page, new_title=target, reason=reason, leave_redirect=redirect
        )
    except Conflict:
        raise ApiError(
            "articleexists", "A page of that name already exists, or the name is invalid."
        ) from None
    except Invalid as error:
        code = "selfmove" if "same" in error.detail else "invalidtitle"
        raise ApiError(code, error.detail) from None
    except NotAuthenticated:
        raise ApiError("cantmove-anon", "You must be logged in to move pages.") from None
    except Forbidden:
        if policy.can(ctx.user, "page.edit", page):
            raise ApiError("cantmove", "You don't have permission to move this page.") from None
        raise ApiError(
            "protectedpage", "This page has been protected to prevent editing or moving."
        ) from None
    except NotFound:
        raise ApiError("missingtitle", "The page you specified doesn't exist.") from None
    answer: dict[str, Any] = {
        "from": old_title,
        "to": title_text(moved.page.namespace, moved.page.title),
        "reason": reason,
    }
    ctx.set_flag(answer, "redirectcreated", redirect)
    ctx.set_flag(answer, "moveoverredirect", False)
    return {"move": answer}


def _automatic_reason(page: Page) -> str:
    """MediaWiki's reason for a deletion that gives none: what the page said, so the public log
    still tells what went (clients such as mwclient send an empty `reason`)."""
    revision = page.current_revision
    text = " ".join((revision.content.text if revision else "").split())
    if not text:
        return "page was empty"
    return f'content was: "{text[:150]}{"..." if len(text) > 150 else ""}"'


def action_delete(ctx: Ctx) -> dict[str, Any]:
    params = ctx.params
    page = _page(ctx, "title", "pageid")
    _prepare(ctx)
    reason = (params.text("reason") or "").strip() or _automatic_reason(page)
    title = title_text(page.namespace, page.title)
    try:
        deleted = actions.page_delete(user=ctx.user, page=page, reason=reason)
    except NotAuthenticated:
        raise ApiError("notloggedin", "Please log in to delete pages.") from None
    except Forbidden:
        raise ApiError(
            "permissiondenied", "You don't have permission to delete pages in this space."
        ) from None
    except Conflict as error:
        raise ApiError("cantdelete", error.detail) from None
    except NotFound:
        raise ApiError("missingtitle", "The page you specified doesn't exist.") from None
    return {"delete": {"title": title, "reason": reason, "logid": deleted.event.pk}}


def action_watch(ctx: Ctx) -> dict[str, Any]:
    """action=watch (and `unwatch`): the person's watch of each page of the page set, through
    `activity.actions.watch_set`. A title with no page cannot be watched here: it is answered
    `missing`."""
    from .pages import build_pageset

    if not policy.signed_in(ctx.user):
        raise ApiError("notloggedin", "Please log in to view or edit your watchlist.")
    _prepare(ctx)
    if ctx.params.has("title") and not ctx.params.has("titles"):
        ctx.params.data["titles"] = ctx.params.data["title"]  # the single-title form of old
    pageset = build_pageset(ctx)
    if not pageset.used:
        raise ApiError(
            "missingparam", 'One of the parameters "titles", "pageids" and "revids" is required.'
        )
    watch = not ctx.params.flag("unwatch")
    rows = []
    for entry in pageset.entries:
        if entry.invalid_reason:
            row: dict[str, Any] = {"title": entry.raw, "invalidreason": entry.invalid_reason}
            ctx.set_flag(row, "invalid", True)
        elif entry.page is None:
            row = (
                {"pageid": entry.extra["pageid"]}
                if "pageid" in entry.extra
                else {"ns": entry.namespace, "title": title_text(entry.namespace, entry.title)}
            )
            ctx.set_flag(row, "missing", True)
        else:
            page = entry.page
            try:
                watch_set(user=ctx.user, target=page, watching=watch)
            except (Forbidden, NotAuthenticated):
                raise ApiError(
                    "permissiondenied", "You don't have permission to edit your watchlist."
                ) from None
            row = {"ns": page.namespace, "title": title_text(page.namespace, page.title)}
            ctx.set_flag(row, "watched" if watch else "unwatched", True)
        rows.append(row)
    return {"batchcomplete": ctx.flag_value(), "watch": rows}
