"""Reads of the knowledge commons, filtered to what the viewer may see."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import BigIntegerField, Q, QuerySet
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from peerwork.activity import watching
from peerwork.activity.models import Event
from peerwork.activity.selectors import events_visible
from peerwork.core import policy
from peerwork.core.errors import Invalid, NotFound
from peerwork.core.markup import title_text
from peerwork.spaces.models import Space
from peerwork.spaces.selectors import spaces_visible

from .actions import parse_title
from .models import Categorization, Link, Page, Revision

PAGE_VERBS = [
    "page:created",
    "page:edited",
    "page:moved",
    "page:deleted",
    "page:restored",
    "page:protected",
    "revision:reviewed",
]


def page_find(*, user: Any, space: Space, title: str) -> Page | None:
    """The page at `title` if the viewer may see it; None if there is none (yet)."""
    policy.require(user, "space.view", space)
    namespace, title = parse_title(space, title)
    # The hottest read of the wiki: no ORDER BY (the key is unique), and the space the caller
    # already holds rather than joined again.
    found = Page.objects.select_related(
        "current_revision__content", "current_revision__author"
    ).filter(space=space, namespace=namespace, title=title)[:1]
    page = next(iter(found), None)
    if page is None:
        return None
    page.space = space
    if not policy.can(user, "page.view", page):
        return None
    return page


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


def page_history(page: Page) -> QuerySet[Revision]:
    """Newest first; keyset-paginate on id (the (page, -id) index keeps this fast)."""
    return Revision.objects.filter(page=page).select_related("author").order_by("-id")


def pages_in_space(*, user: Any, space: Space, namespace: int | None = None) -> QuerySet[Page]:
    policy.require(user, "space.view", space)
    pages = Page.objects.filter(space=space, is_deleted=False).select_related("current_revision")
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
    return Page.objects.filter(pk__in=sources, is_deleted=False).order_by("namespace", "title")


def wanted_pages(*, user: Any, space: Space) -> list[tuple[int, str, int]]:
    """(namespace, title, how many pages link there) for titles with no page, most wanted first."""
    from django.db.models import Count, Exists, OuterRef

    policy.require(user, "space.view", space)
    existing = Page.objects.filter(
        space=space, namespace=OuterRef("namespace"), title=OuterRef("title"), is_deleted=False
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
    return Page.objects.filter(pk__in=members, is_deleted=False).order_by("namespace", "title")


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
) -> QuerySet[Event]:
    """Page events from the activity log, in the spaces the viewer may see, newest first."""
    events = events_visible(user).filter(verb__in=PAGE_VERBS)
    if space is not None:
        policy.require(user, "space.view", space)
        events = events.filter(space=space)
    else:
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


def _as_text(queryset: QuerySet[Any]) -> Any:
    from django.db.models import CharField

    return queryset.annotate(as_text=Cast("object_id", CharField())).values("as_text")


def contributions(*, viewer: Any, person: Any) -> QuerySet[Revision]:
    """A person's revisions in the spaces the viewer may see, newest first."""
    visible = spaces_visible(viewer).values("pk")
    return (
        Revision.objects.filter(author=person, page__space__in=visible, page__is_deleted=False)
        .select_related("page__space")
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


def unreviewed_among(revision_ids: list[int]) -> set[int]:
    """Which of these revisions still wait for review (one query for a whole list of changes)."""
    return set(
        Revision.objects.filter(pk__in=revision_ids, is_reviewed=False).values_list("pk", flat=True)
    )
