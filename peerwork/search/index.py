"""Keeping the search index in step with the wiki.

The wiki's actions call `page_changed` and `page_removed` inside their own transaction, so an
edit and its index entry commit (or roll back) together. Deleted pages and redirects are not
indexed: a redirect's only words are its target's title, which the target already answers to.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db import transaction

from peerwork.spaces.models import Space
from peerwork.wiki.models import Page
from peerwork.wiki.policy import is_standing, standing

from .backends import LESS_THAN, START, STOP, Entry, get_backend

#: Only the start of a very long page is searchable: PostgreSQL refuses tsvectors over 1 MB,
#: and 200,000 characters stay under it whatever the words.
MAX_INDEXED_CHARS = 200_000
_MARKS = {ord(START): " ", ord(STOP): " ", ord(LESS_THAN): " "}


def _entry(page: Page) -> Entry | None:
    if not is_standing(page) or page.is_redirect or page.current_revision_id is None:
        return None
    revision = page.current_revision
    assert revision is not None
    text = revision.content.text[:MAX_INDEXED_CHARS].translate(_MARKS)
    return Entry(page.pk, page.space_id, page.namespace, page.title.translate(_MARKS), text)


def page_changed(page: Page) -> None:
    """Index the page's current title and text, replacing what was there; or drop it."""
    entry = _entry(page)
    if entry is None:
        page_removed(page)
        return
    get_backend().index(entry.page_id, entry.space_id, entry.namespace, entry.title, entry.text)


def page_removed(page: Page) -> None:
    get_backend().remove(page.pk)


def _entries(pages: Iterator[Page]) -> Iterator[Entry]:
    for page in pages:
        entry = _entry(page)
        if entry is not None:
            yield entry


@transaction.atomic
def reindex_space(space: Space) -> int:
    """Build a space's index again from its pages; returns how many pages are indexed."""
    backend = get_backend()
    backend.remove_space(space.pk)
    pages = (
        standing(Page.objects.filter(space=space, is_redirect=False))
        .exclude(current_revision=None)
        .select_related("current_revision__content")
        .order_by("pk")
        .iterator(chunk_size=500)
    )
    count = 0
    batch: list[Entry] = []
    for entry in _entries(pages):
        batch.append(entry)
        if len(batch) == 500:
            count += backend.index_many(batch)
            batch = []
    return count + backend.index_many(batch)
