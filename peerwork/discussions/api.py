"""REST endpoints of discussions.

A page's discussion lives at `/spaces/{slug}/discussion/{title}`; a single comment at
`/comments/{id}`, whatever it is attached to. A comment the viewer may not see answers 404.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import ConfigDict, Field

from peerwork.core.api import Input, PageOf, PageParams, paginate
from peerwork.core.policy import can
from peerwork.spaces.selectors import space_get_visible
from peerwork.wiki.models import Page
from peerwork.wiki.selectors import page_get_visible

from . import actions, selectors
from .attachments import key_of, resolve
from .models import CommentRevision
from .schemas import comment_fields
from .selectors import ThreadEntry
from .summary import min_comments, summary_state, summary_update

router = Router(tags=["discussions"])

# Generous: the action counts characters after normalizing line ends and gives the message.
CommentText = Field(..., max_length=100_000)


class CommentOut(Schema):
    id: int
    parent: int | None
    depth: int
    author: str | None = Field(..., description="null once the comment was removed")
    text: str = Field(..., description="empty once the comment was removed")
    html: str = Field(..., description="sanitized; empty once the comment was removed")
    created_at: datetime
    edited_at: datetime | None
    is_deleted: bool
    is_held: bool = Field(False, description="held by a filter for a moderator's review")
    can_edit: bool
    can_delete: bool


def comment_out(entry: ThreadEntry) -> dict[str, Any]:
    return {
        **comment_fields(entry.comment),
        "depth": entry.depth,
        "is_held": entry.is_held,
        "text": entry.text,
        "html": entry.html,
        "can_edit": entry.can_edit,
        "can_delete": entry.can_delete,
    }


class DiscussionOut(Schema):
    target_type: str
    target_id: str
    can_post: bool
    comments: list[CommentOut]


class PostIn(Input):
    text: str = CommentText
    parent: int | None = Field(None, ge=1, description="The comment this one replies to.")
    confirm: bool = Field(
        False, description="Save although a screen warned (after a 409 confirm-required answer)."
    )


class EditIn(Input):
    text: str = CommentText
    confirm: bool = Field(
        False, description="Save although a screen warned (after a 409 confirm-required answer)."
    )


class DeleteParams(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field("", max_length=500)


class CommentRevisionOut(Schema):
    id: int
    author: str
    text: str
    html: str
    created_at: datetime


def revision_out(revision: CommentRevision) -> dict[str, Any]:
    from peerwork.core.markup import render_comment

    return {
        "id": revision.pk,
        "author": revision.author.username,
        "text": revision.text,
        "html": render_comment(revision.text),
        "created_at": revision.created_at,
    }


def _page(request: HttpRequest, slug: str, title: str) -> Page:
    space = space_get_visible(user=request.user, slug=slug)
    return page_get_visible(user=request.user, space=space, title=title)


def discussion_of(request: HttpRequest, target: Any) -> dict[str, Any]:
    """The thread on any attached object, as every app's discussion endpoint answers it."""
    target_type, target_id = key_of(target)
    entries = selectors.comments_for(user=request.user, target=target)
    return {
        "target_type": target_type,
        "target_id": target_id,
        "can_post": can(request.user, "comment.post", target),
        "comments": [comment_out(entry) for entry in entries],
    }


@router.get(
    "/spaces/{slug}/discussion/{path:title}",
    response=DiscussionOut,
    summary="A page's discussion, in thread order",
)
def get_discussion(request: HttpRequest, slug: str, title: str) -> Any:
    return discussion_of(request, _page(request, slug, title))


@router.post(
    "/spaces/{slug}/discussion/{path:title}",
    response={201: CommentOut},
    summary="Comment on a page, or reply to a comment",
)
def post_comment(request: HttpRequest, slug: str, title: str, payload: PostIn) -> Any:
    return 201, comment_on(request, _page(request, slug, title), payload)


def comment_on(request: HttpRequest, target: Any, payload: PostIn) -> dict[str, Any]:
    """Post a comment or reply on any attached object; every app's endpoint calls this."""
    parent = None
    if payload.parent is not None:
        parent = selectors.reply_parent_get(
            user=request.user, target=target, parent_id=payload.parent
        )
    comment = actions.comment_post(
        user=request.user,
        target=target,
        text=payload.text,
        parent=parent,
        confirmed=payload.confirm,
    )
    comment.__dict__["target"] = target
    return comment_out(selectors.comment_entry(user=request.user, comment=comment))


@router.patch("/comments/{comment_id}", response=CommentOut, summary="Edit your comment")
def edit_comment(request: HttpRequest, comment_id: int, payload: EditIn) -> Any:
    comment = selectors.comment_get_visible(user=request.user, comment_id=comment_id)
    comment = actions.comment_edit(
        user=request.user, comment=comment, text=payload.text, confirmed=payload.confirm
    )
    return comment_out(selectors.comment_entry(user=request.user, comment=comment))


@router.delete("/comments/{comment_id}", response={204: None}, summary="Remove a comment")
def delete_comment(request: HttpRequest, comment_id: int, params: Query[DeleteParams]) -> Any:
    comment = selectors.comment_get_visible(user=request.user, comment_id=comment_id)
    actions.comment_delete(user=request.user, comment=comment, reason=params.reason)
    return 204, None


@router.get(
    "/comments/{comment_id}/history",
    response=PageOf[CommentRevisionOut],
    summary="Every version of a comment, newest first",
)
def comment_history(request: HttpRequest, comment_id: int, page: Query[PageParams]) -> Any:
    comment = selectors.comment_get_visible(user=request.user, comment_id=comment_id)
    revisions = selectors.comment_history(user=request.user, comment=comment)
    return paginate(revisions, page, serialize=revision_out)


# --- summaries (summary.py) -------------------------------------------------------------------


class ThreadSummarySentenceOut(Schema):
    comment: int = Field(..., description="the comment the sentence comes from")
    author: str
    text: str
    anchor: str = Field(..., description="the comment's anchor on the thread's page")


class ThreadSummaryOut(Schema):
    target_type: str
    target_id: str
    offered: bool = Field(..., description="whether the thread is long enough for a summary")
    min_comments: int
    comment_count: int
    summarized_count: int | None = Field(..., description="comments the summary covered")
    new_since: int = Field(..., description="comments posted after the summary was made")
    outdated: bool
    computed_at: datetime | None
    sentences: list[ThreadSummarySentenceOut]


def summary_out(target: Any, state: Any) -> dict[str, Any]:
    target_type, target_id = key_of(target)
    kept = state.summary
    return {
        "target_type": target_type,
        "target_id": target_id,
        "offered": state.offered,
        "min_comments": min_comments(),
        "comment_count": state.comment_count,
        "summarized_count": kept.comment_count if kept else None,
        "new_since": state.new_since,
        "outdated": state.outdated,
        "computed_at": kept.computed_at if kept else None,
        "sentences": [
            {**sentence, "author": sentence["author"].username} for sentence in state.sentences
        ],
    }


@router.get(
    "/discussions/{object_type}/{object_id}/summary",
    response=ThreadSummaryOut,
    summary="A thread's extractive summary, as last made, and whether it is outdated",
)
def get_summary(request: HttpRequest, object_type: str, object_id: str) -> Any:
    target = resolve(object_type, object_id)
    return summary_out(target, summary_state(user=request.user, target=target))


@router.post(
    "/discussions/{object_type}/{object_id}/summary",
    response=ThreadSummaryOut,
    summary="Summarize a thread (of 10 or more comments) again, now",
)
def update_summary(request: HttpRequest, object_type: str, object_id: str) -> Any:
    target = resolve(object_type, object_id)
    return summary_out(target, summary_update(user=request.user, target=target))
