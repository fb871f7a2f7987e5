"""The web flow of a discussion on any commentable object: post, edit, remove, history.

Pages, ideas and challenges show their thread with `discussions/_thread.html` (its context
comes from `thread_context`) and its forms post here, so the flow is written once. A success
goes back to the thread on the object's page (`Attachment.url_of`); refused input answers 422
with the message and the typed text, never a 500. Every form works without JavaScript
(`?reply=N` and `?edit=N` open a comment's form in the thread); with htmx, Reply and Edit
fetch their form in place, posting swaps the thread and a refused form is swapped back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from peerwork.core import policy
from peerwork.core.confirm import is_confirmed
from peerwork.core.errors import (
    ActionError,
    ConfirmRequired,
    Conflict,
    Invalid,
    RateLimited,
    RefusedByScreen,
)
from peerwork.core.markup import render_comment
from peerwork.core.pagination import key_from_query, keyset_page

from . import actions, selectors, summary
from .attachments import attachment_for, key_of, resolve, type_of
from .models import MAX_COMMENT_CHARS, Comment

EXPECTED = (Invalid, Conflict, RateLimited, RefusedByScreen, ConfirmRequired)
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


@dataclass(frozen=True)
class ThreadWords:
    """What a target's thread calls itself: a challenge's comments are questions, say."""

    empty_text: str | Promise = gettext_lazy("No comments yet.")
    new_label: str | Promise = gettext_lazy("New comment")
    new_button: str | Promise = gettext_lazy("Post comment")


_WORDS: dict[str, ThreadWords] = {}


def register_words(model: type[Any], words: ThreadWords) -> None:
    """Word the thread of `model`'s objects (from an AppConfig); htmx answers use them too."""
    _WORDS[type_of(model)] = words


#: (request, target, entries) -> context for the thread: apps built on discussions add to
#: each comment (`thread_comment_templates`: templates included in its actions, given
#: `entry`), above the thread (`thread_header_templates`) or order siblings
#: (`thread_rank`: {comment id: score}, higher first).
ThreadExtension = Callable[[HttpRequest, Any, list[Any]], dict[str, Any]]
_EXTENSIONS: list[ThreadExtension] = []


def register_thread_extension(extension: ThreadExtension) -> None:
    """Add to every thread's context (from an AppConfig)."""
    _EXTENSIONS.append(extension)


def _ranked(entries: list[Any], rank: dict[int, float]) -> list[Any]:
    """Thread order with the replies of each comment (and the top level) by rank, highest
    first, then oldest first."""
    children: dict[int | None, list[Any]] = {}
    for entry in entries:
        children.setdefault(entry.parent_id, []).append(entry)
    for siblings in children.values():
        siblings.sort(key=lambda entry: (-rank.get(entry.id, float("-inf")), entry.id))
    ordered: list[Any] = []
    stack = list(reversed(children.get(None, [])))
    while stack:
        entry = stack.pop()
        ordered.append(entry)
        stack.extend(reversed(children.get(entry.id, [])))
    return ordered


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


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _asked_form(request: HttpRequest) -> tuple[str, int] | None:
    """The comment form an address asks to open: `?reply=N` or `?edit=N` (GET only)."""
    if request.method != "GET":
        return None
    for mode in ("reply", "edit"):
        value = request.GET.get(mode, "")
        if value.isdigit():
            return mode, int(value)
    return None


def _may_open(mode: str, entry: Any, can_post: bool) -> bool:
    if entry is None or entry.is_deleted:
        return False
    return can_post if mode == "reply" else bool(mode == "edit" and entry.can_edit)


def thread_context(request: HttpRequest, target: Any) -> dict[str, Any]:
    """What `discussions/_thread.html` needs to show `target`'s thread to the viewer.

    A `?reply=N` or `?edit=N` address opens that comment's form in the thread, so Reply and
    Edit work without JavaScript; a form the viewer may not use is simply not opened.
    """
    user = request.user
    entries = selectors.comments_for(user=user, target=target)
    by_id = {entry.id: entry for entry in entries}
    target_type, target_id = key_of(target)
    can_post = policy.can(user, "comment.post", target)
    asked = _asked_form(request)
    if asked is not None and not _may_open(asked[0], by_id.get(asked[1]), can_post):
        asked = None
    words = _WORDS.get(target_type, ThreadWords())
    extra: dict[str, Any] = {"thread_comment_templates": [], "thread_header_templates": []}
    for extension in _EXTENSIONS:
        added = extension(request, target, entries)
        for key in ("thread_comment_templates", "thread_header_templates"):
            extra[key] += added.pop(key, [])
        extra.update(added)
    if extra.get("thread_rank"):
        entries = _ranked(entries, extra["thread_rank"])
    return {
        **extra,
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
        # Reply and Edit links fetch their form from here with htmx.
        "thread_form_url": reverse("discussions:post", args=[target_type, target_id]),
        "thread_signed_in": policy.signed_in(user),
        "thread_words": words,
        "open_mode": asked[0] if asked else "",
        "open_id": asked[1] if asked else None,
        "can_post": can_post,
        "max_comment_chars": MAX_COMMENT_CHARS,
        "thread_summary": summary.summary_state(user=user, target=target, entries=entries),
        "summary_url": reverse("discussions:summary", args=[target_type, target_id]),
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
        "thread_words": _WORDS.get(target_type, ThreadWords()),
        "error": error.detail,
        # A filter's warning: the form posts again confirmed, so saving it goes on.
        "confirm_screen": isinstance(error, ConfirmRequired),
        "max_comment_chars": MAX_COMMENT_CHARS,
        **form,
    }
    if _is_htmx(request) and form["mode"] in {"post", "reply"}:
        # Swapped back where it was sent from: a reply's slot under its comment, or the
        # new-comment form (the thread's forms post with htmx; edit and remove do not).
        if not str(form["parent"]).isdigit():  # no slot to go back to: a new comment
            context.update(mode="post", parent="")
        context.update(in_place=True, suffix=f"-{context['parent']}" if context["parent"] else "")
        response = render(request, "discussions/refused.html#refused_form", context, status=status)
        if context["mode"] == "reply":
            return retarget(reswap(response, "innerHTML"), f"#reply-slot-{context['parent']}")
        return retarget(reswap(response, "outerHTML"), "#new-comment")
    if _is_htmx(request):
        return render(request, "discussions/refused.html#refused_form", context, status=status)
    context.update(_layout_context(request, target))
    return render(request, "discussions/refused.html", context, status=status)


@require_http_methods(["GET", "POST"])
def comments(request: HttpRequest, object_type: str, object_id: str) -> HttpResponse:
    """The address of an object's comments: GET opens a form (`?reply=N`, `?edit=N`), POST posts."""
    if request.method == "POST":
        return comment_post(request, object_type, object_id)
    return comment_form(request, resolve(object_type, object_id))


def comment_form(request: HttpRequest, target: Any) -> HttpResponse:
    """A comment's Reply or Edit form: just the form for htmx, else the thread with it open."""
    if not policy.can(request.user, "discussion.view", target):
        raise Http404()
    back = thread_url(target)
    asked = _asked_form(request)
    if not _is_htmx(request):
        query = f"?{asked[0]}={asked[1]}#{asked[0]}-form" if asked else "#thread"
        return redirect(f"{back}{query}")
    if asked is None:
        raise Http404()
    context = thread_context(request, target)
    entry = next((entry for entry, _parent in context["thread"] if entry.id == asked[1]), None)
    if entry is None:
        raise Http404()
    context["entry"] = entry
    return render(request, "discussions/_thread.html#open_form", context)


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
        comment = actions.comment_post(
            user=request.user,
            target=target,
            text=text,
            parent=parent,
            confirmed=is_confirmed(request),
        )
    except EXPECTED as error:
        form = {"mode": "reply" if raw_parent else "post", "text": text, "parent": raw_parent}
        return _refused(request, target, error, form=form)
    if _is_htmx(request):
        # The thread with the new comment, a status line, and (for a new comment) an empty form.
        context = thread_context(request, target)
        context.update(
            posted=comment.pk, posted_held=comment.is_held, fresh_new_form=parent is None
        )
        return render(request, "discussions/_thread.html#posted", context)
    if comment.is_held:
        messages.info(request, _("Your comment is saved and awaits a moderator's review."))
    else:
        messages.success(request, _("Your comment is posted."))
    return redirect(f"{back}#comment-{comment.pk}")


@require_POST
def comment_edit(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = selectors.comment_get_visible(user=request.user, comment_id=comment_id)
    target = _target_of(comment)
    back = thread_url(target)
    text = request.POST.get("text", "")
    try:
        comment = actions.comment_edit(
            user=request.user, comment=comment, text=text, confirmed=is_confirmed(request)
        )
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


@require_POST
def summary_update(request: HttpRequest, object_type: str, object_id: str) -> HttpResponse:
    """Summarize the thread again; back to it, at the summary (summary.py)."""
    target = resolve(object_type, object_id)
    back = thread_url(target)
    try:
        summary.summary_update(user=request.user, target=target)
    except EXPECTED as error:
        messages.error(request, error.detail)
    return redirect(f"{back}#summary")
