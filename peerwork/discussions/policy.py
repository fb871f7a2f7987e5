"""Who may read, write and remove comments. The table is docs/permissions.md.

Two kinds of object: `discussion.*` and `comment.post` take the target (a page, an idea, ...);
the other `comment.*` rules take a Comment. Reading follows the target's own view rule, so a
comment in a space the viewer may not read answers "not found", like everything else there.
"""

from __future__ import annotations

from typing import Any

from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast

from peerwork.core import policy
from peerwork.core.policy import can, is_site_admin, rule, scope, signed_in
from peerwork.reputation.privileges import has_privilege
from peerwork.spaces.policy import spaces_with_role
from peerwork.spaces.selectors import space_role

from .attachments import attachment_for, attachment_for_model, registered_types
from .models import Comment


@rule("discussion.view", conceals=True)
def can_view_discussion(user: Any, target: Any) -> bool:
    """Whoever may see the object may read its comments."""
    return can(user, attachment_for(target).view_action, target)


@scope("discussion.view")
def discussions_viewable(user: Any, targets: QuerySet[Any]) -> QuerySet[Any]:
    """Targets of one commentable model: those its own view rule lets the viewer see."""
    return policy.filter(user, attachment_for_model(targets.model).view_action, targets)


@rule("comment.post", visible_via="discussion.view")
def can_post_comment(user: Any, target: Any) -> bool:
    attachment = attachment_for(target)
    return (
        signed_in(user)
        and attachment.accepts_comments(target)
        and can(user, "space.contribute", attachment.space_of(target))
        and (attachment.comment_action is None or can(user, attachment.comment_action, target))
    )


def may_moderate(user: Any, space: Any) -> bool:
    """A steward of the space, or a moderator by points (reputation's privilege)."""
    return signed_in(user) and (
        space_role(user, space) == "steward" or has_privilege(user, space, "moderate_discussions")
    )


@rule("comment.view", conceals=True)
def can_view_comment(user: Any, comment: Comment) -> bool:
    """Whoever sees the target; a comment held for review only its author and the people who
    may moderate the space's discussions."""
    return can(user, "discussion.view", comment.target) and (
        not comment.is_held
        or (signed_in(user) and comment.author_id == user.pk)
        or may_moderate(user, comment.space)
    )


def _moderated_with_held(user: Any) -> list[int]:
    """Ids of the spaces holding comments for review that `user` may moderate (few: asked of
    the spaces with held comments only)."""
    from peerwork.spaces.models import Space

    held = Comment.objects.filter(is_held=True).values("space_id")
    return [space.pk for space in Space.objects.filter(pk__in=held) if may_moderate(user, space)]


@scope("comment.view")
def comments_viewable(user: Any, comments: QuerySet[Comment]) -> QuerySet[Comment]:
    """Comments on targets the viewer may see, one subquery per commentable model."""
    visible = Q(pk__in=[])
    for target_type in registered_types():
        model = attachment_for_model(target_type).model
        targets = policy.filter(user, "discussion.view", model._default_manager.all())
        ids = targets.annotate(as_text=Cast("pk", CharField())).values("as_text")
        visible |= Q(target_type=target_type, target_id__in=ids)
    shown = Q(is_held=False)
    if signed_in(user):
        shown |= Q(author=user) | Q(space__in=_moderated_with_held(user))
    return comments.filter(visible).filter(shown)


@rule("comment.edit", visible_via="comment.view")
def can_edit_comment(user: Any, comment: Comment) -> bool:
    """The author, while the comment stands and they may still contribute to the space."""
    return (
        signed_in(user)
        and comment.author_id == user.pk
        and not comment.is_deleted
        and can(user, "space.contribute", comment.space)
    )


def wrote_or_administers(user: Any, comment: Comment) -> bool:
    """Who is told that a removed comment can no longer be edited (409), not forbidden (403):
    the people the edit rule would let in but for the removal."""
    return is_site_admin(user) or (signed_in(user) and comment.author_id == user.pk)


@rule("comment.delete", visible_via="comment.view")
def can_delete_comment(user: Any, comment: Comment) -> bool:
    """The author takes back their words; a steward, or a moderator by points, removes
    anyone's."""
    return signed_in(user) and (comment.author_id == user.pk or may_moderate(user, comment.space))


@rule("comment.history", visible_via="comment.view")
def can_view_comment_history(user: Any, comment: Comment) -> bool:
    """Anyone who sees a standing comment sees its edits; a removed one's text stays with its
    author and the stewards (a moderator by points removes, but does not read it back)."""
    return not comment.is_deleted or (
        signed_in(user)
        and (comment.author_id == user.pk or space_role(user, comment.space) == "steward")
    )


@scope("comment.history")
def comment_histories_viewable(user: Any, comments: QuerySet[Comment]) -> QuerySet[Comment]:
    shown = Q(is_deleted=False)
    if signed_in(user):
        shown |= Q(author=user) | Q(space__in=spaces_with_role(user, "steward"))
    return comments.filter(shown)
