"""A space's own history as labelled edits: reverted (1) or survived (0).

An edit counts as damaging when it was undone, rolled back, or when one of the next
`REVERT_WINDOW` revisions of its page restored exactly (same SHA-1) the text before it; a held
edit a patroller rejected counts as damaging too. Every other edit counts as good.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from peerwork.activity.models import Event
from peerwork.wiki.actions import lines_changed
from peerwork.wiki.models import Content, HeldEdit, Revision

from .features import Edit

#: How many later revisions a revert to an earlier text may come in (ORES looks similarly).
REVERT_WINDOW = 5


def _reverted_by_events(space: Any) -> set[int]:
    reverted: set[int] = set()
    rows = Event.objects.filter(space=space, verb__in=["page:edited", "page:created"]).filter(
        data__has_any_keys=["undid", "reverted"]
    )
    for data in rows.values_list("data", flat=True):
        if data.get("undid"):
            reverted.add(int(data["undid"]))
        reverted.update(int(pk) for pk in data.get("reverted") or [])
    return reverted


def labelled_edits(space: Any) -> list[tuple[int, Edit, int]]:
    """(revision id, edit, label) for every revision of the space with a parent, in the order
    they were saved, and the rejected held edits (id 0)."""
    revisions = list(
        Revision.objects.filter(page__space=space)
        .order_by("id")
        .values_list(
            "id",
            "page_id",
            "parent_id",
            "author_id",
            "created_at",
            "summary",
            "sha1",
            "content_id",
            "author__date_joined",
        )
    )
    texts: dict[int, str] = {}
    content_ids = sorted({row[7] for row in revisions})
    for start in range(0, len(content_ids), 500):
        chunk = content_ids[start : start + 500]
        texts.update(Content.objects.filter(pk__in=chunk).values_list("pk", "text"))
    by_id = {row[0]: row for row in revisions}
    reverted = _reverted_by_events(space)
    per_page: dict[int, list[tuple]] = defaultdict(list)
    for row in revisions:
        per_page[row[1]].append(row)
    for rows in per_page.values():
        sha1s = [row[6] for row in rows]
        for index in range(1, len(rows)):
            before = sha1s[index - 1]
            for later in range(index + 1, min(len(rows), index + 1 + REVERT_WINDOW)):
                if sha1s[later] == before and rows[later][3] != rows[index][3]:
                    reverted.update(row[0] for row in rows[index:later])
                    break
    counts: dict[int, int] = defaultdict(int)
    result: list[tuple[int, Edit, int]] = []
    for row in revisions:
        pk, _page, parent_id, author_id, created_at, summary, _sha1, content_id, joined = row
        if parent_id is not None and parent_id in by_id:
            previous = texts[by_id[parent_id][7]]
            text = texts[content_id]
            added, removed = lines_changed(previous, text)
            age = (created_at - joined).total_seconds() / 86400 if joined else 0.0
            edit = Edit(previous, text, added, removed, summary, age, counts[author_id])
            result.append((pk, edit, 1 if pk in reverted else 0))
        if author_id is not None:
            counts[author_id] += 1
    for held in HeldEdit.objects.filter(space=space, state="rejected").select_related(
        "content", "base_revision__content", "author"
    ):
        previous = held.base_revision.content.text if held.base_revision else ""
        added, removed = lines_changed(previous, held.content.text)
        age = (held.created_at - held.author.date_joined).total_seconds() / 86400
        edit = Edit(previous, held.content.text, added, removed, held.summary, age, 0)
        result.append((0, edit, 1))
    return result
