"""Reads of moderation, each asking the policy first."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from peerwork.core import policy
from peerwork.core.errors import Invalid, NotAuthenticated, NotFound
from peerwork.discussions.models import Comment
from peerwork.spaces.models import SiteBlock, Space

from .filters import Candidate, Match, evaluate
from .models import Filter, FilterHit, QueueItem, Report

#: The most past contributions a test run looks at.
MAX_TEST = 200


def filters_of(*, user: Any, space: Space) -> QuerySet[Filter]:
    """The space's filters with their hit counts: `hits_day` (last 24 hours), `hits_total`."""
    policy.require(user, "moderation.filter.manage", space)
    since = timezone.now() - timedelta(hours=24)
    return (
        Filter.objects.filter(space=space)
        .annotate(
            hits_total=Count("hits"),
            hits_day=Count("hits", filter=Q(hits__created_at__gte=since)),
        )
        .order_by("pk")
    )


def filter_get(*, user: Any, space: Space, filter_id: int) -> Filter:
    policy.require(user, "moderation.filter.manage", space)
    rule = filters_of(user=user, space=space).filter(pk=filter_id).first()
    if rule is None:
        raise NotFound()
    rule.space = space
    return rule


def filter_hits(*, user: Any, rule: Filter) -> QuerySet[FilterHit]:
    """The hit log of a filter, newest first (keyset-paginate on id)."""
    policy.require(user, "moderation.filter.manage", rule.space)
    return FilterHit.objects.filter(filter=rule).select_related("user").order_by("-id")


def recent_contributions(space: Space, last: int) -> list[Candidate]:
    """The space's last `last` comments and wiki edits, newest first, as filters see them."""
    from peerwork.wiki.models import Revision

    candidates: list[Candidate] = []
    comments = Comment.objects.filter(space=space).select_related("author").order_by("-id")[:last]
    for comment in comments:
        candidates.append(
            Candidate(
                kind="discussions.comment",
                user=comment.author,
                added=comment.text,
                when=comment.created_at,
                label=f"comment {comment.pk}",
                extra={"comment": comment.pk},
            )
        )
    revisions = (
        Revision.objects.filter(page__space=space)
        .select_related("author", "content", "page", "parent__content")
        .order_by("-id")[:last]
    )
    for revision in revisions:
        before = set(revision.parent.content.text.splitlines()) if revision.parent else set()
        added = "\n".join(line for line in revision.content.text.splitlines() if line not in before)
        candidates.append(
            Candidate(
                kind="wiki.edit",
                user=revision.author,
                added=added,
                title=revision.page.title,
                summary=revision.summary,
                when=revision.created_at,
                label=f"revision {revision.pk}",
                extra={"revision": revision.pk},
            )
        )
    candidates.sort(key=lambda c: c.when or timezone.now(), reverse=True)
    return candidates[:last]


def filter_test(*, user: Any, space: Space, rule: Filter, last: int = 50) -> list[Match]:
    """Which of the last `last` contributions the rule (saved or not, enabled or not) would
    have matched: nothing is logged, nobody is blocked."""
    policy.require(user, "moderation.filter.manage", space)
    if last < 1 or last > MAX_TEST:
        raise Invalid(f"1..{MAX_TEST}", field="last")
    return evaluate([rule], recent_contributions(space, last), space)


def queue_of(*, user: Any, space: Space, status: str = "open") -> QuerySet[QueueItem]:
    """The moderation queue: open items (or decided ones), held comments and reports grouped."""
    policy.require(user, "moderation.queue.decide", space)
    items = QueueItem.objects.filter(space=space)
    if status == "open":
        items = items.filter(status="open").order_by("-report_count", "id")
    else:
        items = items.exclude(status="open").order_by("-decided_at", "-id")
    return items.select_related("comment", "person", "decided_by").prefetch_related(
        "reports__reporter"
    )


def queue_item_get(*, user: Any, space: Space, item_id: int) -> QueueItem:
    policy.require(user, "moderation.queue.decide", space)
    item = QueueItem.objects.filter(space=space, pk=item_id).select_related("space").first()
    if item is None:
        raise NotFound()
    return item


def reports_of(*, user: Any) -> QuerySet[Report]:
    """The viewer's own reports, newest first, each with its item's outcome."""
    if not policy.signed_in(user):
        raise NotAuthenticated()
    return (
        Report.objects.filter(reporter=user)
        .select_related("item", "item__space", "item__person")
        .order_by("-id")
    )


def site_blocks(*, user: Any) -> QuerySet[SiteBlock]:
    """Site-wide blocks in force, newest first: public, as MediaWiki's list of blocks is."""
    now = timezone.now()
    return (
        SiteBlock.objects.filter(lifted_at__isnull=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .select_related("user", "blocked_by")
        .order_by("-id")
    )
