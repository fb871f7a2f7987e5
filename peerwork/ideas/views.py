"""Web pages of ideas: thin faces on the same actions and selectors as the REST API."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import uuid4

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from peerwork.accounts.forms import add_action_error
from peerwork.accounts.selectors import user_by_username
from peerwork.activity import watching
from peerwork.activity.actions import watch_set
from peerwork.core import policy
from peerwork.core.errors import (
    ActionError,
    Conflict,
    InsufficientFunds,
    Invalid,
    KeyReused,
    NotFound,
    RateLimited,
)
from peerwork.core.pagination import offset_slice
from peerwork.discussions import selectors as discussion_selectors
from peerwork.discussions import views as discussion_views
from peerwork.spaces.models import Space
from peerwork.spaces.selectors import space_get_visible

from . import actions, extensions, selectors
from .api import expiry_reason
from .forms import (
    FlagForm,
    IdeaForm,
    InviteForm,
    ListForm,
    MergeForm,
    NewIdeaForm,
    ReasonForm,
    RevenueForm,
    ReviewForm,
    split_tags,
)
from .models import Idea, Status
from .settings import ideas_policy

EXPECTED = (Invalid, Conflict, InsufficientFunds, KeyReused, RateLimited)
PAGE_SIZE = 25


def _space(request: HttpRequest, slug: str) -> Space:
    return space_get_visible(user=request.user, slug=slug)


def _idea(request: HttpRequest, slug: str, idea_id: int) -> Idea:
    space = _space(request, slug)
    return selectors.idea_get_visible(user=request.user, space=space, idea_id=idea_id)


def _url(idea: Idea) -> str:
    return f"/s/{idea.space.slug}/ideas/{idea.pk}/"


def _space_context(request: HttpRequest, space: Space) -> dict[str, Any]:
    return {
        "space": space,
        "tab": "ideas",
        "can_update": policy.can(request.user, "space.update", space),
    }


@require_GET
def idea_list(request: HttpRequest, slug: str) -> HttpResponse:
    space = _space(request, slug)
    form = ListForm(request.GET)
    values = form.values(page_size=PAGE_SIZE)
    ideas = selectors.ideas_listed(
        user=request.user,
        space=space,
        status=values["status"],
        tag=values["tag"],
        sort=values["sort"],
        mine=values["mine"],
    )
    found, next_start = offset_slice(ideas, size=PAGE_SIZE, offset=values["start"])
    now = timezone.now()
    added = extensions.sorts().get(values["sort"])
    notes = added.notes(found) if added is not None and added.notes is not None else {}
    rows = [
        {
            "idea": idea,
            "status": selectors.shown_status(idea, now),
            "progress": selectors.progress_of(idea, now),
            "note": notes.get(idea.pk),
        }
        for idea in found
    ]
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("start", None)
    context = _space_context(request, space)
    context.update(
        form=form,
        rows=rows,
        next_start=next_start,
        is_later_page=values["start"] > 0,
        query=query.urlencode(),
        can_create=policy.can(request.user, "idea.create", space),
        invitations=selectors.pending_invitations(user=request.user, space=space),
        statuses=dict(Status.choices),
    )
    return render(request, "ideas/list.html", context)


def _render_form(
    request: HttpRequest,
    space: Space,
    form: IdeaForm,
    *,
    idea: Idea | None = None,
    status: int = 200,
) -> HttpResponse:
    context = _space_context(request, space)
    context.update(form=form, idea=idea)
    return render(request, "ideas/form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def idea_new(request: HttpRequest, slug: str) -> HttpResponse:
    space = _space(request, slug)
    policy.require(request.user, "idea.create", space)
    if request.method == "GET":
        return _render_form(request, space, NewIdeaForm(initial={"share": 1}))
    form = NewIdeaForm(request.POST)
    if not form.is_valid():
        return _render_form(request, space, form, status=400)
    data = form.cleaned_data
    try:
        idea = actions.idea_create(
            user=request.user,
            space=space,
            title=data["title"],
            description=data["description"],
            tags=split_tags(data["tags"]),
            share=data["share"],
        )
    except EXPECTED as error:
        return _render_form(request, space, form, status=add_action_error(form, error))
    messages.success(
        request, _("Your draft is saved. Only its creators see it until you publish it.")
    )
    return redirect(_url(idea))


@require_http_methods(["GET", "POST"])
def idea_edit(request: HttpRequest, slug: str, idea_id: int) -> HttpResponse:
    idea = _idea(request, slug, idea_id)
    policy.require(request.user, "idea.update", idea)
    if request.method == "GET":
        form = IdeaForm(
            initial={
                "title": idea.title,
                "description": idea.description,
                "tags": ", ".join(idea.tags),
            }
        )
        return _render_form(request, idea.space, form, idea=idea)
    form = IdeaForm(request.POST)
    if not form.is_valid():
        return _render_form(request, idea.space, form, idea=idea, status=400)
    data = form.cleaned_data
    try:
        actions.idea_update(
            user=request.user,
            idea=idea,
            title=data["title"],
            description=data["description"],
            tags=split_tags(data["tags"]),
        )
    except EXPECTED as error:
        return _render_form(
            request, idea.space, form, idea=idea, status=add_action_error(form, error)
        )
    messages.success(request, _("Saved."))
    return redirect(_url(idea))


@require_GET
def similar(request: HttpRequest, slug: str) -> HttpResponse:
    """Ideas like the title being typed (htmx fragment of the new idea form)."""
    space = _space(request, slug)
    title = request.GET.get("title", "")[:300]
    exclude = request.GET.get("exclude", "")
    found = selectors.similar_ideas(
        user=request.user,
        space=space,
        title=title,
        exclude=int(exclude) if exclude.isdigit() else None,
    )
    return render(request, "ideas/_similar.html", {"space": space, "found": found, "title": title})


# ---- one idea ------------------------------------------------------------------------------


def _detail(
    request: HttpRequest,
    idea: Idea,
    *,
    forms: dict[str, Any] | None = None,
    status: int = 200,
    template: str = "ideas/detail.html",
) -> HttpResponse:
    idea = Idea.objects.select_related("space", "created_by", "merged_into", "reviewed_by").get(
        pk=idea.pk
    )
    user = request.user
    now = timezone.now()
    shown = selectors.shown_status(idea, now)
    progress = selectors.progress_of(idea, now)
    reached = {m.stage: m for m in idea.milestones_reached.all()}
    forms = forms or {}
    reason = expiry_reason(idea) or idea.status_reason
    context = _space_context(request, idea.space)
    context.update(
        idea=idea,
        status=shown,
        status_label=Status(shown).label,
        status_reason_html=selectors.markdown_html(idea.space, reason),
        status_changed_at=progress.deadline if progress.overdue else idea.status_changed_at,
        html=selectors.markdown_html(idea.space, idea.description),
        progress=progress,
        milestones=[
            {
                "number": index + 1,
                "supporters": m["supporters"],
                "days": m["days"],
                "reached": reached.get(index),
                "current": index == idea.stage and shown == Status.OPEN,
            }
            for index, m in enumerate(idea.milestones)
        ],
        creators=selectors.creators_of(idea),
        supporting=selectors.supports_given(user, idea),
        watching=watching.is_watching(user, idea),
        flags=selectors.flags_of(user=user, idea=idea),
        merges=selectors.merges_of(idea),
        revenue_shares=selectors.revenue_shares_of(idea),
        revenue=selectors.revenue_of(user=user, idea=idea),
        can_record_revenue=policy.can(user, "idea.revenue.record", idea)
        and idea.status in actions.EARNING,
        revenue_form=forms.get("revenue") or RevenueForm(initial={"key": uuid4().hex}),
        ledger_url=ledger_url(idea.space),
        criteria_html=selectors.markdown_html(idea.space, ideas_policy(idea.space).review_criteria),
        can_edit=policy.can(user, "idea.update", idea),
        can_publish=policy.can(user, "idea.publish", idea) and idea.status == Status.DRAFT,
        may_support=policy.can(user, "idea.support", idea),
        is_supportable=shown == Status.OPEN,
        can_review=policy.can(user, "idea.review", idea),
        can_flag=policy.can(user, "idea.flag", idea) and idea.status != Status.DRAFT,
        can_merge=policy.can(user, "idea.merge", idea),
        can_watch=policy.can(user, "idea.watch", idea),
        can_respond=policy.can(user, "idea.invitation.respond", idea),
        signed_in=policy.signed_in(user),
        invite_form=forms.get("invite") or InviteForm(initial={"share": 1}),
        review_form=forms.get("review") or ReviewForm(),
        done_form=forms.get("done") or ReasonForm(),
        flag_form=forms.get("flag") or FlagForm(),
        merge_form=forms.get("merge") or MergeForm(),
        action_error=forms.get("error"),
        extension_links=extensions.detail_links(idea),
        **discussion_views.thread_context(request, idea),
    )
    return render(request, template, context, status=status)


@require_GET
def idea_detail(request: HttpRequest, slug: str, idea_id: int) -> HttpResponse:
    return _detail(request, _idea(request, slug, idea_id))


def _done(request: HttpRequest, idea: Idea, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect(_url(idea))


def _refused(request: HttpRequest, idea: Idea, error: ActionError) -> HttpResponse:
    """An action refused without a form to show it in: the page with the message."""
    return _detail(request, idea, forms={"error": error.detail}, status=error.status)


@require_POST
def publish(request: HttpRequest, slug: str, idea_id: int) -> HttpResponse:
    idea = _idea(request, slug, idea_id)
    try:
        actions.idea_publish(user=request.user, idea=idea)
    except EXPECTED as error:
        return _refused(request, idea, error)
    return _done(request, idea, _("Published: the idea is open for support."))


@require_POST
def invite(request: HttpRequest, slug: str, idea_id: int) -> HttpResponse:
    idea = _idea(request, slug, idea_id)
    policy.require(request.user, "idea.update", idea)
    form = InviteForm(request.POST)
    if not form.is_valid():
        return _detail(request, idea, forms={"invite": form}, status=400)
    invitee = user_by_username(form.cleaned_data["username"])
    try:
        if invitee is None:
            raise Invalid(
                _("There is no person named '%(name)s'.") % {"name": form.cleaned_data["username"]},
                field="username",
            )
        actions.idea_invite_creator(
            user=request.user, idea=idea, invitee=invitee, share=form.cleaned_data["share"]
        )
    except EXPECTED as error:
        status = add_action_error(form, error)
        return _detail(request, idea, forms={"invite": form}, status=status)
    return _done(request, idea, _("Invited; they become a co-creator when they accept."))


@require_POST
def respond(request: HttpRequest, slug: str, idea_id: int) -> HttpResponse:
    idea = _idea(request, slug, idea_id)
    accept = request.POST.get("accept") == "1"
    try:
        actions.idea_invitation_respond(user=request.user, idea=idea, accept=accept)
    except EXPECTED as error:
        return _refused(request, idea, error)
    return _done(
        request,
        idea,
        _("You are now a co-creator of this idea.")
        if accept
        else _("You declined the invitation."),
    )


@require_POST
def support(request: HttpRequest, slug: str, idea_id: int) -> HttpResponse:
    idea = _idea(request, slug, idea_id)
    withdraw = request.POST.get("withdraw") == "1"
    try:
        if withdraw:
            actions.idea_support_withdraw(user=request.user, idea=idea)
        else:
            actions.idea_support(user=request.user, idea=idea)
    except EXPECTED as error:
        if getattr(request, "htmx", False):
            return _detail(
                request,
                idea,
                forms={"error": error.detail},
                status=200,
                template="ideas/detail.html#support_box",
            )
        return _refused(request, idea, error)
    if getattr(request, "htmx", False):
        return _detail(request, idea, template="ideas/detail.html#support_box")
    return _done(
        request,
        idea,
        _("Your support is withdrawn.") if withdraw else _("Thank you for your support."),
    )


def _post_form(
    request: HttpRequest,
    slug: str,
    idea_id: int,
    *,
    action: str,
    key: str,
    form_class: type[forms.Form],
    run: Callable[[Any, dict[str, Any]], object],
    success: str,
) -> HttpResponse:
    """The shape of every decision form on an idea's page: check, validate, act, and on a
    refusal show the page again with the message in that form and what was typed kept."""
    idea = _idea(request, slug, idea_id)
    policy.require(request.user, action, idea)
    form = form_class(request.POST)
    if not form.is_valid():
        return _detail(request, idea, forms={key: form}, status=400)
    try:
        run(idea, form.cleaned_data)
    except EXPECTED as error:
        return _detail(request, idea, forms={key: form}, status=add_action_error(form, error))
    return _done(request, idea, success)


@require_POST
def review(request: HttpRequest, slug: str, idea_id: int) -> HttpResponse:
    return _post_form(
        request,
        slug,
        idea_id,
        action="idea.review",
        key="review",
        form_class=ReviewForm,
        run=lambda idea, data: actions.idea_review(
            user=request.user, idea=idea, decision=data["decision"], reason=data["reason"]
        ),
        success=_("Decided; the reason is shown with the idea."),
    )


@require_POST
def done(request: HttpRequest, slug: str, idea_id: int) -> HttpResponse:
    return _post_form(
        request,
        slug,
        idea_id,
        action="idea.review",
        key="done",
        form_class=ReasonForm,
        run=lambda idea, data: actions.idea_mark_done(
            user=request.user, idea=idea, reason=data["reason"]
        ),
        success=_("Marked done."),
    )


@require_POST
def revenue(request: HttpRequest, slug: str, idea_id: int) -> HttpResponse:
    return _post_form(
        request,
        slug,
        idea_id,
        action="idea.revenue.record",
        key="revenue",
        form_class=RevenueForm,
        run=lambda idea, data: actions.idea_revenue_record(
            user=request.user,
            idea=idea,
            amount=data["amount"],
            currency=data["currency"],
            key=data["key"],
            reference=data["reference"],
            note=data["note"],
        ),
        success=_("Revenue recorded; the creators' share is in the ledger."),
    )


def ledger_url(space: Space) -> str:
    """The space's ledger page (the ledger app's own route when it has one)."""
    try:
        return reverse("ledger:ledger", args=[space.slug])
    except NoReverseMatch:
        return f"/s/{space.slug}/ledger/"


@require_POST
def flag(request: HttpRequest, slug: str, idea_id: int) -> HttpResponse:
    return _post_form(
        request,
        slug,
        idea_id,
        action="idea.flag",
        key="flag",
        form_class=FlagForm,
        run=lambda idea, data: actions.idea_flag_duplicate(
            user=request.user, idea=idea, duplicate_of=data["duplicate_of"], reason=data["reason"]
        ),
        success=_("Flagged; the stewards will look at it."),
    )


@require_POST
def merge(request: HttpRequest, slug: str, idea_id: int) -> HttpResponse:
    return _post_form(
        request,
        slug,
        idea_id,
        action="idea.merge",
        key="merge",
        form_class=MergeForm,
        run=lambda idea, data: actions.idea_merge(
            user=request.user, idea=idea, into=data["into"], reason=data["reason"]
        ),
        success=_("Merged. Its supports and creators moved over."),
    )


@require_POST
def unmerge(request: HttpRequest, slug: str, idea_id: int) -> HttpResponse:
    idea = _idea(request, slug, idea_id)
    try:
        actions.idea_unmerge(user=request.user, idea=idea)
    except EXPECTED as error:
        return _refused(request, idea, error)
    return _done(request, idea, _("The merge is undone."))


@require_POST
def watch(request: HttpRequest, slug: str, idea_id: int) -> HttpResponse:
    idea = _idea(request, slug, idea_id)
    on = request.POST.get("watch") == "1"
    watch_set(user=request.user, target=idea, watching=on)
    return _done(
        request,
        idea,
        _("You are watching this idea.") if on else _("You no longer watch this idea."),
    )


# Comments go through the discussions flow; these addresses are kept for old links and forms.


@require_POST
def comment(request: HttpRequest, slug: str, idea_id: int) -> HttpResponse:
    idea = _idea(request, slug, idea_id)
    return discussion_views.comment_post(request, "ideas.idea", str(idea.pk))


def _idea_comment(request: HttpRequest, idea: Idea, comment_id: int) -> Any:
    """A comment on this idea the viewer may see; 404 for any other comment."""
    found = discussion_selectors.comment_get_visible(user=request.user, comment_id=comment_id)
    if (found.target_type, found.target_id) != ("ideas.idea", str(idea.pk)):
        raise NotFound()
    return found


@require_POST
def comment_edit(
    request: HttpRequest, slug: str, idea_id: int, idea_comment_id: int
) -> HttpResponse:
    found = _idea_comment(request, _idea(request, slug, idea_id), idea_comment_id)
    return discussion_views.comment_edit(request, found.pk)


@require_POST
def comment_remove(
    request: HttpRequest, slug: str, idea_id: int, idea_comment_id: int
) -> HttpResponse:
    found = _idea_comment(request, _idea(request, slug, idea_id), idea_comment_id)
    return discussion_views.comment_remove(request, found.pk)
