"""Who may read, write and remove comments. The table is docs/permissions.md.

Two kinds of object: `discussion.*` and `comment.post` take the target (a page, an idea, ...);
the other `comment.*` rules take a Comment. Reading follows the target's own view rule, so a
comment in a space the viewer may not read answers "not found", like everything else there.
"""

from __future__ import annotations

from typing import Any

from peerwork.core.policy import can, rule, signed_in
from peerwork.spaces.selectors import space_role

from .attachments import attachment_for
from .models import Comment


@rule("discussion.view", conceals=True)
def can_view_discussion(user: Any, target: Any) -> bool:
    """Whoever may see the object may read its comments."""
    return can(user, attachment_for(target).view_action, target)


@rule("comment.post", visible_via="discussion.view")
def can_post_comment(user: Any, target: Any) -> bool:
    attachment = attachment_for(target)
    return (
        signed_in(user)
        and attachment.accepts_comments(target)
        and can(user, "space.contribute", attachment.space_of(target))
        and (attachment.comment_action is None or can(user, attachment.comment_action, target))
    )


@rule("comment.view", conceals=True)
def can_view_comment(user: Any, comment: Comment) -> bool:
    return can(user, "discussion.view", comment.target)


@rule("comment.edit", visible_via="comment.view")
def can_edit_comment(user: Any, comment: Comment) -> bool:
    """The author, while the comment stands and they may still contribute to the space."""
    return (
        signed_in(user)
        and comment.author_id == user.pk
        and not comment.is_deleted
        and can(user, "space.contribute", comment.space)
    )


@rule("comment.delete", visible_via="comment.view")
def can_delete_comment(user: Any, comment: Comment) -> bool:
    """The author takes back their words; a steward removes anyone's."""
    return signed_in(user) and (
        comment.author_id == user.pk or space_role(user, comment.space) == "steward"
    )


@rule("comment.history", visible_via="comment.view")
def can_view_comment_history(user: Any, comment: Comment) -> bool:
    """Anyone who sees a standing comment sees its edits; a removed one's text stays with
    the people who could have removed it."""
    return not comment.is_deleted or can_delete_comment(user, comment)
