"""What a comment says about itself, written once for the REST API and the open-data dump."""

from __future__ import annotations

from typing import Any

from .models import Comment


def comment_fields(comment: Comment) -> dict[str, Any]:
    """The facts of a comment that read the same for everyone who may read its thread.

    A removed comment keeps its place (its id, parent and times, so its replies still hang
    under it) but no longer says who wrote it. The API adds the depth, the text and html as
    the reader sees them and what the reader may do; the dump adds what the comment is
    attached to and its text, null once removed.
    """
    return {
        "id": comment.pk,
        "parent": comment.parent_id,
        "author": None if comment.is_deleted else comment.author.username,
        "created_at": comment.created_at,
        "edited_at": comment.edited_at,
        "is_deleted": comment.is_deleted,
    }
