"""Every write to a discussion: post, edit, remove. Each is one transaction with one event.

Events name the commented object as their target (so a page's history shows its discussion)
and carry the comment's id and text lengths, never the text: the log is immutable and public
to whoever sees the space, and a removed comment's words must not outlive it there. The full
text of every version lives in CommentRevision.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peerwork.accounts.models import User, Viewer
from peerwork.activity import recorder
from peerwork.core import limits, policy, screening
from peerwork.core.errors import ConfirmRequired, Conflict, Invalid, RefusedByScreen
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


#: Called inside the transaction with each comment a screen held (and the verdict), so the
#: moderation queue takes it in; registered from the moderation app's apps.py.
HoldListener = Callable[[Comment, screening.Verdict], None]
_HOLD_LISTENERS: list[HoldListener] = []


def on_hold(listener: HoldListener) -> None:
    if listener not in _HOLD_LISTENERS:
        _HOLD_LISTENERS.append(listener)


def screen_comment(
    *, person: User, space: Any, text: str, confirmed: bool, old_text: str = "", **extra: Any
) -> screening.Verdict:
    """Ask the screens about a comment's text before anything is written (outside the write's
    transaction, so a filter's hit log and a block it sets stay when the comment is refused).
    Refuse and block raise RefusedByScreen, an unconfirmed warning ConfirmRequired."""
    verdict = screening.screen(
        screening.Contribution(
            kind="discussions.comment",
            space=space,
            user=person,
            added=text,
            text=text,
            removed=old_text,
            confirmed=confirmed,
            extra=extra,
        )
    )
    reasons = [str(reason) for reason in verdict.reasons]
    if verdict.action in {"refuse", "block"}:
        raise RefusedByScreen(
            _("Your comment was not saved: %(reasons)s")
            % {"reasons": " ".join(reasons) or _("a filter refused it.")},
            field="text",
            reasons=reasons,
        )
    if verdict.action == "warn":
        raise ConfirmRequired(
            _("Please check your comment: %(reasons)s Post it again to publish it anyway.")
            % {"reasons": " ".join(reasons)},
            field="text",
            reasons=reasons,
        )
    return verdict


def _screening_data(verdict: screening.Verdict) -> dict[str, Any]:
    if not verdict.findings:
        return {}
    return {"screening": verdict.as_log(), "tags": verdict.tags}


def comment_post(
    *,
    user: Viewer,
    target: Any,
    text: str,
    parent: Comment | None = None,
    confirmed: bool = False,
) -> Comment:
    """Post a comment on `target`, or a reply to `parent` (a comment on the same target).

    The screens (core/screening.py) are asked first: a refusal or an unconfirmed warning
    raises and saves nothing; a hold saves the comment hidden, for a moderator to release or
    remove; tags are kept in the event.

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
    if parent is not None:
        if (parent.target_type, parent.target_id) != (target_type, target_id):
            raise Invalid(_("A reply must be on the same page as its parent."), field="parent")
        if parent.is_deleted:
            raise Invalid(_("This comment was removed; it takes no replies."), field="parent")
        if parent.is_held:
            raise Invalid(_("This comment awaits review; it takes no replies yet."), field="parent")
    verdict = screen_comment(
        person=person,
        space=attachment.space_of(target),
        text=text,
        confirmed=confirmed,
        target=target,
    )
    return _comment_post(person=person, target=target, text=text, parent=parent, verdict=verdict)


@transaction.atomic
def _comment_post(
    *, person: User, target: Any, text: str, parent: Comment | None, verdict: screening.Verdict
) -> Comment:
    attachment = attachment_for(target)
    target_type, target_id = key_of(target)
    # Counted inside the transaction: a refused or failed comment counts nothing.
    limits.hit("comment", user=person, space=attachment.space_of(target))
    replied_to = parent
    if parent is not None and parent.depth >= MAX_DEPTH:
        parent = parent.parent
    held = verdict.action == "hold"
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
        is_held=held,
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
            **({"held": True} if held else {}),
            **_screening_data(verdict),
        ),
    )
    if held:
        # Nobody is told of a comment nobody may read yet; the moderation queue takes it.
        for listener in _HOLD_LISTENERS:
            listener(comment, verdict)
        return comment
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


def comment_edit(*, user: Viewer, comment: Comment, text: str, confirmed: bool = False) -> Comment:
    """Replace the text (the author only). Saving the same text again changes nothing. The
    new text passes the screens as a new comment does; a hold hides the comment again."""
    if comment.is_deleted and wrote_or_administers(user, comment):
        policy.require(user, "comment.view", comment)
        raise Conflict(_("This comment was removed; it can no longer be edited."))
    person: User = policy.require_person(user, "comment.edit", comment)
    text = clean_comment_text(text)
    if text == comment.text:
        return comment
    verdict = screen_comment(
        person=person,
        space=comment.space,
        text=text,
        confirmed=confirmed,
        old_text=comment.text,
        comment=comment,
    )
    return _comment_edit(user=user, comment=comment, text=text, verdict=verdict)


@transaction.atomic
def _comment_edit(
    *, user: Viewer, comment: Comment, text: str, verdict: screening.Verdict
) -> Comment:
    comment = _locked(comment)
    if comment.is_deleted and wrote_or_administers(user, comment):
        policy.require(user, "comment.view", comment)
        raise Conflict(_("This comment was removed; it can no longer be edited."))
    person: User = policy.require_person(user, "comment.edit", comment)
    if text == comment.text:
        return comment
    held = verdict.action == "hold"
    old_length = len(comment.text)
    now = timezone.now()
    comment.text = text
    comment.html = render_comment(text)
    comment.edited_at = now
    comment.is_held = comment.is_held or held
    comment.save(update_fields=["text", "html", "edited_at", "is_held"])
    revision = CommentRevision.objects.create(
        comment=comment, text=text, author=person, created_at=now
    )
    recorder.record(
        actor=person,
        verb="comment:edited",
        target=comment.target,
        space=comment.space,
        data=_event_data(
            comment,
            revision=revision.pk,
            old_length=old_length,
            new_length=len(text),
            **({"held": True} if held else {}),
            **_screening_data(verdict),
        ),
    )
    if held:
        for listener in _HOLD_LISTENERS:
            listener(comment, verdict)
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


@transaction.atomic
def comment_release(*, user: Viewer, comment: Comment, reason: str = "") -> Comment:
    """Publish a comment a screen held (whoever may remove it: a steward or a moderator).
    Releasing a comment that is not held changes nothing."""
    comment = _locked(comment)
    person: User = policy.require_person(user, "comment.delete", comment)
    if not comment.is_held or comment.is_deleted:
        return comment
    comment.is_held = False
    comment.save(update_fields=["is_held"])
    recorder.record(
        actor=person,
        verb="comment:released",
        target=comment.target,
        space=comment.space,
        data=_event_data(comment, reason=reason.strip()[:500]),
    )
    return comment
