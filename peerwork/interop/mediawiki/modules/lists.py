"""list= modules (and the generators built on them): allpages, categorymembers, recentchanges,
usercontribs, search, logevents, prefixsearch. Each reads through a wiki or search selector,
so it shows only what the viewer may see."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from django.db.models import Q

from peerwork.accounts.selectors import user_by_username
from peerwork.core import policy
from peerwork.core.errors import Invalid, NotFound
from peerwork.core.markup import render_comment
from peerwork.search.selectors import search_pages
from peerwork.wiki import selectors
from peerwork.wiki.actions import parse_title
from peerwork.wiki.models import Page, Revision
from peerwork.wiki.titles import CATEGORY_NAMESPACE, NAMESPACES

from .. import auth
from ..context import Ctx, compact, full_title, iso, parse_timestamp, user_name
from ..errors import ApiError, bad_value, missing_param


@dataclass
class ListResult:
    rows: list[dict[str, Any]]
    #: The pages behind the rows, for generator use.
    pages: list[Page]
    cont: dict[str, str]
    #: Titles a generator names that have no page (answered as missing).
    missing_titles: list[str] = field(default_factory=list)


def _namespaces(ctx: Ctx, name: str) -> list[int]:
    numbers = ctx.params.integers(name)
    for number in numbers:
        if number not in NAMESPACES and number not in (-1, -2):
            raise bad_value(name, str(number))
    return numbers


def _continue_key(page: Page) -> str:
    return f"{page.namespace}|{page.title.replace(' ', '_')}"


def _after_key(ctx: Ctx, name: str, descending: bool = False) -> Q | None:
    raw = ctx.params.text(name)
    if not raw:
        return None
    namespace, bar, title = raw.partition("|")
    if not bar or not namespace.lstrip("-").isdigit():
        raise bad_value(name, raw)
    title = title.replace("_", " ")
    if descending:
        return Q(namespace__lt=int(namespace)) | Q(namespace=int(namespace), title__lte=title)
    return Q(namespace__gt=int(namespace)) | Q(namespace=int(namespace), title__gte=title)


def _page_rows(pages: list[Page]) -> list[dict[str, Any]]:
    return [
        {"pageid": page.pk, "ns": page.namespace, "title": full_title(page.namespace, page.title)}
        for page in pages
    ]


def _cut(items: list[Any], limit: int) -> tuple[list[Any], Any]:
    if len(items) > limit:
        return items[:limit], items[limit]
    return items, None


def allpages(ctx: Ctx, p: str) -> ListResult:
    params = ctx.params
    assert ctx.space is not None
    namespace = params.integer(p + "namespace", 0)
    if namespace not in NAMESPACES:
        raise bad_value(p + "namespace", str(namespace))
    limit = params.limit(p + "limit", ctx, default=10, maximum=500)
    descending = params.choice(p + "dir", ("ascending", "descending"), "ascending") == "descending"
    pages = selectors.pages_in_space(user=ctx.user, space=ctx.space, namespace=namespace)
    redirects = params.choice(p + "filterredir", ("all", "redirects", "nonredirects"), "all")
    if redirects != "all":
        pages = pages.filter(is_redirect=redirects == "redirects")
    prefix = params.text(p + "prefix")
    if prefix:
        pages = pages.filter(title__startswith=prefix.replace("_", " "))
    start = params.text(p + "continue") or params.text(p + "from")
    end = params.text(p + "to")
    lookup = "lte" if descending else "gte"
    if start:
        pages = pages.filter(**{f"title__{lookup}": start.replace("_", " ")})
    if end:
        pages = pages.filter(**{f"title__{'gte' if descending else 'lte'}": end.replace("_", " ")})
    if descending:
        pages = pages.order_by("-title")
    found, following = _cut(list(pages[: limit + 1]), limit)
    cont = {p + "continue": following.title.replace(" ", "_")} if following else {}
    return ListResult(_page_rows(found), found, cont)


def categorymembers(ctx: Ctx, p: str) -> ListResult:
    params = ctx.params
    assert ctx.space is not None
    if params.has(p + "title"):
        raw = params.required(p + "title")
        try:
            namespace, category = parse_title(ctx.space, raw)
        except Invalid:
            raise ApiError("invalidtitle", f'Bad title "{raw}".') from None
        if namespace != 14:
            raise ApiError("invalidcategory", "The category name you entered is not valid.")
    elif params.has(p + "pageid"):
        try:
            page = selectors.page_get_visible_by_id(
                user=ctx.user, space=ctx.space, page_id=params.integer(p + "pageid")
            )
        except NotFound:
            page = None
        if page is None or page.namespace != CATEGORY_NAMESPACE:
            raise ApiError("nosuchpageid", "There is no page with that ID.")
        category = page.title
    else:
        raise ApiError(
            "missingparam", f'One of the parameters "{p}title", "{p}pageid" is required.'
        )
    limit = params.limit(p + "limit", ctx, default=10, maximum=500)
    members = selectors.category_members(user=ctx.user, space=ctx.space, category=category)
    namespaces = _namespaces(ctx, p + "namespace")
    types = params.choices(
        p + "type", ("page", "subcat", "file"), ctx, default=["page", "subcat", "file"]
    )
    if namespaces:
        members = members.filter(namespace__in=namespaces)
    if "subcat" not in types:
        members = members.exclude(namespace=14)
    if "file" not in types:
        members = members.exclude(namespace=6)
    if "page" not in types:
        members = members.filter(namespace__in=[6, 14])
    descending = params.choice(
        p + "dir", ("asc", "desc", "ascending", "descending", "newer", "older"), "asc"
    ) in ("desc", "descending", "older")
    after = _after_key(ctx, p + "continue", descending)
    if after is not None:
        members = members.filter(after)
    if descending:
        members = members.order_by("-namespace", "-title")
    found, following = _cut(list(members[: limit + 1]), limit)
    props = params.choices(
        p + "prop",
        ("ids", "title", "sortkey", "sortkeyprefix", "type", "timestamp"),
        ctx,
        default=["ids", "title"],
    )
    rows = []
    for page in found:
        row: dict[str, Any] = {}
        if "ids" in props:
            row["pageid"] = page.pk
        if "title" in props:
            row["ns"] = page.namespace
            row["title"] = full_title(page.namespace, page.title)
        if "sortkeyprefix" in props:
            row["sortkeyprefix"] = ""
        if "type" in props:
            row["type"] = {14: "subcat", 6: "file"}.get(page.namespace, "page")
        if "timestamp" in props:
            row["timestamp"] = iso(page.created_at)
        rows.append(row)
    cont = {p + "continue": _continue_key(following)} if following else {}
    return ListResult(rows, found, cont)


LOG_TYPES = {
    "page:moved": ("move", "move"),
    "page:deleted": ("delete", "delete"),
    "page:restored": ("delete", "restore"),
    "page:protected": ("protect", "protect"),
    "revision:reviewed": ("patrol", "patrol"),
}
RCPROPS = (
    "user",
    "userid",
    "comment",
    "parsedcomment",
    "flags",
    "timestamp",
    "title",
    "ids",
    "sizes",
    "redirect",
    "patrolled",
    "loginfo",
    "tags",
    "sha1",
)
RCSHOW = (
    "minor",
    "!minor",
    "bot",
    "!bot",
    "anon",
    "!anon",
    "redirect",
    "!redirect",
    "patrolled",
    "!patrolled",
    "unpatrolled",
    "autopatrolled",
    "!autopatrolled",
)
RCTYPES = ("edit", "new", "log", "external", "categorize")


def _person(raw: str) -> Any:
    return user_by_username(raw.replace("_", " ").strip())


class _Window(NamedTuple):
    newer: bool
    since: datetime | None
    until: datetime | None
    person: Any
    #: A person was named who does not exist: the list is empty.
    nobody: bool


def _window(ctx: Ctx, p: str) -> _Window:
    """The direction, time range and person that list=recentchanges and list=logevents share
    (`<p>dir`, `<p>start`, `<p>end`, `<p>user`)."""
    params = ctx.params
    newer = params.choice(p + "dir", ("older", "newer"), "older") == "newer"
    start, end = params.timestamp(p + "start"), params.timestamp(p + "end")
    since, until = (start, end) if newer else (end, start)
    person = None
    if params.text(p + "user"):
        person = _person(params.text(p + "user"))
        if person is None:
            return _Window(newer, since, until, None, True)
    return _Window(newer, since, until, person, False)


def recentchanges(ctx: Ctx, p: str) -> ListResult:
    params = ctx.params
    assert ctx.space is not None
    props = params.choices(p + "prop", RCPROPS, ctx, default=["title", "timestamp", "ids"])
    show = params.choices(p + "show", RCSHOW, ctx)
    types = params.choices(p + "type", RCTYPES, ctx, default=["edit", "new", "log", "categorize"])
    limit = params.limit(p + "limit", ctx, default=10, maximum=500)
    newer, since, until, person, nobody = _window(ctx, p)
    if nobody:
        return ListResult([], [], {})
    for flag in ("minor", "bot", "anon", "redirect", "patrolled", "autopatrolled"):
        if flag in show and "!" + flag in show:
            raise ApiError(
                "show", "Incorrect parameter - mutually exclusive values may not be supplied."
            )
    review_shown = {"patrolled", "!patrolled", "unpatrolled", "autopatrolled", "!autopatrolled"}
    if ("patrolled" in props or review_shown.intersection(show)) and not _may_patrol(ctx):
        raise ApiError(
            "permissiondenied",
            "You need the patrol or patrolmarks right to request the patrolled flag.",
        )

    def shown(flag: str) -> bool | None:
        return True if flag in show else False if "!" + flag in show else None

    reviewed = shown("patrolled")
    if "unpatrolled" in show:
        reviewed = False
    events = selectors.recent_changes(
        user=ctx.user,
        space=ctx.space,
        person=person,
        minor=shown("minor"),
        bot=shown("bot"),
        reviewed=reviewed,
        autoreviewed=shown("autopatrolled"),
        since=since,
        until=until + timedelta(microseconds=1) if until is not None else None,
    )
    namespaces = _namespaces(ctx, p + "namespace")
    if namespaces:
        events = events.filter(data__namespace__in=namespaces)
    verbs = []
    if "edit" in types:
        verbs.append("page:edited")
    if "new" in types:
        verbs.append("page:created")
    if "log" in types:
        # As MediaWiki does, patrols go to the patrol log only, not to recent changes.
        verbs += [verb for verb in LOG_TYPES if verb != "revision:reviewed"]
    events = events.filter(verb__in=verbs)
    if "anon" in show:
        events = events.none()
    excluded = params.text(p + "excludeuser")
    if excluded:
        other = _person(excluded)
        if other is not None:
            events = events.exclude(actor=other)
    title = params.text(p + "title")
    if title:
        try:
            namespace, bare = parse_title(ctx.space, title)
        except Invalid:
            raise ApiError("invalidtitle", f'Bad title "{title}".') from None
        events = events.filter(data__namespace=namespace, data__title=bare)
    continue_from = params.text(p + "continue")
    if continue_from:
        last = continue_from.rsplit("|", 1)[-1]
        if not last.isdigit():
            raise bad_value(p + "continue", continue_from)
        events = events.filter(pk__gte=int(last)) if newer else events.filter(pk__lte=int(last))
    if newer:
        events = events.order_by("id")
    # Only what a row shows, as plain rows: bots ask for this list all the time, and building
    # model instances of each event and its author cost more than fetching them.
    found, following = _cut(
        [_RcEvent(*values) for values in events.values_list(*_RcEvent._fields)[: limit + 1]],
        limit,
    )
    revision_ids = [
        (event.data or {}).get("revision", 0)
        for event in found
        if event.verb in ("page:created", "page:edited")
    ]
    states = selectors.review_states(revision_ids) if "patrolled" in props else {}
    tagged = selectors.tags_of_revisions(revision_ids) if "tags" in props else {}
    tagged_events = (
        selectors.tags_of_events([e.pk for e in found if e.verb in LOG_TYPES])
        if "tags" in props
        else {}
    )
    rows = []
    for event in found:
        row = _rc_row(ctx, event, props)
        revision_id = (event.data or {}).get("revision", 0)
        is_log = event.verb not in ("page:created", "page:edited")
        if "patrolled" in props and not is_log:
            state = states.get(revision_id, "unreviewed")
            ctx.set_flag(row, "patrolled", state != "unreviewed")
            ctx.set_flag(row, "unpatrolled", state == "unreviewed")
            ctx.set_flag(row, "autopatrolled", state == "autoreviewed")
        if "tags" in props:
            row["tags"] = tagged_events.get(event.pk, []) if is_log else tagged.get(revision_id, [])
        rows.append(row)
    cont = {p + "continue": f"{compact(following.created_at)}|{following.pk}"} if following else {}
    if not p.startswith("g"):
        return ListResult(rows, [], cont)  # only a generator hands its pages on
    pages = list(
        selectors.pages_visible_by_id(
            user=ctx.user,
            space=ctx.space,
            ids={int(e.target_id) for e in found if e.target_id.isdigit()},
        ).values()
    )
    return ListResult(rows, pages, cont)


class _RcEvent(NamedTuple):
    """The columns of one event that a recent-changes row shows."""

    pk: int
    verb: str
    data: dict[str, Any] | None
    created_at: datetime
    target_id: str
    actor_id: int | None
    actor__username: str | None


def _may_patrol(ctx: Ctx) -> bool:
    """Whether the viewer may patrol in this space: only they see the patrol flags."""
    assert ctx.space is not None
    page = Page(space=ctx.space, namespace=0, title="")
    return policy.can(ctx.user, "revision.patrol", Revision(page=page))


def _rc_row(ctx: Ctx, event: _RcEvent, props: list[str]) -> dict[str, Any]:
    data = event.data or {}
    namespace = data.get("namespace", 0)
    title = data.get("title", "")
    if event.verb == "page:moved":
        namespace_title = data.get("from", "")
    else:
        namespace_title = full_title(namespace, title) if namespace in NAMESPACES else title
    kind = {"page:created": "new", "page:edited": "edit"}.get(event.verb, "log")
    row: dict[str, Any] = {"type": kind}
    if "title" in props:
        row["ns"] = namespace
        row["title"] = namespace_title
    if "ids" in props:
        row["pageid"] = int(event.target_id) if str(event.target_id).isdigit() else 0
        row["revid"] = data.get("revision", 0) if kind != "log" else 0
        row["old_revid"] = (data.get("parent") or 0) if kind != "log" else 0
        row["rcid"] = event.pk
    if "user" in props:
        row["user"] = user_name(event.actor__username) if event.actor__username else ""
    if "userid" in props:
        row["userid"] = event.actor_id or 0
    if "flags" in props:
        ctx.set_flag(row, "bot", bool(data.get("bot")))
        ctx.set_flag(row, "new", kind == "new")
        ctx.set_flag(row, "minor", bool(data.get("minor")))
    if "sizes" in props and kind != "log":
        size = data.get("size", 0)
        row["oldlen"] = size - data.get("size_delta", 0) if kind == "edit" else 0
        row["newlen"] = size
    if "timestamp" in props:
        row["timestamp"] = iso(event.created_at)
    comment = data.get("summary", data.get("reason", "")) or ""
    if "comment" in props:
        row["comment"] = comment
    if "parsedcomment" in props:
        row["parsedcomment"] = render_comment(comment) if comment else ""
    if "redirect" in props:
        ctx.set_flag(row, "redirect", False)
    if "tags" in props:
        row["tags"] = []
    if "loginfo" in props and kind == "log":
        log_type, action = LOG_TYPES[event.verb]
        row["logid"] = event.pk
        row["logtype"] = log_type
        row["logaction"] = action
        params: dict[str, Any] = {}
        if event.verb == "page:moved":
            params = {"target_ns": namespace, "target_title": data.get("to", "")}
            ctx.set_flag(params, "suppressredirect", not data.get("redirect", True))
        row["logparams"] = params
    return row


#: What list=logevents lists: the log entries of recent changes, and page creations (MediaWiki's
#: `create` log, which recent changes show as `new` rather than as log entries).
LOGEVENT_TYPES = {
    **LOG_TYPES,
    "page:created": ("create", "create"),
    "title:protected": ("protect", "protect"),
    "space:blocked": ("block", "block"),
    "space:unblocked": ("block", "unblock"),
}
USER_NAMESPACE = 2
#: The actions an entry of a verb may carry (`_log_action`), for `leaction`; an entry of a
#: protection listed under `protect/modify` may be any of them (the action is read from data).
LOG_ACTIONS = {
    "page:protected": ("protect", "modify", "unprotect"),
    "title:protected": ("protect", "modify", "unprotect"),
    "space:blocked": ("block", "reblock"),
}


def _log_action(event: Any) -> tuple[str, str]:
    """The log type and action of an entry: a protection is `protect`, `modify` (it changed
    one in force) or `unprotect`; a block that replaced one is a `reblock`."""
    kind, what = LOGEVENT_TYPES[event.verb]
    data = event.data or {}
    if event.verb == "page:protected":
        now = data.get("now") or {}
        before = {
            key: change.get("old")
            for key, change in data.items()
            if key in ("edit", "move") and isinstance(change, dict)
        }
        after = {key: now.get(key, "anyone") for key in ("edit", "move")} if now else {}
        if now and all(level == "anyone" for level in after.values()):
            return kind, "unprotect"
        if any(level not in (None, "anyone") for level in before.values()):
            return kind, "modify"
    if event.verb == "title:protected":
        change = data.get("create") or {}
        if change.get("new") == "anyone":
            return kind, "unprotect"
        if change.get("old") not in (None, "anyone"):
            return kind, "modify"
    if event.verb == "space:blocked" and data.get("replaced"):
        return kind, "reblock"
    return kind, what


LEPROPS = (
    "ids",
    "title",
    "type",
    "user",
    "userid",
    "timestamp",
    "comment",
    "parsedcomment",
    "details",
    "tags",
)
#: MediaWiki's log types; those peerwork does not keep (uploads, blocks, ...) list nothing.
MEDIAWIKI_LOG_TYPES = (
    "block",
    "contentmodel",
    "create",
    "delete",
    "import",
    "managetags",
    "merge",
    "move",
    "newusers",
    "patrol",
    "protect",
    "rights",
    "suppress",
    "tag",
    "upload",
)


def _log_title(ctx: Ctx, event: Any) -> tuple[int, str]:
    """The title a log entry is about: for a move, the old title (as MediaWiki's move log)."""
    data = event.data or {}
    if event.verb == "page:moved" and data.get("from"):
        assert ctx.space is not None
        try:
            namespace, title = parse_title(ctx.space, data["from"])
        except Invalid:
            return 0, str(data["from"])
        return namespace, full_title(namespace, title)
    if event.verb in ("space:blocked", "space:unblocked"):
        return USER_NAMESPACE, full_title(USER_NAMESPACE, user_name(data.get("user", "")))
    namespace = data.get("namespace", 0)
    title = data.get("title", "")
    return namespace, full_title(namespace, title) if namespace in NAMESPACES else title


def _log_params(ctx: Ctx, event: Any, parents: dict[int, int]) -> dict[str, Any]:
    data = event.data or {}
    if event.verb == "page:moved":
        params: dict[str, Any] = {
            "target_ns": data.get("namespace", 0),
            "target_title": data.get("to", ""),
        }
        ctx.set_flag(params, "suppressredirect", not data.get("redirect", True))
        return params
    if event.verb in ("page:protected", "title:protected"):
        return _protect_params(ctx, event)
    if event.verb == "space:blocked":
        expires = parse_timestamp(data.get("expires_at") or "")
        block: dict[str, Any] = {"duration": iso(expires) if expires else "infinite"}
        block["flags"] = []
        ctx.set_flag(block, "sitewide", True)
        if expires:
            block["expiry"] = iso(expires)
        return block
    if event.verb == "revision:reviewed":
        revision = data.get("revision", 0)
        patrol: dict[str, Any] = {"curid": revision, "previd": parents.get(revision, 0)}
        ctx.set_flag(patrol, "auto", False)
        return patrol
    return {}


def _protect_params(ctx: Ctx, event: Any) -> dict[str, Any]:
    """What a protection entry set: each restriction with its level, expiry and cascade."""
    data = event.data or {}
    if event.verb == "title:protected":
        change = data.get("create") or {}
        now = {"create": change.get("new", "anyone"), "create_expires_at": data.get("expires_at")}
        kinds = [("create", "create_expires_at")]
        cascade = False
    elif data.get("now"):
        now = data["now"]
        kinds = [("edit", "expires_at"), ("move", "move_expires_at")]
        cascade = bool(now.get("cascade"))
    else:  # entries written before each restriction kept its own expiry
        now = {key: (data.get(key) or {}).get("new", "") for key in ("edit", "move", "expires_at")}
        now["move_expires_at"] = now.get("expires_at")
        kinds = [("edit", "expires_at"), ("move", "move_expires_at")]
        cascade = False
    details: list[dict[str, Any]] = []
    for kind, expiry_key in kinds:
        level = auth.PROTECTION_LEVELS.get(now.get(kind) or "", "")
        if level:
            expires = parse_timestamp(now.get(expiry_key) or "")
            detail = {
                "type": kind,
                "level": level,
                "expiry": iso(expires) if expires else "infinite",
            }
            ctx.set_flag(detail, "cascade", cascade and kind == "edit")
            details.append(detail)
    # Written as MediaWiki writes it, each restriction after a left-to-right mark.
    description = "".join(
        f"\u200e[{d['type']}={d['level']}] "
        + (f"(expires {d['expiry']})" if d["expiry"] != "infinite" else "(indefinite)")
        for d in details
    )
    protection: dict[str, Any] = {"description": description}
    ctx.set_flag(protection, "cascade", cascade)
    protection["details"] = details
    return protection


def logevents(ctx: Ctx, p: str) -> ListResult:
    """list=logevents: moves, deletions and restorations, protections and reviews (patrols),
    read from the space's activity log as list=recentchanges reads it."""
    params = ctx.params
    assert ctx.space is not None
    props = params.choices(
        p + "prop",
        LEPROPS,
        ctx,
        default=["ids", "title", "type", "user", "timestamp", "comment", "details"],
    )
    log_type = params.choice(p + "type", ("", *MEDIAWIKI_LOG_TYPES), "")
    action = params.text(p + "action")
    if log_type and action:
        raise ApiError(
            "invalidparammix",
            f'The parameters "{p}type" and "{p}action" can not be used together.',
        )
    limit = params.limit(p + "limit", ctx, default=10, maximum=500)
    newer, since, until, person, nobody = _window(ctx, p)
    if nobody:
        return ListResult([], [], {})
    events = selectors.recent_changes(
        user=ctx.user,
        space=ctx.space,
        person=person,
        since=since,
        until=until + timedelta(microseconds=1) if until is not None else None,
        verbs=list(LOGEVENT_TYPES),
    )
    verbs = [
        verb
        for verb, (kind, what) in LOGEVENT_TYPES.items()
        if (not log_type or kind == log_type)
        and (
            not action
            or action == kind
            or action in {f"{kind}/{name}" for name in LOG_ACTIONS.get(verb, (what,))}
        )
    ]
    events = events.filter(verb__in=verbs)
    namespaces = _namespaces(ctx, p + "namespace")
    if namespaces:
        events = events.filter(data__namespace__in=namespaces)
    title = params.text(p + "title")
    if title:
        try:
            namespace, bare = parse_title(ctx.space, title)
        except Invalid:
            raise ApiError("invalidtitle", f'Bad title "{title}".') from None
        moved_away = Q(verb="page:moved", data__from=full_title(namespace, bare))
        block_verbs = ("space:blocked", "space:unblocked")
        of_page = ~Q(verb="page:moved") & ~Q(verb__in=block_verbs)
        of_person = Q(verb__in=block_verbs, data__user__iexact=bare.replace(" ", "_"))
        events = events.filter(
            (of_page & Q(data__namespace=namespace, data__title=bare))
            | moved_away
            | (of_person if namespace == USER_NAMESPACE else Q(pk__in=[]))
        )
    continue_from = params.text(p + "continue")
    if continue_from:
        last = continue_from.rsplit("|", 1)[-1]
        if not last.isdigit():
            raise bad_value(p + "continue", continue_from)
        events = events.filter(pk__gte=int(last)) if newer else events.filter(pk__lte=int(last))
    events = events.order_by("id" if newer else "-id")
    found, following = _cut(list(events[: limit + 1]), limit)
    reviewed = [
        (event.data or {}).get("revision", 0)
        for event in found
        if event.verb == "revision:reviewed"
    ]
    parents = selectors.revision_parents(reviewed)
    # The page now at each move's old title, for all the moves of this batch in one query.
    old_titles: dict[int, tuple[int, str]] = {}
    for event in found:
        if event.verb == "page:moved":
            namespace, title = _log_title(ctx, event)
            old_titles[event.pk] = (namespace, title.partition(":")[2] if namespace else title)
    now_there = selectors.pages_visible_by_key(
        user=ctx.user, space=ctx.space, keys=old_titles.values(), with_text=False
    )
    moved_from = {
        event_id: now_there[key].pk if key in now_there else 0
        for event_id, key in old_titles.items()
    }
    rows = []
    for event in found:
        data = event.data or {}
        kind, what = _log_action(event)
        row: dict[str, Any] = {}
        page_id = int(event.target_id) if str(event.target_id).isdigit() else 0
        if event.verb in ("title:protected", "space:blocked", "space:unblocked"):
            page_id = 0  # about a title or a person, not a page
        # The page now at the entry's title: for a move, the redirect left behind (if any).
        now_at = moved_from.get(event.pk, page_id) if event.verb == "page:moved" else page_id
        if "ids" in props:
            row["logid"] = event.pk
        if "title" in props:
            row["ns"], row["title"] = _log_title(ctx, event)
        if "ids" in props:
            row["pageid"] = now_at
            row["logpage"] = page_id
        if "details" in props:
            row["params"] = _log_params(ctx, event, parents)
        if "type" in props:
            row["type"] = kind
            row["action"] = what
        if "user" in props:
            row["user"] = user_name(event.actor.username) if event.actor else ""
        if "userid" in props:
            row["userid"] = event.actor_id or 0
        if "timestamp" in props:
            row["timestamp"] = iso(event.created_at)
        comment = data.get("reason", "") or ""
        if "comment" in props:
            row["comment"] = comment
        if "parsedcomment" in props:
            row["parsedcomment"] = render_comment(comment) if comment else ""
        if "tags" in props:
            row["tags"] = []
        rows.append(row)
    cont = {p + "continue": f"{compact(following.created_at)}|{following.pk}"} if following else {}
    return ListResult(rows, [], cont)


UCPROPS = (
    "ids",
    "title",
    "timestamp",
    "comment",
    "parsedcomment",
    "size",
    "sizediff",
    "flags",
    "patrolled",
    "tags",
)
UCSHOW = (
    "minor",
    "!minor",
    "new",
    "!new",
    "top",
    "!top",
    "patrolled",
    "!patrolled",
    "autopatrolled",
    "!autopatrolled",
)


def usercontribs(ctx: Ctx, p: str) -> ListResult:
    params = ctx.params
    assert ctx.space is not None
    names = params.values(p + "user")
    ids = params.integers(p + "userids") if params.has(p + "userids") else []
    if not names and not ids:
        raise ApiError(
            "missingparam", f'One of the parameters "{p}user", "{p}userids" is required.'
        )
    from peerwork.accounts.models import User

    people = list(User.objects.filter(pk__in=ids, is_active=True))
    for name in names:
        person = _person(name)
        if person is not None:
            people.append(person)
    people = [person for person in people if policy.can(ctx.user, "user.view", person)]
    props = params.choices(
        p + "prop", UCPROPS, ctx, default=["ids", "title", "timestamp", "comment", "size", "flags"]
    )
    show = params.choices(p + "show", UCSHOW, ctx)
    limit = params.limit(p + "limit", ctx, default=10, maximum=500)
    newer = params.choice(p + "dir", ("older", "newer"), "older") == "newer"
    revisions = Revision.objects.none()  # not a read: the empty start of the union below
    for person in people:
        revisions = revisions | selectors.contributions(viewer=ctx.user, person=person).filter(
            page__space=ctx.space
        )
    revisions = revisions.select_related("page", "author")
    namespaces = _namespaces(ctx, p + "namespace")
    if namespaces:
        revisions = revisions.filter(page__namespace__in=namespaces)
    start, end = params.timestamp(p + "start"), params.timestamp(p + "end")
    if start is not None:
        revisions = revisions.filter(**{"created_at__gte" if newer else "created_at__lte": start})
    if end is not None:
        revisions = revisions.filter(**{"created_at__lte" if newer else "created_at__gte": end})
    for value, query in (
        ("minor", Q(is_minor=True)),
        ("new", Q(parent__isnull=True)),
        ("top", Q(page__current_revision_id=models_f("pk"))),
        ("patrolled", Q(is_reviewed=True)),
    ):
        if value in show:
            revisions = revisions.filter(query)
        if "!" + value in show:
            revisions = revisions.exclude(query)
    continue_from = params.text(p + "continue")
    if continue_from:
        last = continue_from.rsplit("|", 1)[-1]
        if not last.isdigit():
            raise bad_value(p + "continue", continue_from)
        revisions = (
            revisions.filter(pk__gte=int(last)) if newer else revisions.filter(pk__lte=int(last))
        )
    revisions = revisions.order_by("id" if newer else "-id")
    found, following = _cut(list(revisions[: limit + 1]), limit)
    rows = []
    for revision in found:
        page = revision.page
        row: dict[str, Any] = {
            "userid": revision.author_id or 0,
            "user": user_name(revision.author.username if revision.author else ""),
        }
        if "ids" in props:
            row["pageid"] = page.pk
            row["revid"] = revision.pk
            row["parentid"] = revision.parent_id or 0
        if "title" in props:
            row["ns"] = page.namespace
            row["title"] = full_title(page.namespace, page.title)
        if "timestamp" in props:
            row["timestamp"] = iso(revision.created_at)
        if "flags" in props:
            ctx.set_flag(row, "new", revision.parent_id is None)
            ctx.set_flag(row, "minor", revision.is_minor)
            ctx.set_flag(row, "top", page.current_revision_id == revision.pk)
        if "comment" in props:
            row["comment"] = revision.summary
        if "parsedcomment" in props:
            row["parsedcomment"] = render_comment(revision.summary) if revision.summary else ""
        if "size" in props:
            row["size"] = revision.size
        if "sizediff" in props:
            row["sizediff"] = revision.size_delta
        if "patrolled" in props:
            ctx.set_flag(row, "patrolled", revision.is_reviewed)
        if "tags" in props:
            row["tags"] = []
        rows.append(row)
    cont = {p + "continue": f"{compact(following.created_at)}|{following.pk}"} if following else {}
    return ListResult(rows, [revision.page for revision in found], cont)


def models_f(name: str) -> Any:
    from django.db.models import F

    return F(name)


SRPROPS = (
    "size",
    "wordcount",
    "timestamp",
    "snippet",
    "titlesnippet",
    "redirecttitle",
    "redirectsnippet",
    "sectiontitle",
    "sectionsnippet",
    "isfilematch",
    "categorysnippet",
    "score",
    "hasrelated",
    "extensiondata",
)


def search(ctx: Ctx, p: str) -> ListResult:
    params = ctx.params
    assert ctx.space is not None
    text = params.text(p + "search")
    if text is None or not text.strip():
        raise missing_param(p + "search")
    namespaces = _namespaces(ctx, p + "namespace") or [0]
    limit = params.limit(p + "limit", ctx, default=10, maximum=500)
    offset = params.integer(p + "offset", 0, minimum=0)
    what = params.choice(p + "what", ("title", "text", "nearmatch"), "text")
    props = params.choices(
        p + "prop", SRPROPS, ctx, default=["size", "wordcount", "timestamp", "snippet"]
    )
    info = params.choices(
        p + "info",
        ("totalhits", "suggestion", "rewrittenquery"),
        ctx,
        default=["totalhits", "suggestion", "rewrittenquery"],
    )
    namespace = namespaces[0] if len(namespaces) == 1 else None
    try:
        results = search_pages(
            user=ctx.user,
            query=text,
            space=ctx.space,
            namespace=namespace,
            limit=limit + 1,
            offset=offset,
        )
    except Invalid as error:
        raise ApiError("badvalue", error.detail) from None
    results = [r for r in results if r.namespace in namespaces]
    if what == "title":
        words = text.lower().split()
        results = [r for r in results if all(word in r.title.lower() for word in words)]
    found, following = _cut(results, limit)
    pages = selectors.pages_visible_by_id(
        user=ctx.user, space=ctx.space, ids=[r.page_id for r in found]
    )
    rows = []
    ordered_pages = []
    for result in found:
        page = pages.get(result.page_id)
        if page is None:
            continue
        ordered_pages.append(page)
        row: dict[str, Any] = {
            "ns": result.namespace,
            "title": result.title,
            "pageid": result.page_id,
        }
        revision = page.current_revision
        if "size" in props:
            row["size"] = revision.size if revision else 0
        if "wordcount" in props:
            row["wordcount"] = len(revision.content.text.split()) if revision else 0
        if "snippet" in props:
            row["snippet"] = result.snippet.replace("<mark>", '<span class="searchmatch">').replace(
                "</mark>", "</span>"
            )
        if "timestamp" in props:
            row["timestamp"] = iso(revision.created_at if revision else page.touched_at)
        rows.append(row)
    cont = {p + "offset": str(offset + limit)} if following else {}
    result = ListResult(rows, ordered_pages, cont)
    if "totalhits" in info:
        ctx.__dict__.setdefault("searchinfo", {})["totalhits"] = offset + len(results)
    return result


def prefixsearch(ctx: Ctx, p: str) -> ListResult:
    """Titles that start with what was typed, as a search box suggests them: the search is read
    as a title (its namespace prefix chooses the namespace, the space's capitalization rule
    applies to its first letter), then matched against the start of the visible titles."""
    params = ctx.params
    assert ctx.space is not None
    text = params.text(p + "search")
    if text is None or not text.strip():
        raise missing_param(p + "search")
    namespaces = _namespaces(ctx, p + "namespace") or [0]
    limit = params.limit(p + "limit", ctx, default=10, maximum=500)
    offset = params.integer(p + "offset", 0, minimum=0)
    try:
        namespace, prefix = parse_title(ctx.space, text.strip())
    except Invalid:
        return ListResult([], [], {})
    if namespace != 0:
        namespaces = [namespace]
    pages = selectors.pages_in_space(user=ctx.user, space=ctx.space).filter(
        namespace__in=namespaces, title__startswith=prefix
    )
    found, following = _cut(list(pages[offset : offset + limit + 1]), limit)
    cont = {p + "offset": str(offset + limit)} if following else {}
    return ListResult(_page_rows(found), found, cont)


def templates_generator(ctx: Ctx, p: str) -> ListResult:
    """peerwork has no transclusion: no page uses a template."""
    return ListResult([], [], {})


def blocks(ctx: Ctx, p: str) -> ListResult:
    from .admin import list_blocks

    return list_blocks(ctx, p)


LIST_MODULES: dict[str, tuple[str, Callable[[Ctx, str], ListResult]]] = {
    "blocks": ("bk", blocks),
    "allpages": ("ap", allpages),
    "categorymembers": ("cm", categorymembers),
    "recentchanges": ("rc", recentchanges),
    "usercontribs": ("uc", usercontribs),
    "search": ("sr", search),
    "logevents": ("le", logevents),
    "prefixsearch": ("ps", prefixsearch),
}
GENERATORS: dict[str, tuple[str, Callable[[Ctx, str], ListResult]]] = {
    "allpages": ("ap", allpages),
    "categorymembers": ("cm", categorymembers),
    "recentchanges": ("rc", recentchanges),
    "search": ("sr", search),
    "prefixsearch": ("ps", prefixsearch),
    "templates": ("tl", templates_generator),
}
