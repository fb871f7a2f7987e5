"""Every write to a discussion: post, edit, remove. Each is one transaction with one event.

Events name the commented object as their target (so a page's history shows its discussion)
and carry the comment's id and text lengths, never the text: the log is immutable and public
to whoever sees the space, and a removed comment's words must not outlive it there. The full
text of every version lives in CommentRevision.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peerwork.accounts.models import User, Viewer
from peerwork.activity import recorder
from peerwork.core import limits, policy
from peerwork.core.errors import Conflict, Invalid
from peerwork.core.markup import render_comment

from .attachments import attachment_for, key_of
from .models import MAX_COMMENT_CHARS, MAX_DEPTH, Comment, CommentRevision
from .policy import wrote_or_administers


def clean_comment_text(text: str) -> str:
    """Line ends normalized to "\\n"; blank or longer than MAX_COMMENT_CHARS is refused."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise Invalid(_("A comment needs some text."), field="text")
    if len(text) > MAX_COMMENT_CHARS:
        raise Invalid(
            _("A comment may hold at most %(limit)d characters; this one has %(count)d.")
            % {"limit": MAX_COMMENT_CHARS, "count": len(text)},
            field="text",
        )
    return text


def _event_data(comment: Comment, **extra: Any) -> dict[str, Any]:
    return {
        "comment": comment.pk,
        "parent": comment.parent_id,
        "target_type": comment.target_type,
        "target_id": comment.target_id,
        **extra,
    }


@transaction.atomic
def comment_post(*, user: Viewer, target: Any, text: str, parent: Comment | None = None) -> Comment:
    """Post a comment on `target`, or a reply to `parent` (a comment on the same target).

    Depth rule: top-level comments have depth 0 and replies their parent's depth + 1, up to
    MAX_DEPTH (10). A reply to a comment already at MAX_DEPTH is not refused: it is attached
    to that comment's parent, so it appears right after it at the same, deepest, level (the
    way long threads flatten on forums). Its event still names the comment replied to
    (`in_reply_to`), and that comment's author is the one notified.
    """
    person: User = policy.require_person(user, "comment.post", target)
    attachment = attachment_for(target)
    target_type, target_id = key_of(target)
    text = clean_comment_text(text)
    limits.hit("comment", user=person, space=attachment.space_of(target))
    replied_to = parent
    if parent is not None:
        if (parent.target_type, parent.target_id) != (target_type, target_id):
            raise Invalid(_("A reply must be on the same page as its parent."), field="parent")
        if parent.is_deleted:
            raise Invalid(_("This comment was removed; it takes no replies."), field="parent")
        if parent.depth >= MAX_DEPTH:
            parent = parent.parent
    now = timezone.now()
    comment = Comment.objects.create(
        space=attachment.space_of(target),
        target_type=target_type,
        target_id=target_id,
        parent=parent,
        author=person,
        text=text,
        html=render_comment(text),
        created_at=now,
        depth=parent.depth + 1 if parent is not None else 0,
    )
    CommentRevision.objects.create(comment=comment, text=text, author=person, created_at=now)
    event = recorder.record(
        actor=person,
        verb="comment:posted",
        target=target,
        space=comment.space,
        data=_event_data(
            comment,
            in_reply_to=replied_to.pk if replied_to is not None else None,
            length=len(text),
        ),
    )
    told: set[int] = set(attachment.watchers_of(target)) if attachment.watchers_of else set()
    if replied_to is not None:
        told.add(replied_to.author_id)
    recorder.notify(users=told, event=event)
    return comment


def _locked(comment: Comment) -> Comment:
    locked = (
        Comment.objects.select_for_update(of=("self",)).select_related("space").get(pk=comment.pk)
    )
    if "target" in comment.__dict__:
        locked.__dict__["target"] = comment.__dict__["target"]
    return locked


@transaction.atomic
def comment_edit(*, user: Viewer, comment: Comment, text: str) -> Comment:
    """Replace the text (the author only). Saving the same text again changes nothing."""
    comment = _locked(comment)
    if comment.is_deleted and wrote_or_administers(user, comment):
        policy.require(user, "comment.view", comment)
        raise Conflict(_("This comment was removed; it can no longer be edited."))
    person: User = policy.require_person(user, "comment.edit", comment)
    text = clean_comment_text(text)
    if text == comment.text:
        return comment
    old_length = len(comment.text)
    now = timezone.now()
    comment.text = text
    comment.html = render_comment(text)
    comment.edited_at = now
    comment.save(update_fields=["text", "html", "edited_at"])
    revision = CommentRevision.objects.create(
        comment=comment, text=text, author=person, created_at=now
    )
    recorder.record(
        actor=person,
        verb="comment:edited",
        target=comment.target,
        space=comment.space,
        data=_event_data(
            comment, revision=revision.pk, old_length=old_length, new_length=len(text)
        ),
    )
    return comment


@transaction.atomic
def comment_delete(*, user: Viewer, comment: Comment, reason: str = "") -> Comment:
    """Remove a comment (its author, or a steward of the space).

    The row, its place in the thread, its replies and its revisions stay; readers see that a
    comment was removed, not what it said. Removing a removed comment changes nothing.
    """
    comment = _locked(comment)
    person: User = policy.require_person(user, "comment.delete", comment)
    if len(reason) > 500:
        raise Invalid(_("A reason may be at most 500 characters."), field="reason")
    if comment.is_deleted:
        return comment
    comment.is_deleted = True
    comment.deleted_by = person
    comment.deleted_at = timezone.now()
    comment.save(update_fields=["is_deleted", "deleted_by", "deleted_at"])
    recorder.record(
        actor=person,
        verb="comment:deleted",
        target=comment.target,
        space=comment.space,
        data=_event_data(
            comment,
            by_author=comment.author_id == person.pk,
            reason=reason,
        ),
    )
    return comment
