"""action=edit, mapped onto `wiki.actions.page_save` and its merge-or-conflict.

The base of an edit is `baserevid` when given; else the revision that was current at
`basetimestamp` (MediaWiki timestamps have whole seconds: of the revisions in the latest second
not after it, the earliest, so an edit never silently drops a change saved in that second);
else the page's current revision (no conflict check, as MediaWiki does without a base).
"""

from __future__ import annotations

import hashlib
import re
from typing import Any, Literal, cast

from django.utils.translation import gettext as _

from peerwork.activity.actions import watch_set
from peerwork.core import policy
from peerwork.core.errors import (
    ConfirmRequired,
    Conflict,
    EditConflict,
    Forbidden,
    Invalid,
    NotAuthenticated,
    NotFound,
    RefusedByScreen,
)
from peerwork.spaces.selectors import block_in_force
from peerwork.wiki import actions, selectors
from peerwork.wiki.models import Page
from peerwork.wiki.policy import cascaded_protection, effective_protection
from peerwork.wiki.sections import section_text
from peerwork.wiki.titles import title_text

from .. import auth
from ..context import Ctx, iso, whole_second_after
from ..errors import ApiError, bad_value, missing_param, one_of, param_mix
from . import admin
from .tags import apply_edit_tags


def _base_revision(ctx: Ctx, page: Page) -> int | None:
    params = ctx.params
    base_id = params.integer("baserevid")
    if base_id:
        if not selectors.page_history(page).filter(pk=base_id).exists():
            raise ApiError("nosuchrevid", f"There is no revision with ID {base_id}.")
        return int(base_id)
    moment = params.timestamp("basetimestamp")
    if moment is None:
        return page.current_revision_id
    history = selectors.page_history(page).select_related(None)
    in_or_before = history.filter(created_at__lt=whole_second_after(moment))
    latest = in_or_before.order_by("-created_at", "-id").first()
    if latest is None:
        return None  # the client saw no page at all: merge against an empty text
    same_second = in_or_before.filter(created_at__gte=latest.created_at.replace(microsecond=0))
    earliest = same_second.order_by("created_at", "id").first()
    assert earliest is not None
    # As MediaWiki does, a person never conflicts with themselves: when every revision after
    # the base is their own (a bot saving a page several times within one second, with
    # second-precision timestamps), their newest one is the base.
    later = history.filter(pk__gt=earliest.pk)
    if policy.signed_in(ctx.user) and not later.exclude(author=ctx.user).exists():
        return page.current_revision_id
    return earliest.pk


def _target(ctx: Ctx) -> tuple[str, Page | None]:
    params = ctx.params
    assert ctx.space is not None
    if params.has("title") and params.has("pageid"):
        raise param_mix("title", "pageid")
    if params.has("pageid"):
        page_id = params.integer("pageid")
        try:
            page = selectors.page_get_visible_by_id(user=ctx.user, space=ctx.space, page_id=page_id)
        except NotFound:
            raise ApiError("nosuchpageid", f"There is no page with ID {page_id}.") from None
        return title_text(page.namespace, page.title), page
    raw = params.text("title")
    if not raw:
        raise one_of("title", "pageid")
    try:
        namespace, title = actions.parse_title(ctx.space, raw)
    except Invalid as error:
        raise ApiError("invalidtitle", f'Bad title "{raw}": {error.detail}') from None
    text = title_text(namespace, title)
    return text, selectors.page_find_existing(user=ctx.user, space=ctx.space, title=text)


def _refusal(ctx: Ctx, page: Page | None, error: Exception, title: str = "") -> ApiError:
    """MediaWiki's order: a block first, then protection (which anonymous visitors meet too,
    before being told to log in), then the general refusals."""
    assert ctx.space is not None
    protected = ApiError("protectedpage", "This page has been protected to prevent editing.")
    block = block_in_force(ctx.user, ctx.space)
    if block is not None:
        return admin.blocked_error(ctx, block)
    if page is None:
        if title and selectors.title_protection(space=ctx.space, title=title) is not None:
            return protected
    elif effective_protection(page, "edit") != "anyone" or cascaded_protection(page) != "anyone":
        if isinstance(error, NotAuthenticated) or policy.can(
            ctx.user, "space.contribute", page.space
        ):
            return protected
    if isinstance(error, NotAuthenticated):
        return ApiError("notloggedin", "Please log in to edit.")
    if page is None:
        return ApiError("cantcreate", "You do not have permission to create new pages.")
    if policy.can(ctx.user, "space.contribute", page.space):
        return protected
    return ApiError("permissiondenied", "You don't have permission to edit this page.")


def action_edit(ctx: Ctx) -> dict[str, Any] | ApiError:
    params = ctx.params
    assert ctx.space is not None
    title, page = _target(ctx)
    auth.check_csrf(ctx)
    auth.check_assert(ctx)
    auth.require_write_scope(ctx)
    section = _section_param(ctx)
    if params.has("undo"):
        saved = _undo(ctx, title, page)
        return _answer(ctx, saved)
    given = [name for name in ("text", "appendtext", "prependtext") if params.has(name)]
    if not given:
        raise missing_param("text")
    if params.flag("createonly") and params.flag("nocreate"):
        raise param_mix("createonly", "nocreate")
    if params.flag("createonly") and page is not None:
        raise ApiError("articleexists", "The article you tried to create has been created already.")
    if params.flag("nocreate") and page is None:
        raise ApiError("missingtitle", "The page you specified doesn't exist.")
    model = params.text("contentmodel") or None
    if model and model not in actions.CONTENT_MODEL_NAMES:
        raise bad_value("contentmodel", model)
    content_format = params.text("contentformat")
    if content_format:
        formats = {"wikitext": "text/x-wiki", "markdown": "text/markdown"}
        if content_format not in formats.values():
            raise bad_value("contentformat", content_format)
        if model and formats[model] != content_format:
            raise ApiError(
                "badformat",
                f"The requested format {content_format} is not supported for content model "
                f"{model}.",
            )
        model = model or next(name for name, value in formats.items() if value == content_format)
    summary = params.text("summary", "") or ""
    minor = params.flag("minor") and not params.flag("notminor")
    section_title = ""
    if section == "new":
        # As MediaWiki does: the summary titles the section when no sectiontitle is given,
        # and the summary then says which section was added.
        section_title = params.text("sectiontitle") or summary
        if section_title:
            summary = f"/* {' '.join(section_title.split())} */ new section"

    # As MediaWiki does: `appendtext`/`prependtext` win over `text` when both are sent, and
    # `md5` then covers the two of them joined.
    adds = params.has("appendtext") or params.has("prependtext")
    added = (params.text("prependtext") or "") + (params.text("appendtext") or "")
    if section == "new" or not adds:
        text = added if adds else (params.text("text") or "")
        base_id = _base_revision(ctx, page) if page is not None else None
    else:
        current = page.current_revision.content.text if page and page.current_revision else ""
        if isinstance(section, int) and page is not None and page.current_revision is not None:
            try:
                current = section_text(current, page.current_revision.content_model, section)
            except Invalid:
                raise _no_such_section(section) from None
            current = current.rstrip("\n")
        text = (params.text("prependtext") or "") + current + (params.text("appendtext") or "")
        base_id = page.current_revision_id if page is not None else None
    md5 = params.text("md5")
    if md5:
        joined = added if adds else text
        if hashlib.md5(joined.encode(), usedforsecurity=False).hexdigest() != md5.lower():
            raise ApiError("badmd5", "The supplied MD5 hash was incorrect.")

    try:
        saved = actions.page_save(
            user=ctx.user,
            space=ctx.space,
            title=title,
            text=text,
            base_revision_id=base_id,
            summary=summary,
            minor=minor,
            section=section,
            section_title=section_title,
            bot=params.flag("bot"),
            content_model=model,
            confirmed=params.flag("confirm"),
        )
        apply_edit_tags(ctx, saved.revision)
    except ConfirmRequired as warning:
        # As AbuseFilter answers a warning: a failed edit naming it; saving again with
        # `confirm` goes on (AbuseFilter remembers the warning instead).
        return {
            "edit": {
                "result": "Failure",
                "code": "abusefilter-warning",
                "warning": warning.detail,
                "info": "; ".join(warning.extra.get("reasons", [])),
            }
        }
    except RefusedByScreen as refusal:
        raise ApiError("abusefilter-disallowed", refusal.detail) from None
    except EditConflict:
        raise ApiError("editconflict", "Edit conflict.") from None
    except (Forbidden, NotAuthenticated) as error:
        raise _refusal(ctx, page, error, title) from None
    except NotFound:
        raise ApiError("missingtitle", "The page you specified doesn't exist.") from None
    except Conflict as error:
        raise ApiError("pagedeleted", error.detail) from None
    except Invalid as error:
        if error.field == "section":
            raise _no_such_section(section) from None
        codes = {
            "title": "invalidtitle",
            "text": "contenttoobig",
            "summary": "summarytoolong",
            "base_revision": "nosuchrevid",
        }
        raise ApiError(codes.get(error.field or "", "badvalue"), error.detail) from None
    return _answer(ctx, saved)


def _section_param(ctx: Ctx) -> int | Literal["new"] | None:
    """`section`: a number (MediaWiki's numbering, 0 before the first heading) or `new`."""
    raw = ctx.params.text("section")
    if raw is None or raw == "":
        return None
    if raw == "new":
        return "new"
    if not re.fullmatch(r"\d{1,9}", raw):
        raise ApiError(
            "invalidsection", 'The "section" parameter must be a valid section ID or "new".'
        )
    return int(raw)


def _no_such_section(section: Any) -> ApiError:
    return ApiError("nosuchsection", f"There is no section {section}.")


def _revision_param(ctx: Ctx, name: str, page: Page, title: str) -> int:
    number = ctx.params.integer(name, minimum=0)
    # Only revisions the viewer may see are told apart from none: a revision of another
    # space's page is "no such revision", not "a revision of another page".
    try:
        revision = selectors.revision_get_existing(
            user=ctx.user, space=page.space, revision_id=number
        )
    except NotFound:
        revision = None
    if revision is None:
        raise ApiError("nosuchrevid", f"There is no revision with ID {number}.")
    if revision.page_id != page.pk:
        raise ApiError("revwrongpage", f"r{number} is not a revision of {title}.")
    return int(number)


def _undo(ctx: Ctx, title: str, page: Page | None) -> actions.SaveResult:
    """`undo` (and `undoafter`): through `wiki.actions.revision_undo`, whose conflict is
    MediaWiki's `undofailure`."""
    params = ctx.params
    if page is None:
        raise ApiError("missingtitle", "The page you specified doesn't exist.")
    undo = _revision_param(ctx, "undo", page, title)
    after = _revision_param(ctx, "undoafter", page, title) if params.integer("undoafter") else None
    if after is not None and after > undo:
        undo, after = after, undo  # as MediaWiki does, the order of the two does not matter
    try:
        return actions.revision_undo(
            user=ctx.user,
            page=page,
            revision_id=undo,
            after_revision_id=after,
            summary=params.text("summary", "") or "",
        )
    except EditConflict:
        raise ApiError(
            "undofailure", "The edit could not be undone due to conflicting intermediate edits."
        ) from None
    except (Forbidden, NotAuthenticated) as error:
        raise _refusal(ctx, page, error) from None
    except (Invalid, NotFound) as error:
        raise ApiError("badvalue", error.detail) from None


def _watchlist(ctx: Ctx, page: Page) -> bool:
    """`watchlist`: `watch` and `unwatch` change the person's watch of the page (the one
    `watch_set`); `preferences` and `nochange` leave it (a page one creates is watched, as
    MediaWiki's default `watchcreations`). Whether the answer says `watched`."""
    choice = ctx.params.choice(
        "watchlist", ("watch", "unwatch", "preferences", "nochange"), "preferences"
    )
    if choice in ("watch", "unwatch") and policy.signed_in(ctx.user):
        watch_set(user=ctx.user, target=page, watching=choice == "watch")
    return choice != "unwatch"


def _held_answer(saved: actions.SaveResult) -> ApiError:
    """An edit held for review is kept but not the page's text, and has no revision id until a
    patroller releases it. MediaWiki's Moderation extension, which holds edits the same way,
    answers `moderation-edit-queued`; clients (pywikibot, mwclient) read it as a clean refusal
    to report, where a "Success" without `newrevid` breaks them."""
    assert saved.held is not None
    data: dict[str, Any] = {
        "title": title_text(saved.held.namespace, saved.held.title),
        "held": saved.held.pk,
        "reasons": list(saved.held.reasons),
    }
    if saved.held.page_id is not None:
        data["pageid"] = saved.held.page_id
    return ApiError(
        "moderation-edit-queued",
        "Your edit was saved and is held for review: it is published when a patroller "
        "accepts it. Reasons: " + "; ".join(saved.held.reasons) + ".",
        data=data,
    )


def _answer(ctx: Ctx, saved: actions.SaveResult) -> dict[str, Any] | ApiError:
    if saved.status == "held":
        return _held_answer(saved)
    watched = _watchlist(ctx, saved.page)
    result_page = saved.page
    revision_id = cast(int, result_page.current_revision_id)  # a saved page has one
    current = saved.revision or selectors.page_history(result_page).filter(pk=revision_id).first()
    answer: dict[str, Any] = {
        "result": "Success",
        "pageid": result_page.pk,
        "title": title_text(result_page.namespace, result_page.title),
        "contentmodel": current.content_model if current else "markdown",
    }
    if saved.revision is None:
        ctx.set_flag(answer, "nochange", True)
        if ctx.fv2:
            answer["nochange"] = True
        if watched:
            answer["watched"] = ctx.flag_value()
        return {"edit": answer}
    if saved.status == "created":
        ctx.set_flag(answer, "new", True)
    answer["oldrevid"] = saved.revision.parent_id or 0
    answer["newrevid"] = saved.revision.pk
    answer["newtimestamp"] = iso(saved.revision.created_at)
    if saved.status == "merged":
        ctx.warn("edit", _("Others saved since your base revision; the changes were merged."))
    if watched:
        answer["watched"] = ctx.flag_value()
    return {"edit": answer}
