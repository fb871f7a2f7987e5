"""action=protect, block, unblock and undelete, and list=blocks: a steward's tools, through
`wiki.actions.page_protect`/`title_protect`/`page_restore` and `spaces.actions.space_block`/
`space_unblock`, so the one policy decides as it does for the web pages and the REST API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from peerwork.accounts.selectors import user_by_id, user_by_username
from peerwork.activity.actions import watch_set
from peerwork.core.errors import Conflict, Forbidden, Invalid, NotAuthenticated, NotFound
from peerwork.spaces import actions as space_actions
from peerwork.spaces import selectors as space_selectors
from peerwork.spaces.models import Block, SiteBlock
from peerwork.wiki import actions, selectors
from peerwork.wiki.models import Page, ProtectionLevel
from peerwork.wiki.titles import title_text

from .. import auth
from ..context import Ctx, ExpiryError, expiry_text, iso, parse_expiry, user_name
from ..errors import ApiError, missing_param, one_of, param_mix
from .lists import ListResult

#: MediaWiki's protection levels as peerwork's (`""`/`all` lift a protection).
LEVELS = {
    "": ProtectionLevel.ANYONE,
    "all": ProtectionLevel.ANYONE,
    "autoconfirmed": ProtectionLevel.AUTOCONFIRMED,
    "members": ProtectionLevel.MEMBERS,
    "sysop": ProtectionLevel.STEWARDS,
}
WATCHLIST = ("watch", "unwatch", "preferences", "nochange")


def _prepare(ctx: Ctx) -> None:
    auth.check_csrf(ctx)
    auth.check_assert(ctx)
    auth.require_write_scope(ctx)


def _denied(ctx: Ctx, error: Exception, what: str) -> ApiError:
    if isinstance(error, NotAuthenticated):
        return ApiError("permissiondenied", f"You must be logged in to {what}.")
    return ApiError("permissiondenied", f"You don't have permission to {what}.")


def _expiry(value: str) -> datetime | None:
    try:
        moment = parse_expiry(value)
    except ExpiryError:
        raise ApiError("invalidexpiry", f'Expiry time "{value}" is not valid.') from None
    if moment is not None and moment <= timezone.now():
        raise ApiError("pastexpiry", f'Expiry time "{value}" is in the past.')
    return moment


def _watch(ctx: Ctx, page: Page, setting: str) -> None:
    """watchlist=: `preferences` follows MediaWiki's default preference (watch what you
    change); `nochange` leaves the watchlist alone."""
    if setting == "nochange":
        return
    watch_set(user=ctx.user, target=page, watching=setting != "unwatch")


# ---------------------------------------------------------------------------- protect


def _protected_target(ctx: Ctx) -> tuple[str, Page | None]:
    """The page to protect, or (title, None) for a title no page holds (create protection)."""
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
    found: Page | None
    try:
        found = selectors.page_find_existing(user=ctx.user, space=ctx.space, title=raw)
        namespace, bare = actions.parse_title(ctx.space, raw)
    except Invalid as error:
        raise ApiError("invalidtitle", f'Bad title "{raw}": {error.detail}') from None
    return title_text(namespace, bare), found


def _protections(ctx: Ctx, page: Page | None) -> list[tuple[str, str, str]]:
    """(type, MediaWiki level, peerwork level) for each `type=level` of `protections`."""
    if not ctx.params.has("protections"):
        raise missing_param("protections")
    allowed = ("edit", "move") if page is not None else ("create",)
    found: list[tuple[str, str, str]] = []
    for item in ctx.params.values("protections"):
        kind, sep, level = item.partition("=")
        if not sep:
            raise ApiError("protect-invalidaction", f'Invalid protection type "{item}".')
        if kind not in allowed:
            if page is not None and kind == "create":
                raise ApiError(
                    "create-titleexists", "Existing titles can't be protected with create."
                )
            if page is None and kind in ("edit", "move"):
                raise ApiError(
                    "missingtitle-createonly", "Missing titles can only be protected with create."
                )
            raise ApiError("protect-invalidaction", f'Invalid protection type "{kind}".')
        if level not in LEVELS:
            raise ApiError("protect-invalidlevel", f'Invalid protection level "{level}".')
        found = [entry for entry in found if entry[0] != kind] + [(kind, level, LEVELS[level])]
    return found


def action_protect(ctx: Ctx) -> dict[str, Any]:
    params = ctx.params
    assert ctx.space is not None
    title, page = _protected_target(ctx)
    wanted = _protections(ctx, page)
    _prepare(ctx)
    expiries = params.values("expiry") or ["infinite"]
    if len(expiries) == 1:
        expiries = expiries * max(len(wanted), 1)
    if len(expiries) != max(len(wanted), 1):
        raise ApiError(
            "toofewexpiries" if len(expiries) < len(wanted) else "toomanyexpiries",
            f"{len(expiries)} expiry timestamps were provided where {len(wanted)} were needed.",
        )
    until = {kind: _expiry(expiries[index]) for index, (kind, _, _) in enumerate(wanted)}
    levels = {kind: level for kind, _, level in wanted}
    reason = params.text("reason", "") or ""
    cascade = params.flag("cascade")
    watchlist = params.choice("watchlist", WATCHLIST, "preferences")
    if cascade and levels.get("edit") != ProtectionLevel.STEWARDS:
        ctx.warn(
            "protect",
            "Cascading protection was dropped: it needs the page's edit protection at sysop.",
        )
        cascade = False
    answer: dict[str, Any] = {"title": title, "reason": reason}
    try:
        if page is None:
            level = levels.get("create", ProtectionLevel.ANYONE)
            actions.title_protect(
                user=ctx.user,
                space=ctx.space,
                title=title,
                level=level,
                expires_at=until.get("create"),
                reason=reason,
            )
        else:
            actions.page_protect(
                user=ctx.user,
                page=page,
                edit=levels.get("edit", ProtectionLevel.ANYONE),
                move=levels.get("move", ProtectionLevel.ANYONE),
                expires_at=until.get("edit"),
                move_expires_at=until.get("move"),
                cascade=cascade,
                reason=reason,
            )
            _watch(ctx, page, watchlist)
    except (Forbidden, NotAuthenticated) as error:
        raise _denied(ctx, error, "change protection levels") from None
    except Conflict as error:
        raise ApiError("create-titleexists", error.detail) from None
    except Invalid as error:
        raise ApiError("invalidexpiry", error.detail) from None
    if cascade:
        ctx.set_flag(answer, "cascade", True)
    answer["protections"] = [
        {kind: mediawiki_level, "expiry": expiry_text(until[kind])}
        for kind, mediawiki_level, _ in wanted
    ]
    return {"protect": answer}


# ---------------------------------------------------------------------------- blocks


def _person_param(ctx: Ctx, name: str) -> Any:
    raw = ctx.params.text(name) or ""
    person = user_by_username(raw.removeprefix("User:"))
    if person is None:
        raise ApiError("nosuchuser", f'The user "{raw}" does not exist.')
    return person


def block_info(ctx: Ctx, block: Block | SiteBlock) -> dict[str, Any]:
    """MediaWiki's `blockinfo`, sent with the `blocked` error and by meta=userinfo."""
    info: dict[str, Any] = {
        "blockid": block.pk,
        "blockedby": user_name(block.blocked_by.username),
        "blockedbyid": block.blocked_by_id,
        "blockreason": block.reason,
        "blockedtimestamp": iso(block.created_at),
        "blockexpiry": expiry_text(block.expires_at),
    }
    ctx.set_flag(info, "blockpartial", False)
    # A site-wide block keeps its person out of every space, account creation included.
    ctx.set_flag(info, "blocknocreate", getattr(block, "prevents_account_creation", True))
    return info


def blocked_error(ctx: Ctx, block: Block | SiteBlock) -> ApiError:
    until = expiry_text(block.expires_at)
    return ApiError(
        "blocked",
        f"You have been blocked from editing. Reason: {block.reason or '-'}. Expires: {until}.",
        data={"blockinfo": block_info(ctx, block)},
    )


def action_block(ctx: Ctx) -> dict[str, Any]:
    params = ctx.params
    assert ctx.space is not None
    if not params.has("user") and not params.has("userid"):
        raise missing_param("user")
    if params.has("userid") and not params.has("user"):
        found = user_by_id(params.integer("userid"))
        if found is None:
            raise ApiError("nosuchuserid", f"There is no user with ID {params.text('userid')}.")
        params.data["user"] = found.username
    person = _person_param(ctx, "user")
    _prepare(ctx)
    expires_at = _expiry(params.text("expiry", "never") or "never")
    reason = params.text("reason", "") or ""
    nocreate = params.flag("nocreate")
    try:
        block = space_actions.space_block(
            user=ctx.user,
            space=ctx.space,
            person=person,
            reason=reason,
            expires_at=expires_at,
            prevents_account_creation=nocreate,
            replace=params.flag("reblock"),
        )
    except (Forbidden, NotAuthenticated) as error:
        raise _denied(ctx, error, "block users") from None
    except Conflict:
        raise ApiError(
            "alreadyblocked", f"{user_name(person.username)} is already blocked."
        ) from None
    except Invalid as error:
        raise ApiError("cantblock", error.detail) from None
    answer: dict[str, Any] = {
        "user": user_name(person.username),
        "userID": person.pk,
        "expiry": expiry_text(block.expires_at),
        "id": block.pk,
        "reason": block.reason,
    }
    for flag in ("nocreate", "autoblock", "noemail", "hidename", "allowusertalk", "watchuser"):
        ctx.set_flag(answer, flag, params.flag(flag))
    ctx.set_flag(answer, "partial", False)
    answer["pagerestrictions"] = None
    answer["namespacerestrictions"] = None
    return {"block": answer}


def action_unblock(ctx: Ctx) -> dict[str, Any]:
    params = ctx.params
    assert ctx.space is not None
    given = [name for name in ("id", "user", "userid") if params.has(name)]
    if not given:
        raise one_of("id", "user", "userid")
    if len(given) > 1:
        raise param_mix(*given)
    person: Any
    if given[0] == "id":
        block_id = params.integer("id")
        found = space_selectors.blocks_of_space(user=ctx.user, space=ctx.space).filter(pk=block_id)
        block = next(iter(found), None)
        if block is None:
            raise ApiError("nosuchblockid", f"There is no block with ID {block_id}.")
        person = block.user
    elif given[0] == "userid":
        person = user_by_id(params.integer("userid"))
        if person is None:
            raise ApiError("nosuchuserid", f"There is no user with ID {params.text('userid')}.")
    else:
        person = _person_param(ctx, "user")
    _prepare(ctx)
    reason = params.text("reason", "") or ""
    try:
        lifted = space_actions.space_unblock(
            user=ctx.user, space=ctx.space, person=person, reason=reason
        )
    except (Forbidden, NotAuthenticated) as error:
        raise _denied(ctx, error, "unblock users") from None
    except Conflict:
        raise ApiError(
            "cantunblock",
            "The block you specified was not found. It may have been unblocked already.",
        ) from None
    return {
        "unblock": {
            "id": lifted.pk,
            "user": user_name(person.username),
            "userid": person.pk,
            "reason": reason,
        }
    }


BKPROPS = ("id", "user", "userid", "by", "byid", "timestamp", "expiry", "reason", "flags")


def list_blocks(ctx: Ctx, p: str) -> ListResult:
    """list=blocks: the blocks in force in the space, newest first."""
    params = ctx.params
    assert ctx.space is not None
    props = params.choices(
        p + "prop", BKPROPS, ctx, default=["id", "user", "by", "timestamp", "expiry", "reason"]
    )
    limit = params.limit(p + "limit", ctx, default=10, maximum=500)
    blocks = space_selectors.blocks_of_space(user=ctx.user, space=ctx.space)
    names = params.values(p + "users")
    if names:
        people = [user_by_username(name.removeprefix("User:")) for name in names]
        blocks = blocks.filter(user__in=[person for person in people if person is not None])
    ids = params.integers(p + "ids")
    if ids:
        blocks = blocks.filter(pk__in=ids)
    start = params.text(p + "continue")
    if start:
        if not start.isdigit():
            raise ApiError("badcontinue", "Invalid continue param.")
        blocks = blocks.filter(pk__lte=int(start))
    found = list(blocks[: limit + 1])
    following = found[limit] if len(found) > limit else None
    rows = []
    for block in found[:limit]:
        row: dict[str, Any] = {}
        if "id" in props:
            row["id"] = block.pk
        if "user" in props:
            row["user"] = user_name(block.user.username)
        if "userid" in props:
            row["userid"] = block.user_id
        if "by" in props:
            row["by"] = user_name(block.blocked_by.username)
        if "byid" in props:
            row["byid"] = block.blocked_by_id
        if "timestamp" in props:
            row["timestamp"] = iso(block.created_at)
        if "expiry" in props:
            row["expiry"] = expiry_text(block.expires_at)
        if "reason" in props:
            row["reason"] = block.reason
        if "flags" in props:
            ctx.set_flag(row, "automatic", False)
            ctx.set_flag(row, "anononly", False)
            ctx.set_flag(row, "nocreate", block.prevents_account_creation)
            ctx.set_flag(row, "autoblock", False)
            ctx.set_flag(row, "noemail", False)
            ctx.set_flag(row, "hidden", False)
            ctx.set_flag(row, "allowusertalk", True)
            ctx.set_flag(row, "partial", False)
        rows.append(row)
    cont = {p + "continue": str(following.pk)} if following else {}
    return ListResult(rows, [], cont)


# ---------------------------------------------------------------------------- undelete


def _cant_undelete() -> ApiError:
    return ApiError(
        "cantundelete",
        "Couldn't undelete: the requested revisions may not exist, "
        "or may have been undeleted already.",
    )


def action_undelete(ctx: Ctx) -> dict[str, Any]:
    """The whole page comes back (peerwork deletes and restores pages, not single revisions,
    so `timestamps` and `fileids` are not needed to choose)."""
    params = ctx.params
    assert ctx.space is not None
    raw = params.required("title")
    try:
        page = selectors.page_find(user=ctx.user, space=ctx.space, title=raw)
    except Invalid as error:
        raise ApiError("invalidtitle", f'Bad title "{raw}": {error.detail}') from None
    _prepare(ctx)
    if page is None or not page.is_deleted:
        raise _cant_undelete()
    count = selectors.page_history(page).count()
    # MediaWiki leaves the comment empty; peerwork's public log wants a reason, so it says
    # what came back.
    reason = (params.text("reason") or "").strip() or (
        f"{count} revision{'s' if count != 1 else ''} restored"
    )
    try:
        actions.page_restore(user=ctx.user, page=page, reason=reason)
    except (Forbidden, NotAuthenticated) as error:
        raise _denied(ctx, error, "view and undelete deleted revisions") from None
    except (NotFound, Conflict):
        raise _cant_undelete() from None
    watchlist = params.choice("watchlist", WATCHLIST, "preferences")
    if watchlist != "preferences":
        _watch(ctx, page, watchlist)
    return {
        "undelete": {
            "title": title_text(page.namespace, page.title),
            "revisions": count,
            "fileversions": 0,
            "reason": reason,
        }
    }
