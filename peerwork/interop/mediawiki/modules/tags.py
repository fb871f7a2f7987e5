"""Change tags: list=tags, action=managetags and action=tag, through the wiki's tag actions
(`tag_create`, `tag_set_active`, `tag_delete`, `change_tags_update`)."""

from __future__ import annotations

from typing import Any

from peerwork.core.errors import Conflict, Forbidden, Invalid, NotAuthenticated, NotFound
from peerwork.wiki import actions, selectors
from peerwork.wiki.models import Revision

from .. import auth
from ..context import Ctx
from ..errors import ApiError, missing_param
from .lists import LIST_MODULES, LOG_TYPES, ListResult

TGPROPS = ("displayname", "description", "hitcount", "defined", "active", "source")


def list_tags(ctx: Ctx, p: str) -> ListResult:
    params = ctx.params
    assert ctx.space is not None
    props = params.choices(p + "prop", TGPROPS, ctx)
    limit = params.limit(p + "limit", ctx, default=10, maximum=500)
    tags = selectors.space_tags(user=ctx.user, space=ctx.space)
    start = params.text(p + "continue")
    if start:
        tags = tags.filter(name__gte=start)
    found = list(tags[: limit + 1])
    following = found[limit] if len(found) > limit else None
    rows = []
    for tag in found[:limit]:
        row: dict[str, Any] = {"name": tag.name}
        if "displayname" in props:
            row["displayname"] = tag.name
        if "description" in props:
            row["description"] = tag.description
        if "hitcount" in props:
            row["hitcount"] = getattr(tag, "hits", 0)
        if "defined" in props:
            ctx.set_flag(row, "defined", True)
        if "source" in props:
            row["source"] = ["manual"]
        if "active" in props:
            ctx.set_flag(row, "active", tag.is_active)
        rows.append(row)
    cont = {p + "continue": following.name} if following is not None else {}
    return ListResult(rows, [], cont)


def _prepare(ctx: Ctx) -> None:
    auth.check_csrf(ctx)
    auth.check_assert(ctx)
    auth.require_write_scope(ctx)


def _refused(error: Exception, what: str) -> ApiError:
    if isinstance(error, NotAuthenticated):
        return ApiError("notloggedin", f"Please log in to {what}.")
    return ApiError("permissiondenied", f"You don't have permission to {what}.")


def action_managetags(ctx: Ctx) -> dict[str, Any]:
    params = ctx.params
    assert ctx.space is not None
    operation = params.choice("operation", ("create", "delete", "activate", "deactivate"))
    if operation is None:
        raise missing_param("operation")
    name = params.required("tag")
    reason = params.text("reason", "") or ""
    _prepare(ctx)
    try:
        if operation == "create":
            tag = actions.tag_create(user=ctx.user, space=ctx.space, name=name, reason=reason)
        else:
            tag = selectors.tag_get(user=ctx.user, space=ctx.space, name=name)
            if operation == "delete":
                actions.tag_delete(user=ctx.user, tag=tag, reason=reason)
            else:
                actions.tag_set_active(
                    user=ctx.user, tag=tag, active=operation == "activate", reason=reason
                )
    except (Forbidden, NotAuthenticated) as error:
        raise _refused(error, "manage change tags") from None
    except NotFound as error:
        raise ApiError(f"tags-{operation}-not-found", error.detail) from None
    except Conflict as error:
        code = {"create": "tags-create-already-exists"}.get(operation, f"tags-{operation}-failed")
        raise ApiError(code, error.detail) from None
    except Invalid as error:
        raise ApiError("tags-create-invalid-chars", error.detail) from None
    answer: dict[str, Any] = {"operation": operation, "tag": name}
    ctx.set_flag(answer, "success", True)
    answer["logid"] = _last_event_id(ctx)
    return {"managetags": answer}


def _last_event_id(ctx: Ctx) -> int:
    from peerwork.activity.selectors import space_events

    assert ctx.space is not None
    event = (
        space_events(viewer=ctx.user, space=ctx.space)
        .filter(verb__startswith="tag:", actor=ctx.user)
        .order_by("-id")
        .first()
    )
    return event.pk if event is not None else 0


def action_tag(ctx: Ctx) -> dict[str, Any]:
    params = ctx.params
    assert ctx.space is not None
    rcids = params.integers("rcid")
    revids = params.integers("revid")
    logids = params.integers("logid")
    if not (rcids or revids or logids):
        raise ApiError(
            "missingparam", 'One of the parameters "rcid", "revid", "logid" is required.'
        )
    add = params.values("add")
    remove = params.values("remove")
    if not add and not remove:
        raise ApiError(
            "missingparam", 'At least one of the parameters "add", "remove" is required.'
        )
    reason = params.text("reason", "") or ""
    _prepare(ctx)
    changes = selectors.recent_changes(user=ctx.user, space=ctx.space)
    targets: list[tuple[str, int, Any, Any]] = []
    for rcid in rcids:
        change = changes.filter(pk=rcid).first()
        if change is None:
            targets.append(("rcid", rcid, None, None))
        elif change.verb in ("page:created", "page:edited"):
            targets.append(
                ("rcid", rcid, _revision(ctx, (change.data or {}).get("revision")), None)
            )
        else:
            targets.append(("rcid", rcid, None, change))
    for revid in revids:
        targets.append(("revid", revid, _revision(ctx, revid), None))
    for logid in logids:
        entry = changes.filter(pk=logid, verb__in=list(LOG_TYPES)).first()
        targets.append(("logid", logid, None, entry))
    results = []
    for key, number, revision, event in targets:
        item: dict[str, Any] = {key: number}
        if revision is None and event is None:
            item["status"] = "error"
            item["errors"] = [{"code": f"nosuch{key}", "text": f"There is no {key} {number}."}]
            results.append(item)
            continue
        try:
            done = actions.change_tags_update(
                user=ctx.user,
                space=ctx.space,
                revision=revision,
                event=event,
                add=add,
                remove=remove,
                reason=reason,
            )
        except (Forbidden, NotAuthenticated) as error:
            raise _refused(error, "add or remove change tags") from None
        except Invalid as error:
            reason_code = error.extra.get("reason")
            if reason_code == "notdefined" and error.field == "add":
                code = "tags-apply-not-allowed-one"
            elif reason_code == "inactive":
                code = "tags-apply-not-allowed-one"
            elif reason_code == "notdefined":
                code = "tags-update-remove-not-allowed-one"
            else:
                code = "badvalue"
            raise ApiError(code, error.detail) from None
        item["status"] = "success"
        if not done.added and not done.removed:
            ctx.set_flag(item, "noop", True)
        else:
            assert done.event is not None
            item["actionlogid"] = done.event.pk
            item["added"] = done.added
            item["removed"] = done.removed
        results.append(item)
    return {"tag": results}


def _revision(ctx: Ctx, revision_id: Any) -> Revision | None:
    assert ctx.space is not None
    if not isinstance(revision_id, int):
        return None
    try:
        return selectors.revision_get_visible(
            user=ctx.user, space=ctx.space, revision_id=revision_id
        )
    except NotFound:
        return None


def apply_edit_tags(ctx: Ctx, revision: Revision | None) -> None:
    """`tags=` on a write: the tags go on the revision it saved, as one more action."""
    names = ctx.params.values("tags")
    if not names or revision is None:
        return
    assert ctx.space is not None
    try:
        actions.change_tags_update(
            user=ctx.user, space=ctx.space, revision=revision, add=names, remove=[]
        )
    except Invalid as error:
        raise ApiError("tags-apply-not-allowed-one", error.detail) from None


LIST_MODULES["tags"] = ("tg", list_tags)
