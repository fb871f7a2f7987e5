"""action=rollback, action=patrol and action=compare: reviewing changes, through
`wiki.actions.page_rollback`, `wiki.actions.revision_review` and the wiki's one diff
(`wiki.textops.diff_lines`), drawn as MediaWiki's diff table."""

from __future__ import annotations

from typing import Any

from django.utils.html import escape

from peerwork.accounts.selectors import user_by_username
from peerwork.core import policy
from peerwork.core.errors import Conflict, Forbidden, Invalid, NotAuthenticated, NotFound
from peerwork.core.markup import render_comment
from peerwork.wiki import actions, selectors
from peerwork.wiki.models import Page, Revision
from peerwork.wiki.textops import Hunk, Segment, diff_lines
from peerwork.wiki.titles import title_text

from .. import auth
from ..context import Ctx, iso, user_name
from ..errors import ApiError, missing_param, one_of, param_mix
from .manage import _page


def _refused(ctx: Ctx, error: Exception, what: str) -> ApiError:
    if isinstance(error, NotAuthenticated) or not policy.signed_in(ctx.user):
        return ApiError("notloggedin", f"Please log in to {what}.")
    return ApiError("permissiondenied", f"You don't have permission to {what}.")


# --------------------------------------------------------------------------------- rollback


def action_rollback(ctx: Ctx) -> dict[str, Any]:
    params = ctx.params
    page = _page(ctx, "title", "pageid")
    editor = params.text("user")
    if not editor:
        raise missing_param("user")
    auth.check_csrf(ctx)
    auth.require_write_scope(ctx)
    if user_by_username(editor.replace("_", " ").strip()) is None:
        raise ApiError("baduser", f'Invalid value "{editor}" for user parameter "user".')
    previous = page.current_revision_id
    try:
        saved = actions.page_rollback(
            user=ctx.user,
            page=page,
            editor=editor,
            summary=params.text("summary", "") or "",
            bot=params.flag("markbot"),
        )
    except (Forbidden, NotAuthenticated) as error:
        raise _refused(ctx, error, "roll back edits") from None
    except Conflict as error:
        code = error.extra.get("reason", "alreadyrolled")
        raise ApiError(code, error.detail) from None
    except Invalid as error:
        code = "summarytoolong" if error.field == "summary" else "badvalue"
        raise ApiError(code, error.detail) from None
    revision = saved.revision
    assert revision is not None and saved.event is not None
    return {
        "rollback": {
            "title": title_text(page.namespace, page.title),
            "pageid": page.pk,
            "summary": revision.summary,
            "revid": revision.pk,
            "old_revid": previous,
            "last_revid": saved.event.data.get("rolled_back_to", 0),
        }
    }


# ----------------------------------------------------------------------------------- patrol


def action_patrol(ctx: Ctx) -> dict[str, Any]:
    params = ctx.params
    assert ctx.space is not None
    if params.has("rcid") and params.has("revid"):
        raise param_mix("rcid", "revid")
    if params.has("rcid"):
        rcid = params.integer("rcid")
        change = selectors.recent_changes(user=ctx.user, space=ctx.space).filter(pk=rcid).first()
        revision_id = (change.data or {}).get("revision") if change is not None else None
        if change is None or change.verb not in ("page:created", "page:edited") or not revision_id:
            raise ApiError("nosuchrcid", f"There is no recent change with ID {rcid}.")
    elif params.has("revid"):
        revision_id = params.integer("revid")
        change = selectors.change_of_revision(
            user=ctx.user, space=ctx.space, revision_id=revision_id
        )
        if change is None:
            raise ApiError("nosuchrevid", f"There is no revision with ID {revision_id}.")
    else:
        raise one_of("rcid", "revid")
    auth.check_csrf(ctx)
    auth.require_write_scope(ctx)
    try:
        revision = selectors.revision_get_visible(
            user=ctx.user, space=ctx.space, revision_id=int(revision_id)
        )
        actions.revision_review(user=ctx.user, revision=revision)
    except NotFound:
        raise ApiError("nosuchrevid", f"There is no revision with ID {revision_id}.") from None
    except (Forbidden, NotAuthenticated) as error:
        raise _refused(ctx, error, "mark changes as patrolled") from None
    data = change.data or {}
    return {
        "patrol": {
            "rcid": change.pk,
            "ns": data.get("namespace", 0),
            "title": title_text(data.get("namespace", 0), data.get("title", "")),
        }
    }


# ---------------------------------------------------------------------------------- compare

COMPARE_PROPS = (
    "diff",
    "diffsize",
    "rel",
    "ids",
    "title",
    "user",
    "comment",
    "parsedcomment",
    "size",
    "timestamp",
)


def _side(ctx: Ctx, side: str) -> tuple[Page | None, Revision | None, str | None]:
    """The page and revision one side names (`<side>rev`, `<side>id` or `<side>title`), or
    the text it gives (`<side>text`, compared as it is)."""
    params = ctx.params
    assert ctx.space is not None
    if params.has(f"{side}text"):
        return None, None, params.text(f"{side}text", "") or ""
    if params.has(f"{side}rev"):
        number = params.integer(f"{side}rev")
        try:
            revision = selectors.revision_get_visible(
                user=ctx.user, space=ctx.space, revision_id=number
            )
        except NotFound:
            raise ApiError("nosuchrevid", f"There is no revision with ID {number}.") from None
        return revision.page, revision, None
    if params.has(f"{side}id") or params.has(f"{side}title"):
        page = _page(ctx, f"{side}title", f"{side}id")
        return page, page.current_revision, None
    return None, None, None


def _relative(ctx: Ctx, base: Revision, relation: str) -> Revision:
    history = selectors.page_history(base.page)
    if relation == "cur":
        found = history.filter(pk=base.page.current_revision_id or 0).first()
    elif relation == "prev":
        found = history.filter(pk__lt=base.pk).order_by("-id").first()
    else:
        found = history.filter(pk__gt=base.pk).order_by("id").first()
    if found is None:
        # As MediaWiki does for the first revision's "prev": compare with nothing.
        if relation == "prev":
            return base
        raise ApiError("nosuchrevid", f"There is no {relation} revision of r{base.pk}.")
    return found


def action_compare(ctx: Ctx) -> dict[str, Any]:
    params = ctx.params
    props = params.choices("prop", COMPARE_PROPS, ctx, default=["diff", "ids", "title"])
    from_page, from_rev, from_text = _side(ctx, "from")
    relation = params.choice("torelative", ("prev", "next", "cur"))
    if relation is not None:
        if from_rev is None:
            raise ApiError(
                "compare-relative-to-nothing",
                "No 'from' revision for 'torelative' to be relative to.",
            )
        to_rev: Revision | None = _relative(ctx, from_rev, relation)
        to_page: Page | None = from_rev.page
        to_text = None
        if relation == "prev":
            # "prev" compares the revision before with the one given, as history does.
            if to_rev is not None and to_rev.pk != from_rev.pk:
                from_rev, to_rev = to_rev, from_rev
            else:
                from_rev, from_text = None, ""
    else:
        to_page, to_rev, to_text = _side(ctx, "to")
    if from_rev is None and from_text is None:
        raise one_of("fromtitle", "fromid", "fromrev", "fromtext")
    if to_rev is None and to_text is None:
        raise one_of("totitle", "toid", "torev", "totext", "torelative")
    old = from_rev.content.text if from_rev is not None else from_text or ""
    new = to_rev.content.text if to_rev is not None else to_text or ""
    answer: dict[str, Any] = {}
    for side, page, revision in (("from", from_page, from_rev), ("to", to_page, to_rev)):
        if revision is None:
            continue
        page = revision.page
        if "ids" in props:
            answer[f"{side}id"] = page.pk
            answer[f"{side}revid"] = revision.pk
        if "title" in props:
            answer[f"{side}ns"] = page.namespace
            answer[f"{side}title"] = title_text(page.namespace, page.title)
        if "size" in props:
            answer[f"{side}size"] = revision.size
        if "timestamp" in props:
            answer[f"{side}timestamp"] = iso(revision.created_at)
        if "user" in props:
            author = revision.author
            answer[f"{side}user"] = user_name(author.username if author else revision.author_name)
            answer[f"{side}userid"] = revision.author_id or 0
        if "comment" in props:
            answer[f"{side}comment"] = revision.summary
        if "parsedcomment" in props:
            answer[f"{side}parsedcomment"] = (
                render_comment(revision.summary) if revision.summary else ""
            )
    if "rel" in props and from_rev is not None:
        history = selectors.page_history(from_rev.page)
        before = history.filter(pk__lt=from_rev.pk).order_by("-id").first()
        if before is not None:
            answer["prev"] = before.pk
    if "rel" in props and to_rev is not None:
        history = selectors.page_history(to_rev.page)
        after = history.filter(pk__gt=to_rev.pk).order_by("id").first()
        if after is not None:
            answer["next"] = after.pk
    table = diff_table(diff_lines(old, new))
    if "diffsize" in props:
        answer["diffsize"] = len(table)
    if "diff" in props:
        answer["body" if ctx.fv2 else "*"] = table
    return {"compare": answer}


def _cells(segments: list[Segment], tag: str) -> str:
    return "".join(
        f'<{tag} class="diffchange diffchange-inline">{escape(s.text)}</{tag}>'
        if s.changed
        else escape(s.text)
        for s in segments
    )


def diff_table(hunks: list[Hunk]) -> str:
    """The rows of MediaWiki's four-column diff table (`<tr>` ... without the `<table>`), as
    action=compare and prop=revisions&rvdiffto answer them."""
    rows: list[str] = []
    empty_old = '<td colspan="2" class="diff-empty diff-side-deleted"></td>'
    empty_new = '<td colspan="2" class="diff-empty diff-side-added"></td>'
    for hunk in hunks:
        rows.append(
            f'<tr>\n  <td colspan="2" class="diff-lineno">Line {max(hunk.old_start, 1)}:</td>\n'
            f'  <td colspan="2" class="diff-lineno">Line {max(hunk.new_start, 1)}:</td>\n</tr>'
        )
        for line in hunk.lines:
            old_cell = (
                '<td class="diff-marker" data-marker="\u2212"></td>\n'
                f'  <td class="diff-deletedline diff-side-deleted"><div>'
                f"{_cells(line.old, 'del')}</div></td>"
            )
            new_cell = (
                '<td class="diff-marker" data-marker="+"></td>\n'
                f'  <td class="diff-addedline diff-side-added"><div>'
                f"{_cells(line.new, 'ins')}</div></td>"
            )
            if line.kind == "context":
                text = escape("".join(s.text for s in line.old))
                old_cell = (
                    '<td class="diff-marker"></td>\n'
                    f'  <td class="diff-context diff-side-deleted"><div>{text}</div></td>'
                )
                new_cell = (
                    '<td class="diff-marker"></td>\n'
                    f'  <td class="diff-context diff-side-added"><div>{text}</div></td>'
                )
            elif line.kind == "removed":
                new_cell = empty_new
            elif line.kind == "added":
                old_cell = empty_old
            rows.append(f"<tr>\n  {old_cell}\n  {new_cell}\n</tr>")
    return "\n".join(rows) + ("\n" if rows else "")
