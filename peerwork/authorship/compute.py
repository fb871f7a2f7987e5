"""Keeping each revision's authorship row in step with the wiki.

Every saved or imported revision is attributed by the job `authorship.update_page` after its
transaction commits (the activity log's after-record hook enqueues it, so the wiki knows
nothing of this app). The job attributes the page's revisions that have no row yet, oldest
first, continuing from the page's state held in this process when that state ends at the
revision before them; otherwise it walks the page's history once from the start. So a save
costs one revision's analysis, and an imported page of n revisions is walked once (the
import records one `page:imported` event per page), never n times.

The rows are a cache of the revisions: `rebuild` drops and makes them again from the texts,
and gives the same rows as the saves did, because the method is deterministic and each row
depends only on the revisions before it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from peerwork.activity.models import Event
from peerwork.core import jobs
from peerwork.wiki.models import Page, Revision

from .method import METHOD, Attribution, PageHistory, run_length
from .models import RevisionAuthorship

#: Events after which a page has a revision the rows may not cover yet.
REVISION_VERBS = frozenset({"page:created", "page:edited", "page:imported"})
#: Pages whose state stays in memory between saves (the most recently attributed ones).
KEPT_PAGES = 64
#: Rows written per INSERT while walking a long history.
BATCH = 500

_states: OrderedDict[int, PageHistory] = OrderedDict()
_states_lock = threading.Lock()
_page_locks: dict[int, threading.Lock] = {}


def event_recorded(event: Event) -> None:
    """After-record hook: attribute the page's new revisions once the action commits."""
    if event.target_type == "wiki.page" and event.verb in REVISION_VERBS:
        jobs.enqueue("authorship.update_page", page_id=int(event.target_id))


@jobs.job("authorship.update_page")
def update_page_job(*, page_id: int) -> None:
    update_page(page_id)


def _page_lock(page_id: int) -> threading.Lock:
    with _states_lock:
        return _page_locks.setdefault(page_id, threading.Lock())


def _take_state(page_id: int) -> PageHistory | None:
    with _states_lock:
        return _states.pop(page_id, None)


def _keep_state(page_id: int, state: PageHistory) -> None:
    with _states_lock:
        _states[page_id] = state
        _states.move_to_end(page_id)
        while len(_states) > KEPT_PAGES:
            _states.popitem(last=False)


def forget_states() -> None:
    """Drop every page's state held in memory (a rebuild; tests)."""
    with _states_lock:
        _states.clear()


def _history(page_id: int, after: int | None = None) -> Iterator[tuple[int, str, str]]:
    """The page's revisions oldest first: (id, text, editor), read in chunks."""
    rows: QuerySet[Revision, tuple[Any, ...]] = (
        Revision.objects.filter(page_id=page_id)
        .order_by("id")
        .values_list("id", "content__text", "author_id", "author_name")
    )
    if after is not None:
        rows = rows.filter(id__gt=after)
    for revision_id, text, author_id, author_name in rows.iterator(chunk_size=200):
        editor = f"user:{author_id}" if author_id else f"name:{author_name}"
        yield revision_id, text, editor


def update_page(page_id: int) -> int:
    """Attribute the page's revisions that have no row yet; how many rows were written."""
    with _page_lock(page_id):
        missing = (
            Revision.objects.filter(page_id=page_id, authorship__isnull=True)
            .order_by("id")
            .values_list("id", flat=True)
            .first()
        )
        if missing is None:
            return 0
        before = (
            Revision.objects.filter(page_id=page_id, id__lt=missing)
            .order_by("-id")
            .values_list("id", flat=True)
            .first()
        )
        state = _take_state(page_id)
        if state is None or state.last_revision_id != before:
            state, after = PageHistory(), None  # cold or stale: walk the history once
        else:
            after = before
        done = RevisionAuthorship.objects.filter(page_id=page_id)
        if after is not None:
            done = done.filter(revision_id__gt=after)
        written = _walk(
            page_id, state, after=after, skip=set(done.values_list("revision_id", flat=True))
        )
        _keep_state(page_id, state)
        return written


def _walk(page_id: int, state: PageHistory, *, after: int | None, skip: set[int]) -> int:
    pending: list[RevisionAuthorship] = []
    written = 0
    for revision_id, text, editor in _history(page_id, after):
        attribution = state.add(revision_id, text, editor)
        if revision_id in skip:
            continue
        pending.append(_row(page_id, revision_id, attribution, state.editors))
        if len(pending) >= BATCH:
            written += _write(pending)
            pending = []
    written += _write(pending)
    return written


def _person(editor: str) -> tuple[int | None, str]:
    kind, _, value = editor.partition(":")
    return (int(value), "") if kind == "user" else (None, value)


def _row(
    page_id: int,
    revision_id: int,
    attribution: Attribution,
    editors: dict[int, str],
) -> RevisionAuthorship:
    runs = run_length(attribution.origins)
    counts: dict[tuple[int | None, str], int] = {}
    for origin, count in runs:
        person = _person(editors.get(origin, "name:"))
        counts[person] = counts.get(person, 0) + count
    shares = [
        {"user": user, "name": name, "tokens": tokens}
        for (user, name), tokens in sorted(
            counts.items(), key=lambda item: (-item[1], item[0][0] or 0, item[0][1])
        )
    ]
    return RevisionAuthorship(
        revision_id=revision_id,
        page_id=page_id,
        origins=runs,
        token_count=len(attribution.origins),
        shares=shares,
        method=METHOD,
    )


def _write(rows: list[RevisionAuthorship]) -> int:
    if not rows:
        return 0
    with transaction.atomic():
        # Two workers may attribute the same page at once; both compute the same rows.
        RevisionAuthorship.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def rebuild(*, space_id: int | None = None, page_id: int | None = None) -> tuple[int, int]:
    """Make the rows again from the revisions (all, a space's, or one page's).

    Returns (pages, rows). Each page's old rows go and its new ones come in one transaction,
    so a reader sees either the old rows or the new ones.
    """
    pages = Page.objects.order_by("id")
    if space_id is not None:
        pages = pages.filter(space_id=space_id)
    if page_id is not None:
        pages = pages.filter(pk=page_id)
    page_count = rows = 0
    for one_page_id in pages.values_list("id", flat=True).iterator():
        with _page_lock(one_page_id), transaction.atomic():
            _take_state(one_page_id)
            RevisionAuthorship.objects.filter(page_id=one_page_id).delete()
            state = PageHistory()
            rows += _walk(one_page_id, state, after=None, skip=set())
            _keep_state(one_page_id, state)
        page_count += 1
    return page_count, rows
