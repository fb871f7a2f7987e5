"""A space's open data as JSON Lines: one JSON object per line, written as a stream.

The first line describes the space, its licence and when the dump was made; then come the
pages (each followed by its revisions, oldest first), the discussion comments on them, and
the space's activity events. Every line carries the licence, so a line taken out of the file
still says under which terms it may be used. Only what anyone who may read the space may see
is written: no deleted pages, no removed comments' text, no private events (tokens, watches).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from peerwork.activity.models import Event
from peerwork.activity.policy import public_events
from peerwork.activity.schemas import event_out
from peerwork.discussions.models import Comment
from peerwork.discussions.schemas import comment_fields
from peerwork.spaces.models import LICENCES, Space
from peerwork.wiki.schemas import page_fields, revision_fields

from . import software_version
from .exporter import BATCH, exported_history, sha1_hex_to_base36, timestamp

FORMAT_VERSION = 1

Section = Callable[[Space], Iterator[dict[str, Any]]]
#: What other apps add to the dump, in order: each yields records (dicts with a "type") of
#: what anyone who may read the space may see; the licence is stamped on each line here.
SECTIONS: list[Section] = []


def section(produce: Section) -> Section:
    """Register a producer of dump records, from an app's AppConfig.ready()."""
    SECTIONS.append(produce)
    return produce


def _line(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, cls=DjangoJSONEncoder) + "\n"


def _batched(queryset: Any) -> Iterator[Any]:
    last = 0
    while True:
        batch = list(queryset.filter(pk__gt=last).order_by("pk")[:BATCH])
        if not batch:
            return
        yield from batch
        last = batch[-1].pk


def open_data(space: Space) -> Iterator[str]:
    licence = space.licence
    licence_name = str(dict(LICENCES).get(licence, licence))
    yield _line(
        {
            "type": "space",
            "format": f"peerwork-open-data/{FORMAT_VERSION}",
            "generator": f"peerwork {software_version()}",
            "exported_at": timezone.now(),
            "licence": licence,
            "licence_name": licence_name,
            "space": {
                "slug": space.slug,
                "name": space.name,
                "description": space.description,
                "created_at": space.created_at,
            },
        }
    )
    page_ids: list[str] = []
    for page, revisions in exported_history(space):
        page_ids.append(str(page.pk))
        yield _line(
            {
                "type": "page",
                "licence": licence,
                "id": page.pk,
                **page_fields(page),
                "current_revision": page.current_revision_id,
            }
        )
        for revision in revisions:
            yield _line(
                {
                    "type": "revision",
                    "licence": licence,
                    **revision_fields(revision),
                    "page": page.pk,
                    "created_at": timestamp(revision.created_at),
                    "author": revision.author.username if revision.author else None,
                    "author_name": revision.author_name,
                    "sha1_base36": sha1_hex_to_base36(revision.sha1),
                    "text": revision.content.text,
                }
            )
    # A comment held for a moderator's review is not published yet, so not dumped either.
    comments = Comment.objects.filter(
        space=space, target_type="wiki.page", is_held=False
    ).select_related("author")
    exported = set(page_ids)
    for comment in _batched(comments):
        if comment.target_id not in exported:
            continue  # a comment on a deleted page goes with its page
        yield _line(
            {
                "type": "comment",
                "licence": licence,
                **comment_fields(comment),
                "target_type": comment.target_type,
                "target_id": comment.target_id,
                "text": None if comment.is_deleted else comment.text,
            }
        )
    for produce in SECTIONS:
        for record in produce(space):
            yield _line({"type": record["type"], "licence": licence, **record})
    events = public_events(Event.objects.filter(space=space)).select_related("actor")
    for event in _batched(events):
        yield _line({"type": "event", "licence": licence, **event_out(event, portable=True)})
