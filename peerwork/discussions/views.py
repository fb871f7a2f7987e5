"""The web flow of a discussion on any commentable object: post, edit, remove, history.

Ideas and challenges show their thread with `discussions/_thread.html` (its context comes
from `thread_context`) and its forms post here, so the flow is written once. A success goes
back to the thread on the object's page (`Attachment.url_of`); refused input answers 422 with
the message and the typed text (a fragment for htmx, a small page otherwise), never a 500.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from peerwork.core import policy
from peerwork.core.errors import ActionError, Conflict, Invalid
from peerwork.core.markup import render_comment
from peerwork.core.pagination import key_from_query, keyset_page

from . import actions, selectors
from .attachments import attachment_for, key_of, resolve, type_of
from .models import MAX_COMMENT_CHARS, Comment

EXPECTED = (Invalid, Conflict)
#: how many versions the history page shows at a time.
HISTORY_PAGE = 50


@dataclass(frozen=True)
class Layout:
    """How a target's own pages frame the discussion pages shown here (its tabs, say).

    `template` extends base.html and leaves a `discussion_title` and a `discussion_content`
    block for these pages; `context` gives what it needs for the target and the viewer.
    """

    template: str
    context: Callable[[HttpRequest, Any], dict[str, Any]]


PLAIN_LAYOUT = "discussions/_layout.html"
_LAYOUTS: dict[str, Layout] = {}


def register_layout(
    model: type[Any], *, template: str, context: Callable[[HttpRequest, Any], dict[str, Any]]
) -> None:
    """Frame the discussion pages of `model`'s objects with `template` (from an AppConfig)."""
    _LAYOUTS[type_of(model)] = Layout(template, context)


def _layout_context(request: HttpRequest, target: Any) -> dict[str, Any]:
    layout = _LAYOUTS.get(type_of(target))
    if layout is None:
        return {"layout": PLAIN_LAYOUT}
    return {**layout.context(request, target), "layout": layout.template}


def thread_url(target: Any) -> str:
    """Where `target`'s thread is shown on the web."""
    url_of = attachment_for(target).url_of
    if url_of is None:
        raise Http404()
    return url_of(target)


def thread_context(request: HttpRequest, target: Any) -> dict[str, Any]:
    """What `discussions/_thread.html` needs to show `target`'s thread to the viewer."""
    user = request.user
    entries = selectors.comments_for(user=user, target=target)
    by_id = {entry.id: entry for entry in entries}
    target_type, target_id = key_of(target)
    return {
        "thread": [
            (entry, by_id.get(entry.parent_id) if entry.parent_id else None) for entry in entries
        ],
        "comment_count": sum(1 for entry in entries if not entry.is_deleted),
        # A removed comment's text stays with those who could have removed it.
        "removed_history": {
            entry.id
            for entry in entries
            if entry.is_deleted and policy.can(user, "comment.history", entry.comment)
        },
        "thread_type": target_type,
        "thread_id": target_id,
        "thread_url": thread_url(target),
        "can_post": policy.can(user, "comment.post", target),
        "max_comment_chars": MAX_COMMENT_CHARS,
    }


def _target_of(comment: Comment) -> Any:
    try:
        return comment.target
    except ActionError:
        raise Http404() from None


def _refused(
    request: HttpRequest, target: Any, error: ActionError, *, form: dict[str, Any]
) -> HttpResponse:
    """The form again, with its message and what was typed: 422 (or the error's own status)."""
    status = 422 if error.status in {400, 422} else error.status
    target_type, target_id = key_of(target)
    context = {
        "target": target,
        "target_type": target_type,
        "target_id": target_id,
        "thread_url": thread_url(target),
        "error": error.detail,
        "max_comment_chars": MAX_COMMENT_CHARS,
        **form,
    }
    if getattr(request, "htmx", False):
        return render(request, "discussions/refused.html#refused_form", context, status=status)
    return render(request, "discussions/refused.html", context, status=status)


@require_POST
def comment_post(request: HttpRequest, object_type: str, object_id: str) -> HttpResponse:
    """Post a comment (or a reply, with `parent`) on the object named like "wiki.page", 12."""
    target = resolve(object_type, object_id)
    back = thread_url(target)  # before any write: an object shown nowhere takes no web posts
    policy.require(request.user, "comment.post", target)
    text = request.POST.get("text", "")
    raw_parent = request.POST.get("parent", "").strip()
    try:
        parent = None
        if raw_parent:
            if not raw_parent.isdigit():
                raise Invalid(
                    _("There is no comment %(id)s on this page.") % {"id": raw_parent},
                    field="parent",
                )
            parent = selectors.reply_parent_get(
                user=request.user, target=target, parent_id=int(raw_parent)
            )
        comment = actions.comment_post(user=request.user, target=target, text=text, parent=parent)
    except EXPECTED as error:
        form = {"mode": "reply" if raw_parent else "post", "text": text, "parent": raw_parent}
        return _refused(request, target, error, form=form)
    messages.success(request, _("Your comment is posted."))
    return redirect(f"{back}#comment-{comment.pk}")


@require_POST
def comment_edit(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = selectors.comment_get_visible(user=request.user, comment_id=comment_id)
    target = _target_of(comment)
    back = thread_url(target)
    text = request.POST.get("text", "")
    try:
        actions.comment_edit(user=request.user, comment=comment, text=text)
    except EXPECTED as error:
        form = {"mode": "edit", "text": text, "comment": comment}
        return _refused(request, target, error, form=form)
    messages.success(request, _("Your comment is saved."))
    return redirect(f"{back}#comment-{comment.pk}")


@require_POST
def comment_remove(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = selectors.comment_get_visible(user=request.user, comment_id=comment_id)
    target = _target_of(comment)
    back = thread_url(target)
    reason = request.POST.get("reason", "").strip()
    try:
        actions.comment_delete(user=request.user, comment=comment, reason=reason)
    except EXPECTED as error:
        form = {"mode": "remove", "text": reason, "comment": comment}
        return _refused(request, target, error, form=form)
    messages.success(request, _("The comment is removed."))
    return redirect(f"{back}#comment-{comment.pk}")


@require_GET
def comment_history(request: HttpRequest, comment_id: int) -> HttpResponse:
    """Every version of a comment, newest first; `?before=<revision id>` pages back."""
    comment = selectors.comment_get_visible(user=request.user, comment_id=comment_id)
    target = _target_of(comment)
    page = keyset_page(
        selectors.comment_history(user=request.user, comment=comment),
        size=HISTORY_PAGE,
        key=key_from_query(request.GET.get("before")),
    )
    revisions = page.items
    context = {
        **_layout_context(request, target),
        "target": target,
        "comment": comment,
        # Revisions hold only their text; render each as the comment was shown then.
        "revisions": [(revision, render_comment(revision.text)) for revision in revisions],
        "current_revision_id": revisions[0].pk if revisions and not page.is_later else None,
        "next_before": page.next_key,
        "is_later_page": page.is_later,
        "thread_url": thread_url(target),
    }
    return render(request, "discussions/comment_history.html", context)
