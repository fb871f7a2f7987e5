"""What a comment's notification says to the person told: a reply to their comment, or a
comment on something they watch (peerwork/activity/sentences.py, `address`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext_lazy as _

from peerwork.activity.models import Event
from peerwork.activity.sentences import You, address

from .models import Comment


def _authors_replied_to(events: Sequence[Event]) -> dict[int, int]:
    """{comment id: its author} for the comments these events reply to."""
    ids = {
        event.data["in_reply_to"]
        for event in events
        if isinstance((event.data or {}).get("in_reply_to"), int)
    }
    return dict(Comment.objects.filter(pk__in=ids).values_list("pk", "author_id"))


def _posted(event: Event, you: Any, names: Any, authors: Any) -> You:
    replied_to = (event.data or {}).get("in_reply_to")
    if replied_to is not None and (authors or {}).get(replied_to) == you.pk:
        return You(_("%(actor)s replied to your comment on %(object)s"))
    return You(_("%(actor)s commented on %(object)s, which you watch"))


address("comment:posted", _posted, load=_authors_replied_to)
