"""Comments and their immutable revisions.

A comment attaches to any registered object (see `attachments.py`) by `target_type` and
`target_id`, and belongs to that object's space. Replies form a tree through `parent`.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual

#: The most characters a comment may hold (after line ends are normalized to "\n").
MAX_COMMENT_CHARS = 20_000
#: Top-level comments have depth 0; the deepest reply has depth MAX_DEPTH. See
#: `actions.comment_post` for what happens to a reply below it.
MAX_DEPTH = 10


class Comment(models.Model):
    space = models.ForeignKey("spaces.Space", on_delete=models.CASCADE, related_name="comments")
    target_type = models.CharField(max_length=64)
    target_id = models.CharField(max_length=64)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="comments"
    )
    #: The current text; every version, this one included, is also a CommentRevision.
    text = models.TextField()
    #: `markup.render_comment(text)`, written together with `text`.
    html = models.TextField()
    created_at = models.DateTimeField()
    edited_at = models.DateTimeField(null=True, blank=True)
    #: Removed comments keep their row, their place in the thread and their history.
    is_deleted = models.BooleanField(default=False)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    deleted_at = models.DateTimeField(null=True, blank=True)
    depth = models.PositiveSmallIntegerField(default=0)
    #: Held by a screen (a steward's filter, the spam classifier) until a moderator releases
    #: or removes it: only its author and the space's stewards see it meanwhile.
    is_held = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["target_type", "target_id", "id"], name="discussions_thread_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(depth__lte=MAX_DEPTH), name="discussions_comment_depth_max"
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True, depth=0) | Q(parent__isnull=False, depth__gte=1),
                name="discussions_comment_depth_matches_parent",
            ),
            models.CheckConstraint(
                condition=Q(is_deleted=False, deleted_by__isnull=True, deleted_at__isnull=True)
                | Q(is_deleted=True, deleted_by__isnull=False, deleted_at__isnull=False),
                name="discussions_comment_deletion_complete",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("text"), MAX_COMMENT_CHARS),
                name="discussions_comment_text_max",
            ),
        ]

    def __str__(self) -> str:
        return f"comment {self.pk} on {self.target_type} {self.target_id}"

    @cached_property
    def target(self) -> Any:
        """The object this comment is about (NotFound if it no longer exists)."""
        from .attachments import resolve

        return resolve(self.target_type, self.target_id)


class CommentRevision(models.Model):
    """One version of a comment's text: its posting, then each edit. Never changed."""

    comment = models.ForeignKey(Comment, on_delete=models.PROTECT, related_name="revisions")
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["comment", "-id"], name="discussions_revision_idx"),
        ]

    def __str__(self) -> str:
        return f"revision {self.pk} of comment {self.comment_id}"


class Summary(models.Model):
    """The extractive summary of one thread, kept until someone asks for a newer one.

    `sentences` are the thread's own sentences, in thread order, each as
    {"comment": id, "author": user id, "text": the sentence}. `comment_count` and
    `last_comment_id` say what it covered: a thread with a later comment, or a different count
    (a removal), reads as outdated (summary.py).
    """

    space = models.ForeignKey("spaces.Space", on_delete=models.CASCADE, related_name="+")
    target_type = models.CharField(max_length=64)
    target_id = models.CharField(max_length=64)
    sentences = models.JSONField(default=list)
    comment_count = models.PositiveIntegerField()
    last_comment_id = models.BigIntegerField()
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["target_type", "target_id"], name="discussions_summary_one_per_thread"
            )
        ]

    def __str__(self) -> str:
        return f"summary of {self.target_type} {self.target_id}"
