"""Reads of the knowledge commons, filtered to what the viewer may see."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db.models import BigIntegerField, Count, Q, QuerySet
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from peerwork.activity import watching
from peerwork.activity.models import Event, Notification
from peerwork.activity.selectors import events_visible, notifications_for, space_events
from peerwork.core import policy
from peerwork.core.errors import Invalid, NotFound
from peerwork.spaces.models import Space
from peerwork.spaces.selectors import spaces_visible

from .actions import parse_title
from .models import (
    Categorization,
    ExternalLink,
    HeldEdit,
    Link,
    Page,
    Revision,
    Tag,
    TagApplication,
    TitleProtection,
)
from .policy import is_standing, protection_lapsed, standing
from .titles import USER_TALK_NAMESPACE, title_text

PAGE_VERBS = [
    "page:created",
    "page:edited",
    "page:moved",
    "page:deleted",
    "page:restored",
    "page:protected",
    "revision:reviewed",
]


def page_find(*, user: Any, space: Space, title: str, rendered: bool = False) -> Page | None:
    """The page at `title` if the viewer may see it; None if there is none (yet). With
    `rendered`, its current revision's cached HTML comes in the same query (the page view)."""
    policy.require(user, "space.view", space)
    namespace, title = parse_title(space, title)
    # The hottest read of the wiki: no ORDER BY (the key is unique), and the space the caller
    # already holds rather than joined again.
    related = ["current_revision__content", "current_revision__author"]
    if rendered:
        related.append("current_revision__rendered")
    found = Page.objects.select_related(*related).filter(
        space=space, namespace=namespace, title=title
    )[:1]
    page = next(iter(found), None)
    if page is None:
        return None
    page.space = space
    if not policy.can(user, "page.view", page):
        return None
    return page


def wiki_has_pages(*, user: Any, space: Space) -> bool:
    """Whether the space's wiki holds any page (deleted ones count: they can be restored)."""
    policy.require(user, "space.view", space)
    return Page.objects.filter(space=space).exists()


def page_get_visible(*, user: Any, space: Space, title: str) -> Page:
    page = page_find(user=user, space=space, title=title)
    if page is None:
        raise NotFound()
    return page


def revision_get_visible(*, user: Any, space: Space, revision_id: int) -> Revision:
    revision = (
        Revision.objects.select_related("page__space", "content", "author", "parent")
        .filter(pk=revision_id, page__space=space)
        .first()
    )
    if revision is None or not policy.can(user, "revision.view", revision):
        raise NotFound()
    return revision


def revision_get_existing(*, user: Any, space: Space, revision_id: int) -> Revision:
    """`revision_get_visible`, for readers who treat a deleted page's revisions as none, as
    MediaWiki's readers do (its deleted revisions leave the revision table)."""
    revision = revision_get_visible(user=user, space=space, revision_id=revision_id)
    if not is_standing(revision.page):
        raise NotFound()
    return revision


def page_history(page: Page) -> QuerySet[Revision]:
    """Newest first; keyset-paginate on id (the (page, -id) index keeps this fast)."""
    return Revision.objects.filter(page=page).select_related("author").order_by("-id")


def pages_in_space(*, user: Any, space: Space, namespace: int | None = None) -> QuerySet[Page]:
    policy.require(user, "space.view", space)
    pages = standing(Page.objects.filter(space=space)).select_related("current_revision")
    if namespace is not None:
        pages = pages.filter(namespace=namespace)
    return pages.order_by("namespace", "title")


def links_here(*, user: Any, space: Space, title: str) -> QuerySet[Page]:
    """Pages linking to a title, whether or not a page exists there yet."""
    policy.require(user, "space.view", space)
    namespace, title = parse_title(space, title)
    sources = Link.objects.filter(space=space, namespace=namespace, title=title).values(
        "from_page_id"
    )
    # With its current revision: lists of pages show each one's size and last edit.
    return (
        standing(Page.objects.filter(pk__in=sources))
        .select_related("current_revision")
        .order_by("namespace", "title")
    )


def wanted_pages(*, user: Any, space: Space) -> list[tuple[int, str, int]]:
    """(namespace, title, how many pages link there) for titles with no page, most wanted first."""
    from django.db.models import Count, Exists, OuterRef

    policy.require(user, "space.view", space)
    existing = standing(
        Page.objects.filter(space=space, namespace=OuterRef("namespace"), title=OuterRef("title"))
    )
    rows = (
        Link.objects.filter(space=space)
        .annotate(has_page=Exists(existing))
        .filter(has_page=False)
        .values("namespace", "title")
        .annotate(count=Count("id"))
        .order_by("-count", "namespace", "title")[:500]
    )
    return [(row["namespace"], row["title"], row["count"]) for row in rows]


def category_members(*, user: Any, space: Space, category: str) -> QuerySet[Page]:
    policy.require(user, "space.view", space)
    members = Categorization.objects.filter(space=space, category=category).values("page_id")
    return (
        standing(Page.objects.filter(pk__in=members))
        .select_related("current_revision")
        .order_by("namespace", "title")
    )


def recent_changes(
    *,
    user: Any,
    space: Space | None = None,
    namespace: int | None = None,
    person: Any = None,
    minor: bool | None = None,
    unreviewed: bool = False,
    since: datetime | None = None,
    until: datetime | None = None,
    bot: bool | None = None,
    reviewed: bool | None = None,
    autoreviewed: bool | None = None,
    verbs: list[str] | None = None,
) -> QuerySet[Event]:
    """Page events from the activity log, in the spaces the viewer may see, newest first.

    `verbs` widens or narrows the kinds (the MediaWiki log also lists blocks). `bot` keeps
    only (True) or leaves out (False) the changes flagged as a bot's. `reviewed` and
    `autoreviewed` keep the edits whose revision is (or is not) reviewed, or was reviewed as it
    was saved (its author's edits count as reviewed); they leave out log entries.
    """
    kinds = PAGE_VERBS if verbs is None else verbs
    if space is not None:
        events = space_events(viewer=user, space=space).filter(verb__in=kinds)
    else:
        events = events_visible(user).filter(verb__in=kinds)
        events = events.filter(space__in=spaces_visible(user).values("pk"))
    if namespace is not None:
        events = events.filter(data__namespace=namespace)
    if person is not None:
        events = events.filter(actor=person)
    if minor is not None:
        events = events.filter(data__minor=minor)
    if unreviewed:
        pending = Revision.objects.filter(is_reviewed=False).values("pk")
        events = events.annotate(
            revision_id=Cast(KeyTextTransform("revision", "data"), BigIntegerField())
        ).filter(verb__in=["page:created", "page:edited"], revision_id__in=pending)
    if bot is True:
        events = events.filter(data__bot=True)
    elif bot is False:
        # Not `exclude`: a missing key reads as NULL, and NOT NULL would drop those rows too.
        events = events.filter(Q(data__bot__isnull=True) | Q(data__bot=False))
    if reviewed is not None or autoreviewed is not None:
        revisions = Revision.objects.all()
        if reviewed is not None:
            revisions = revisions.filter(is_reviewed=reviewed)
        if autoreviewed is not None:
            automatic = Q(is_reviewed=True, reviewed_by__isnull=True)
            revisions = (
                revisions.filter(automatic) if autoreviewed else revisions.exclude(automatic)
            )
        events = events.annotate(
            review_revision_id=Cast(KeyTextTransform("revision", "data"), BigIntegerField())
        ).filter(
            verb__in=["page:created", "page:edited"],
            review_revision_id__in=revisions.values("pk"),
        )
    if since is not None:
        events = events.filter(created_at__gte=since)
    if until is not None:
        events = events.filter(created_at__lt=until)
    if since is not None and until is not None and since >= until:
        raise Invalid(_("'since' must be before 'until'."), field="since")
    return events.order_by("-id")


def watchlist(*, user: Any) -> QuerySet[Event]:
    """Changes to the pages the viewer watches, newest first."""
    if not policy.signed_in(user):
        return Event.objects.none()
    watched = watching.watched_ids(user, Page)
    return (
        events_visible(user)
        .filter(verb__in=PAGE_VERBS, target_type="wiki.page")
        .filter(Q(target_id__in=_as_text(watched)))
        .order_by("-id")
    )


def edit_counts(*, viewer: Any, space: Space, people: Iterable[int]) -> dict[int, int]:
    """How many revisions of this space's pages each person wrote (that the viewer may see)."""
    revisions = policy.filter(
        viewer, "revision.view", Revision.objects.filter(author_id__in=list(people))
    )
    counted = (
        revisions.filter(page__space=space)
        .order_by()
        .values("author_id")
        .annotate(edits=Count("id"))
        .values_list("author_id", "edits")
    )
    return dict(counted)


def editors(*, viewer: Any, space: Space, since: datetime | None = None) -> QuerySet[Any]:
    """Ids of the people who wrote a revision of this space (since a moment), as a subquery."""
    revisions = policy.filter(
        viewer, "revision.view", Revision.objects.filter(page__space=space, author__isnull=False)
    )
    if since is not None:
        revisions = revisions.filter(created_at__gte=since)
    return revisions.order_by().values("author_id")


def watched_pages(*, user: Any, space: Space) -> QuerySet[Page]:
    """The pages of this space the person watches (and may see), by namespace and title."""
    return (
        pages_in_space(user=user, space=space)
        .filter(pk__in=watching.watched_ids(user, Page))
        .order_by("namespace", "title")
    )


def external_links(*, page_ids: Iterable[int]) -> QuerySet[ExternalLink]:
    """The external links of these pages (ids the caller read through a visible-page
    selector), by page then as they were stored."""
    return ExternalLink.objects.filter(from_page_id__in=list(page_ids)).order_by(
        "from_page_id", "id"
    )


def external_link_usage(*, user: Any, space: Space) -> QuerySet[ExternalLink]:
    """The external links of the pages of this space the viewer may see, as stored."""
    pages = pages_in_space(user=user, space=space).order_by().values("pk")
    return (
        ExternalLink.objects.filter(from_page__in=pages).select_related("from_page").order_by("id")
    )


def links_to(*, user: Any, space: Space, keys: Iterable[tuple[int, str]]) -> QuerySet[Link]:
    """The links to any of these (namespace, title) targets from the pages the viewer may see,
    with their pages, in one query (what links here, for many pages at once)."""
    wanted = set(keys)
    if not wanted:
        return Link.objects.none()
    sources = pages_in_space(user=user, space=space).order_by().values("pk")
    pairs = Q()
    for namespace, title in wanted:
        pairs |= Q(namespace=namespace, title=title)
    return (
        Link.objects.filter(space=space, from_page__in=sources)
        .filter(pairs)
        .select_related("from_page")
    )


def links_from(*, page_ids: Iterable[int]) -> QuerySet[Link]:
    """The wiki links of these pages (ids read through a visible-page selector)."""
    return Link.objects.filter(from_page_id__in=list(page_ids))


def categories_of(*, page_ids: Iterable[int]) -> QuerySet[Categorization]:
    """The categories of these pages (ids read through a visible-page selector)."""
    return Categorization.objects.filter(page_id__in=list(page_ids))


def new_talk_messages(*, user: Any, space: Space) -> QuerySet[Notification]:
    """Others' edits of the person's user talk page in this space that they have not seen."""
    if not policy.signed_in(user):
        return Notification.objects.none()
    return notifications_for(user=user).filter(
        read_at__isnull=True,
        event__space=space,
        event__verb__in=["page:created", "page:edited"],
        event__data__namespace=USER_TALK_NAMESPACE,
        event__data__title__iexact=user.username.replace("_", " "),
    )


def _as_text(queryset: QuerySet[Any]) -> Any:
    from django.db.models import CharField

    return queryset.annotate(as_text=Cast("object_id", CharField())).values("as_text")


def contributions(*, viewer: Any, person: Any) -> QuerySet[Revision]:
    """A person's revisions that the viewer may see, newest first. Those of deleted pages are
    left out even for those who may see them, as MediaWiki's contributions leave them out."""
    revisions = policy.filter(viewer, "revision.view", Revision.objects.filter(author=person))
    return (
        revisions.filter(page__in=standing(Page.objects.all()))
        .select_related("page__space", "author")
        .order_by("-id")
    )


def redirect_target(*, user: Any, page: Page) -> tuple[int, str, Page | None] | None:
    """Where a redirect page points: (namespace, title, the page if it exists and is visible);
    None when the page is not a redirect or its target is not a valid title."""
    from .actions import REDIRECT_RE

    revision = page.current_revision
    if not page.is_redirect or revision is None:
        return None
    match = REDIRECT_RE.match(revision.content.text)
    if match is None:
        return None
    try:
        namespace, title = parse_title(page.space, match.group(1))
    except Invalid:
        return None
    target = page_find(user=user, space=page.space, title=title_text(namespace, title))
    return namespace, title, target


def review_states(revision_ids: Iterable[int]) -> dict[int, str]:
    """How each revision stands for review: "reviewed" (by a person), "autoreviewed" (as it
    was saved, by its author's privilege) or "unreviewed"; one query for a list of changes."""
    states = {}
    for pk, is_reviewed, reviewer in Revision.objects.filter(pk__in=list(revision_ids)).values_list(
        "pk", "is_reviewed", "reviewed_by_id"
    ):
        if not is_reviewed:
            states[pk] = "unreviewed"
        else:
            states[pk] = "reviewed" if reviewer is not None else "autoreviewed"
    return states


def change_of_revision(*, user: Any, space: Space, revision_id: int) -> Event | None:
    """The recent-changes entry (the page:created or page:edited event) that saved a
    revision, if the viewer may see it."""
    return (
        recent_changes(user=user, space=space)
        .filter(verb__in=["page:created", "page:edited"], data__revision=revision_id)
        .first()
    )


def unreviewed_among(revision_ids: list[int]) -> set[int]:
    """Which of these revisions still wait for review (one query for a whole list of changes)."""
    return set(
        Revision.objects.filter(pk__in=revision_ids, is_reviewed=False).values_list("pk", flat=True)
    )


# --------------------------------------------------------------------------- by id and by key
# Pages reached by id, by (namespace, title), or many of either at once: what the MediaWiki
# API asks for. Each answers only pages the viewer may see; deleted pages are left out
# unless `include_deleted` (and then only for those whom `page.view` lets see them).


def _pages_of(user: Any, space: Space, *, include_deleted: bool) -> QuerySet[Page]:
    policy.require(user, "space.view", space)
    pages = Page.objects.filter(space=space).select_related("current_revision__content")
    return pages if include_deleted else standing(pages)


def _visible_pages(user: Any, space: Space, pages: QuerySet[Page]) -> list[Page]:
    found = []
    for page in pages:
        page.space = space  # the space the caller holds: spare the policy a query per page
        if policy.can(user, "page.view", page):
            found.append(page)
    return found


def pages_visible_by_id(
    *, user: Any, space: Space, ids: Iterable[int], include_deleted: bool = False
) -> dict[int, Page]:
    """The pages of `space` with these ids that the viewer may see, by id (one query)."""
    wanted = set(ids)
    if not wanted:
        return {}
    pages = _pages_of(user, space, include_deleted=include_deleted).filter(pk__in=wanted)
    return {page.pk: page for page in _visible_pages(user, space, pages)}


def page_get_visible_by_id(
    *, user: Any, space: Space, page_id: int, include_deleted: bool = False
) -> Page:
    """The page of `space` with this id; NotFound when there is none the viewer may see."""
    page = pages_visible_by_id(
        user=user, space=space, ids=[page_id], include_deleted=include_deleted
    ).get(page_id)
    if page is None:
        raise NotFound()
    return page


def pages_visible_by_key(
    *,
    user: Any,
    space: Space,
    keys: Iterable[tuple[int, str]],
    include_deleted: bool = False,
    with_text: bool = True,
) -> dict[tuple[int, str], Page]:
    """The pages of `space` at these (namespace, title) keys that the viewer may see.

    `with_text=False` when only their existence or ids matter (a page's links may be many, and
    each current text up to 2 MB)."""
    wanted = set(keys)
    if not wanted:
        return {}
    pages = _pages_of(user, space, include_deleted=include_deleted)
    if not with_text:
        pages = pages.select_related(None)
    pages = pages.filter(
        namespace__in={namespace for namespace, _title in wanted},
        title__in={title for _namespace, title in wanted},
    )
    return {
        (page.namespace, page.title): page
        for page in _visible_pages(user, space, pages)
        if (page.namespace, page.title) in wanted
    }


def title_protection(*, space: Space, title: str) -> TitleProtection | None:
    """The create protection standing on a title of a space the caller may see (expired ones
    included: whether it still applies is the policy's question)."""
    namespace, bare = parse_title(space, title)
    found = TitleProtection.objects.filter(space=space, namespace=namespace, title=bare)[:1]
    protection = next(iter(found), None)
    if protection is not None:
        protection.space = space
        if protection_lapsed(protection.expires_at):
            return None
    return protection


def page_find_existing(*, user: Any, space: Space, title: str) -> Page | None:
    """`page_find`, for readers who treat a deleted page (or one with no revision yet) as no
    page at all, as MediaWiki's readers do. Raises Invalid for a bad title."""
    page = page_find(user=user, space=space, title=title)
    if page is None or not is_standing(page) or page.current_revision is None:
        return None
    return page


def revision_parents(revision_ids: Iterable[int]) -> dict[int, int]:
    """Each revision's parent, by revision id (revisions with none are left out). For rows of
    a list the viewer may already see, such as the review entries of the log."""
    return dict(
        Revision.objects.filter(pk__in=set(revision_ids), parent__isnull=False).values_list(
            "pk", "parent_id"
        )
    )


# ------------------------------------------------------------------------------ change tags


def space_tags(*, user: Any, space: Space) -> QuerySet[Tag]:
    """The change tags a space defines, by name, each with `hits`: how many revisions and log
    entries it marks."""
    policy.require(user, "space.view", space)
    return Tag.objects.filter(space=space).annotate(hits=Count("applications")).order_by("name")


def tag_get(*, user: Any, space: Space, name: str) -> Tag:
    tag = space_tags(user=user, space=space).filter(name=name).first()
    if tag is None:
        raise NotFound(_("There is no tag called '%(name)s' here.") % {"name": name})
    return tag


def tags_of_revisions(revision_ids: Iterable[int]) -> dict[int, list[str]]:
    """Each revision's tag names, sorted (one query for a list of changes)."""
    found: dict[int, list[str]] = {}
    for revision_id, name in (
        TagApplication.objects.filter(revision_id__in=list(revision_ids))
        .order_by("tag__name")
        .values_list("revision_id", "tag__name")
    ):
        found.setdefault(revision_id, []).append(name)
    return found


def tags_of_events(event_ids: Iterable[int]) -> dict[int, list[str]]:
    """Each log entry's tag names, sorted (one query for a list of entries)."""
    found: dict[int, list[str]] = {}
    for event_id, name in (
        TagApplication.objects.filter(event_id__in=list(event_ids))
        .order_by("tag__name")
        .values_list("event_id", "tag__name")
    ):
        found.setdefault(event_id, []).append(name)
    return found


# --------------------------------------------------------------------------- held edits


def held_queue(*, user: Any, space: Space, state: str = "held") -> QuerySet[HeldEdit]:
    """The space's held edits in `state` ("held": the patrol queue), oldest first for the
    queue, newest first for decided ones; only patrollers see them."""
    policy.require(user, "held.decide", space)
    edits = HeldEdit.objects.filter(space=space, state=state).select_related(
        "author", "page", "decided_by"
    )
    return edits.order_by("id" if state == "held" else "-id")


def held_get(*, user: Any, space: Space, held_id: int) -> HeldEdit:
    """One held edit of the space, for a patroller or its author."""
    policy.require(user, "space.view", space)
    held = (
        HeldEdit.objects.select_related("author", "page", "content", "base_revision__content")
        .filter(space=space, pk=held_id)
        .first()
    )
    is_author = held is not None and policy.signed_in(user) and held.author_id == user.pk
    if not is_author:
        # Held edits are named in the space's public log: whoever may not decide them is
        # refused (401/403) like any patrol action, not told "not found".
        policy.require(user, "held.decide", space)
    if held is None:
        raise NotFound(_("There is no held edit %(id)s here.") % {"id": held_id})
    held.space = space
    return held


def held_waiting_count(*, user: Any, page: Page) -> int:
    """How many of the person's own edits of the page wait for review (0 signed out)."""
    if not policy.signed_in(user):
        return 0
    return HeldEdit.objects.filter(page=page, author=user, state=HeldEdit.State.HELD).count()


def held_of_page(page: Page) -> QuerySet[HeldEdit]:
    """A page's held and rejected edits (for its history), newest first; released ones are
    revisions of the page now."""
    return (
        HeldEdit.objects.filter(page=page)
        .exclude(state=HeldEdit.State.RELEASED)
        .select_related("author")
        .order_by("-id")
    )


def held_decided_counts(*, space: Space, screen: str | None = None) -> dict[str, int]:
    """How many held edits patrollers released and rejected (those `screen` held, if named)."""
    edits = HeldEdit.objects.filter(space=space).exclude(state=HeldEdit.State.HELD)
    counts = {"released": 0, "rejected": 0}
    for state, findings in edits.values_list("state", "findings"):
        if screen is not None and not any(
            f.get("screen") == screen and f.get("action") == "hold" for f in findings or []
        ):
            continue
        counts[state] += 1
    return counts
