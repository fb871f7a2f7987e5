"""Keeping the search index in step with everything a person may search for.

Each kind of searchable thing is registered once (`kinds.py`): its model, the read rule that
decides who sees it, how to make its document, and where it is shown. Two paths keep the
documents current, both inside the action's own transaction, so a change and its document
commit (or roll back) together:

- the wiki's actions call `page_changed` and `page_removed` (a dump import refreshes a page
  once, not once per revision);
- every other kind follows the activity log: `event_recorded` runs after each event and
  makes the document of the object the event is about again, or drops it.

Deleted pages and redirects are not indexed: a redirect's only words are its target's title,
which the target already answers to. Nor are removed comments, nor deactivated people.
`rebuild` makes the whole index again from the objects (the `search_rebuild` command).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Model, QuerySet

from peerwork.activity.models import Event
from peerwork.core.markup import html_text, plain_text
from peerwork.spaces.models import Space
from peerwork.wiki.models import Page
from peerwork.wiki.policy import is_standing, standing
from peerwork.wiki.wikitext import render_wikitext

from .backends import LESS_THAN, START, STOP, Document, get_backend

#: Only the start of a very long text is searchable: PostgreSQL refuses tsvectors over 1 MB,
#: and 200,000 characters stay under it whatever the words.
MAX_INDEXED_CHARS = 200_000
_MARKS = {ord(START): " ", ord(STOP): " ", ord(LESS_THAN): " "}


def clean(text: str) -> str:
    """Text as the index stores it: without the characters the engines use as marks."""
    return text.translate(_MARKS)


def body_of(*parts: str) -> str:
    """Plain text of Markdown parts, joined, bounded and clean: a document's body."""
    text = "\n".join(plain_text(part[:MAX_INDEXED_CHARS]) for part in parts if part)
    return clean(text[:MAX_INDEXED_CHARS])


@dataclass(frozen=True)
class Kind:
    """One kind of searchable thing."""

    name: str
    #: "app_label.model_name", as the activity log names an event's target.
    target_type: str
    model: type[Model]
    #: The read rule with a scope in the policy: whoever passes it may find the object.
    view_action: str
    #: The object's document, or None when it should not be found at all.
    document: Callable[[Any], Document | None]
    #: The objects a rebuild indexes (`document` still decides each).
    objects: Callable[[], QuerySet[Any]]
    #: Where a result links to.
    url: Callable[[Any], str]
    #: The result's heading, read from the object itself (not the index, which may lag).
    title: Callable[[Any], str]
    #: What a person calls one of them, and the facet's name for them all (translatable).
    label_one: Any
    label_all: Any
    #: Relations a page of results reads (for its title, address and space).
    related: tuple[str, ...] = ("space",)


_KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    if kind.name in _KINDS:
        raise RuntimeError(f"search kind {kind.name!r} registered twice")
    _KINDS[kind.name] = kind
    return kind


def kinds() -> list[Kind]:
    """In the order they were registered, which is the order facets list them."""
    return list(_KINDS.values())


def kind_named(name: str) -> Kind:
    return _KINDS[name]


# --------------------------------------------------------------------------- pages


def page_document(page: Page) -> Document | None:
    if not is_standing(page) or page.is_redirect or page.current_revision_id is None:
        return None
    revision = page.current_revision
    assert revision is not None
    return Document(
        kind="page",
        object_id=page.pk,
        space_id=page.space_id,
        namespace=page.namespace,
        title=clean(page.title),
        text=_page_text(revision.content_model, revision.content.text),
    )


def _page_text(content_model: str, text: str) -> str:
    if content_model == "wikitext":
        rendered = render_wikitext(text[:MAX_INDEXED_CHARS]).html
        return clean(html_text(rendered)[:MAX_INDEXED_CHARS])
    return body_of(text)


def page_changed(page: Page) -> None:
    """Index the page's current title and text, replacing what was there; or drop it."""
    document = page_document(page)
    if document is None:
        page_removed(page)
        return
    get_backend().index(document)


def page_removed(page: Page) -> None:
    get_backend().remove("page", page.pk)


def _documents(kind: Kind, objects: Iterable[Any]) -> Iterator[Document]:
    for obj in objects:
        document = kind.document(obj)
        if document is not None:
            yield document


def _index_all(kind: Kind, objects: Iterable[Any]) -> int:
    backend = get_backend()
    count = 0
    batch: list[Document] = []
    for document in _documents(kind, objects):
        batch.append(document)
        if len(batch) == 500:
            count += backend.index_many(batch)
            batch = []
    return count + backend.index_many(batch)


@transaction.atomic
def reindex_space(space: Space) -> int:
    """Build a space's page index again from its pages; returns how many pages are indexed."""
    get_backend().remove_kind("page", space.pk)
    pages = (
        standing(Page.objects.filter(space=space, is_redirect=False))
        .exclude(current_revision=None)
        .select_related("current_revision__content")
        .order_by("pk")
        .iterator(chunk_size=500)
    )
    return _index_all(kind_named("page"), pages)


# --------------------------------------------------------------------------- every kind


def object_changed(kind: Kind, object_id: int) -> None:
    """Make the object's document again from what it is now, or drop it."""
    obj = kind.objects().filter(pk=object_id).first()
    document = kind.document(obj) if obj is not None else None
    if document is None:
        get_backend().remove(kind.name, object_id)
    else:
        get_backend().index(document)


def event_recorded(event: Event) -> None:
    """The recorder's hook: the object an event is about changed, so its document may have.

    Comment events name the thread's target; the comment itself is in the event's data.
    Pages are left to the wiki's actions, which know when a page's text is final.
    """
    if event.verb.startswith("comment:"):
        comment_id = (event.data or {}).get("comment")
        if isinstance(comment_id, int) and "comment" in _KINDS:
            object_changed(_KINDS["comment"], comment_id)
        return
    for kind in _KINDS.values():
        if kind.target_type == event.target_type and kind.name != "page":
            if event.target_id.isdigit():
                object_changed(kind, int(event.target_id))
            return


@transaction.atomic
def rebuild(kind_names: Iterable[str] | None = None) -> dict[str, int]:
    """Make the documents of these kinds (all, by default) again; how many of each."""
    counts: dict[str, int] = {}
    for name in kind_names or list(_KINDS):
        kind = _KINDS[name]
        get_backend().remove_kind(kind.name)
        counts[name] = _index_all(kind, kind.objects().order_by("pk").iterator(chunk_size=500))
    return counts
