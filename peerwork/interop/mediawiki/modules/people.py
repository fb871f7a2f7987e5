"""list=allusers, list=watchlist and list=watchlistraw: people, and the changes and pages one
person watches.

People come from `accounts.selectors.people_by_username` (active accounts the viewer may see);
only what every profile shows is answered (a name, the groups in this space, the edits here,
the registration date), never a personal detail a person may keep to themselves (decision
0043). The watchlist is the one watch of `activity.Watch`, read through the wiki selectors, so
the web's watchlist, the REST API and this module agree.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Max, Q
from django.utils import timezone

from peerwork.accounts.selectors import people_by_username
from peerwork.core import policy
from peerwork.core.errors import Invalid
from peerwork.wiki import selectors
from peerwork.wiki.actions import parse_title

from .. import auth
from ..context import Ctx, compact, full_title, iso, user_name
from ..errors import ApiError, bad_value
from .lists import (
    GENERATORS,
    LIST_MODULES,
    LOG_TYPES,
    RCPROPS,
    ListResult,
    _namespaces,
    _person,
    _rc_row,
    _RcEvent,
    _window,
)

AUPROPS = (
    "blockinfo",
    "groups",
    "implicitgroups",
    "rights",
    "editcount",
    "registration",
    "centralids",
)
IMPLICIT_GROUPS = ("*", "user", "autoconfirmed")
#: MediaWiki's "active users": those with an action in the last 30 days ($wgActiveUserDays).
ACTIVE_DAYS = 30


def _name_key(name: str) -> str:
    """A username as peerwork keeps it, for comparing: underscores, any case."""
    return name.strip().replace(" ", "_").lower()


def allusers(ctx: Ctx, p: str) -> ListResult:
    params = ctx.params
    assert ctx.space is not None
    props = params.choices(p + "prop", AUPROPS, ctx)
    limit = params.limit(p + "limit", ctx, default=10, maximum=500)
    descending = params.choice(p + "dir", ("ascending", "descending"), "ascending") == "descending"
    people = people_by_username(viewer=ctx.user)
    prefix = params.text(p + "prefix")
    if prefix:
        people = people.filter(Q(name_key__startswith=_name_key(prefix)))
    start, end = params.text(p + "from"), params.text(p + "to")
    if descending:
        start, end = end, start
    if start:
        people = people.filter(Q(name_key__gte=_name_key(start)))
    if end:
        people = people.filter(Q(name_key__lte=_name_key(end)))
    if params.flag(p + "witheditsonly"):
        people = people.filter(pk__in=selectors.editors(viewer=ctx.user, space=ctx.space))
    if params.flag(p + "activeusers"):
        since = timezone.now() - timedelta(days=ACTIVE_DAYS)
        recent = selectors.editors(viewer=ctx.user, space=ctx.space, since=since)
        people = people.filter(pk__in=recent)
    if descending:
        people = people.reverse()
    wanted_groups = params.values(p + "group")
    excluded_groups = params.values(p + "excludegroup")
    if wanted_groups and excluded_groups:
        raise ApiError(
            "invalidparammix",
            f'The parameters "{p}group" and "{p}excludegroup" can not be used together.',
        )
    rights_wanted = params.values(p + "rights")
    needs_groups = bool(wanted_groups or excluded_groups or rights_wanted) or bool(
        {"groups", "implicitgroups", "rights"} & set(props)
    )
    found: list[tuple[Any, list[str], list[str]]] = []
    following = None
    # Groups are the policy's answer per person, so a group filter reads on until the batch
    # is full; it reads at most 20 batches' worth, then continues from where it stopped.
    for scanned, person in enumerate(people.iterator(chunk_size=200)):
        if len(found) == limit or (needs_groups and scanned >= limit * 20):
            following = person
            break
        groups: list[str] = []
        rights: list[str] = []
        if needs_groups:
            groups, rights = auth.groups_and_rights(ctx, ctx.space, person=person)
            if wanted_groups and not set(wanted_groups) & set(groups):
                continue
            if excluded_groups and set(excluded_groups) & set(groups):
                continue
            if rights_wanted and not set(rights_wanted) & set(rights):
                continue
        found.append((person, groups, rights))
    rows: list[dict[str, Any]] = []
    counts = (
        selectors.edit_counts(
            viewer=ctx.user, space=ctx.space, people=[p.pk for p, _g, _r in found]
        )
        if "editcount" in props
        else {}
    )
    for person, groups, rights in found:
        row: dict[str, Any] = {"userid": person.pk, "name": user_name(person.username)}
        if "editcount" in props:
            row["editcount"] = counts.get(person.pk, 0)
        if "registration" in props:
            row["registration"] = iso(person.date_joined)
        if "groups" in props:
            row["groups"] = groups
        if "implicitgroups" in props:
            row["implicitgroups"] = [g for g in groups if g in IMPLICIT_GROUPS]
        if "rights" in props:
            row["rights"] = rights
        if "centralids" in props:
            row["centralids"] = {"local": person.pk}
        rows.append(row)
    cont = {p + "from": user_name(following.username)} if following is not None else {}
    return ListResult(rows, [], cont)


WLPROPS = (*RCPROPS, "notificationtimestamp", "expiry")
WLSHOW = (
    "minor",
    "!minor",
    "bot",
    "!bot",
    "anon",
    "!anon",
    "patrolled",
    "!patrolled",
    "autopatrolled",
    "!autopatrolled",
    "unread",
    "!unread",
)
WLTYPES = ("edit", "new", "log", "external", "categorize")
_VERBS = {"edit": ["page:edited"], "new": ["page:created"], "log": list(LOG_TYPES)}


def _owner(ctx: Ctx, p: str) -> Any:
    """Whose watchlist: the viewer's own. Another's needs their watchlist token, which peerwork
    does not issue (a watchlist is private), so naming anyone else is refused."""
    if not policy.signed_in(ctx.user):
        raise ApiError("notloggedin", "You must be logged in to have a watchlist.")
    owner = ctx.params.text(p + "owner")
    if owner and _name_key(owner) != _name_key(ctx.user.username):
        raise ApiError("bad_wlowner", "Incorrect watchlist token provided.")
    return ctx.user


def watchlist(ctx: Ctx, p: str) -> ListResult:
    """list=watchlist: recent changes of the watched pages of this space, newest first; like
    MediaWiki, only each page's latest change unless `<p>allrev`."""
    params = ctx.params
    assert ctx.space is not None
    owner = _owner(ctx, p)
    props = params.choices(p + "prop", WLPROPS, ctx, default=["ids", "title", "flags"])
    show = params.choices(p + "show", WLSHOW, ctx)
    types = params.choices(p + "type", WLTYPES, ctx, default=["edit", "new", "log", "categorize"])
    limit = params.limit(p + "limit", ctx, default=10, maximum=500)
    newer, since, until, person, nobody = _window(ctx, p)
    if nobody:
        return ListResult([], [], {})
    for value in ("minor", "bot", "anon", "patrolled", "unread"):
        if value in show and "!" + value in show:
            raise ApiError(
                "show", "Incorrect parameter - mutually exclusive values may not be supplied."
            )
    events = selectors.watchlist(user=owner).filter(space=ctx.space)
    events = events.filter(verb__in=[verb for kind in types for verb in _VERBS.get(kind, [])])
    if person is not None:
        events = events.filter(actor=person)
    excluded = params.text(p + "excludeuser")
    if excluded:
        other = _person(excluded)
        if other is not None:
            events = events.exclude(actor=other)
    namespaces = _namespaces(ctx, p + "namespace")
    if namespaces:
        events = events.filter(data__namespace__in=namespaces)
    if "minor" in show:
        events = events.filter(data__minor=True)
    if "!minor" in show:
        events = events.exclude(data__minor=True)
    if "anon" in show or "bot" in show:
        events = events.none()  # peerwork's edits are all by signed-in people, none as a bot
    if since is not None:
        events = events.filter(created_at__gte=since)
    if until is not None:
        events = events.filter(created_at__lte=until)
    if not params.flag(p + "allrev"):
        latest = events.order_by().values("target_id").annotate(last=Max("id")).values("last")
        events = events.filter(pk__in=latest)
    raw = params.text(p + "continue")
    if raw:
        last = raw.rsplit("|", 1)[-1]
        if not last.isdigit():
            raise bad_value(p + "continue", raw)
        events = events.filter(Q(pk__gte=int(last)) if newer else Q(pk__lte=int(last)))
    events = events.order_by("id" if newer else "-id")
    batch = [_RcEvent(*values) for values in events.values_list(*_RcEvent._fields)[: limit + 1]]
    following = batch[limit] if len(batch) > limit else None
    rows = []
    for event in batch[:limit]:
        row = _rc_row(ctx, event, props)
        if "notificationtimestamp" in props:
            row["notificationtimestamp"] = ""
        if "expiry" in props:
            ctx.set_flag(row, "expiry", False)
        rows.append(row)
    cont = {p + "continue": f"{compact(following.created_at)}|{following.pk}"} if following else {}
    if not p.startswith("g"):
        return ListResult(rows, [], cont)
    ids = {int(e.target_id) for e in batch[:limit] if e.target_id.isdigit()}
    pages = selectors.pages_visible_by_id(user=ctx.user, space=ctx.space, ids=ids)
    return ListResult(rows, list(pages.values()), cont)


def watchlistraw(ctx: Ctx, p: str) -> ListResult:
    """list=watchlistraw: the watched pages of this space, by namespace and title."""
    params = ctx.params
    assert ctx.space is not None
    owner = _owner(ctx, p)
    props = params.choices(p + "prop", ("changed",), ctx)
    limit = params.limit(p + "limit", ctx, default=10, maximum=500)
    descending = params.choice(p + "dir", ("ascending", "descending"), "ascending") == "descending"
    pages = selectors.watched_pages(user=owner, space=ctx.space)
    namespaces = _namespaces(ctx, p + "namespace")
    if namespaces:
        pages = pages.filter(namespace__in=namespaces)
    bounds = []
    for name, lower in (
        ("fromtitle", not descending),
        ("totitle", descending),
        ("continue", not descending),
    ):
        raw = params.text(p + name)
        if not raw:
            continue
        if name == "continue":
            namespace_text, bar, title = raw.partition("|")
            if not bar or not namespace_text.lstrip("-").isdigit():
                raise bad_value(p + "continue", raw)
            namespace, title = int(namespace_text), title.replace("_", " ")
        else:
            try:
                namespace, title = parse_title(ctx.space, raw)
            except Invalid:
                raise ApiError("invalidtitle", f'Bad title "{raw}".') from None
        bounds.append((namespace, title, lower))
    for namespace, title, lower in bounds:
        if lower:
            pages = pages.filter(
                Q(namespace__gt=namespace) | Q(namespace=namespace, title__gte=title)
            )
        else:
            pages = pages.filter(
                Q(namespace__lt=namespace) | Q(namespace=namespace, title__lte=title)
            )
    if descending:
        pages = pages.order_by("-namespace", "-title")
    found = list(pages[: limit + 1])
    following = found[limit] if len(found) > limit else None
    rows = []
    for page in found[:limit]:
        row: dict[str, Any] = {
            "ns": page.namespace,
            "title": full_title(page.namespace, page.title),
        }
        if "changed" in props:
            row["changed"] = iso(page.touched_at)
        rows.append(row)
    cont = (
        {p + "continue": f"{following.namespace}|{following.title.replace(' ', '_')}"}
        if following is not None
        else {}
    )
    return ListResult(rows, found[:limit], cont)


# Registered with the query modules here, as links.py registers its own.
LIST_MODULES["allusers"] = ("au", allusers)
LIST_MODULES["watchlist"] = ("wl", watchlist)
LIST_MODULES["watchlistraw"] = ("wr", watchlistraw)
GENERATORS["watchlist"] = ("wl", watchlist)
GENERATORS["watchlistraw"] = ("wr", watchlistraw)
