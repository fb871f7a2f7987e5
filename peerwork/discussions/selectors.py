"""Reads of discussions, filtered to what the viewer may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from peerwork.core import policy
from peerwork.core.errors import Invalid, NotFound

from .attachments import key_of
from .models import Comment, CommentRevision


@dataclass(frozen=True)
class ThreadEntry:
    """One comment as the viewer sees it, in display order.

    A removed comment keeps its place (its replies hang under it) but shows no text, no
    html and no author: `is_deleted` tells a page to write "comment removed" instead.
    """

    comment: Comment
    id: int
    parent_id: int | None
    depth: int
    author: Any  # a User, or None when removed
    text: str
    html: str
    created_at: datetime
    edited_at: datetime | None
    is_deleted: bool
    #: Held by a screen for review: shown only to its author and the moderators.
    is_held: bool
    can_edit: bool
    can_delete: bool


def _thread_order(comments: list[Comment]) -> list[Comment]:
    """Depth first: each comment followed by its replies, oldest first at every level."""
    children: dict[int | None, list[Comment]] = {}
    for comment in comments:  # already in id order, so each list is oldest first
        children.setdefault(comment.parent_id, []).append(comment)
    ordered: list[Comment] = []
    stack = list(reversed(children.get(None, [])))
    while stack:
        comment = stack.pop()
        ordered.append(comment)
        stack.extend(reversed(children.get(comment.pk, [])))
    return ordered


def _entry(user: Any, comment: Comment) -> ThreadEntry:
    shown = not comment.is_deleted
    return ThreadEntry(
        comment=comment,
        id=comment.pk,
        parent_id=comment.parent_id,
        depth=comment.depth,
        author=comment.author if shown else None,
        text=comment.text if shown else "",
        html=comment.html if shown else "",
        created_at=comment.created_at,
        edited_at=comment.edited_at,
        is_deleted=comment.is_deleted,
        is_held=comment.is_held,
        can_edit=policy.can(user, "comment.edit", comment),
        can_delete=shown and policy.can(user, "comment.delete", comment),
    )


def comments_for(*, user: Any, target: Any) -> list[ThreadEntry]:
    """The discussion of `target` as a flat list in thread order, each entry with its depth."""
    policy.require(user, "discussion.view", target)
    target_type, target_id = key_of(target)
    comments = list(
        Comment.objects.filter(target_type=target_type, target_id=target_id)
        .select_related("author", "space")
        .order_by("id")
    )
    for comment in comments:
        comment.__dict__["target"] = target  # spares each permission check a lookup
    if any(comment.is_held for comment in comments):
        comments = [
            comment
            for comment in comments
            if not comment.is_held or policy.can(user, "comment.view", comment)
        ]
    return [_entry(user, comment) for comment in _thread_order(comments)]


def comment_count(*, user: Any, target: Any) -> int:
    """How many comments (not removed) a target's discussion holds: one COUNT query."""
    policy.require(user, "discussion.view", target)
    target_type, target_id = key_of(target)
    return Comment.objects.filter(
        target_type=target_type, target_id=target_id, is_deleted=False, is_held=False
    ).count()


def comment_entry(*, user: Any, comment: Comment) -> ThreadEntry:
    """One comment as the viewer sees it (after an edit, say)."""
    policy.require(user, "comment.view", comment)
    return _entry(user, comment)


def comment_get_visible(*, user: Any, comment_id: int) -> Comment:
    """The comment if the viewer may see the thing it is attached to; NotFound otherwise."""
    comment = (
        Comment.objects.select_related("author", "space", "parent").filter(pk=comment_id).first()
    )
    if comment is None:
        raise NotFound()
    try:
        visible = policy.can(user, "comment.view", comment)
    except NotFound:  # the object it was about is gone
        visible = False
    if not visible:
        raise NotFound()
    return comment


def reply_parent_get(*, user: Any, target: Any, parent_id: int) -> Comment:
    """The comment a reply answers; refused as invalid input unless it is on `target`."""
    target_type, target_id = key_of(target)
    parent = (
        Comment.objects.select_related("space")
        .filter(pk=parent_id, target_type=target_type, target_id=target_id)
        .first()
    )
    if parent is not None:
        parent.__dict__["target"] = target
    if parent is None or (parent.is_held and not policy.can(user, "comment.view", parent)):
        raise Invalid(
            _("There is no comment %(id)s on this page.") % {"id": parent_id},
            field="parent",
        )
    return parent


def comment_history(*, user: Any, comment: Comment) -> QuerySet[CommentRevision]:
    """Every version of the comment's text, newest first (keyset-paginate on id)."""
    policy.require(user, "comment.history", comment)
    return CommentRevision.objects.filter(comment=comment).select_related("author").order_by("-id")
