"""Web pages of tasks: thin faces on the same actions and selectors as the REST API.

The board is a list of columns by state that works without JavaScript: each card carries its
own small forms (claim, give up), which post to the same views as the task page's buttons.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from peerwork.accounts import actions as accounts
from peerwork.accounts.forms import add_action_error
from peerwork.activity import watching
from peerwork.activity.actions import watch_set
from peerwork.core import policy
from peerwork.core.errors import Conflict, InsufficientFunds, Invalid, NotAuthenticated
from peerwork.discussions import views as discussion_views
from peerwork.spaces.models import Space
from peerwork.spaces.selectors import space_get_visible

from . import actions, selectors
from .forms import (
    BountyForm,
    ClaimForm,
    DeliveryForm,
    ReasonForm,
    ReviewForm,
    SkillsForm,
    TaskFields,
    TaskForm,
)
from .models import Mode, State, Task
from .policy import is_claimant, worked_on
from .policy_schema import tasks_policy

#: Refusals a page shows by its form or as a message (InsufficientFunds: the treasury lacks it).
EXPECTED = (Invalid, Conflict, InsufficientFunds)


def _space(request: HttpRequest, slug: str) -> Space:
    return space_get_visible(user=request.user, slug=slug)


def _task(request: HttpRequest, slug: str, task_id: int) -> Task:
    space = _space(request, slug)
    return selectors.task_get_visible(user=request.user, task_id=task_id, space=space)


def _url(task: Task) -> str:
    return reverse("tasks:detail", args=[task.space.slug, task.pk])


def _back(request: HttpRequest, task: Task) -> HttpResponse:
    """To the page the form was on (the board or the task), never to another site."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(_url(task))


def _context(request: HttpRequest, space: Space, **extra: Any) -> dict[str, Any]:
    return {
        "space": space,
        "tab": "tasks",
        "can_update": policy.can(request.user, "space.update", space),
        **extra,
    }


def _filters(request: HttpRequest) -> selectors.Filters:
    get = request.GET
    return selectors.Filters(
        skill=get.get("skill", "")[:50],
        label=get.get("label", "")[:50],
        mode=get.get("mode", "") if get.get("mode", "") in Mode.values else "",
        has_bounty=get.get("bounty") == "1",
        unclaimed=get.get("unclaimed") == "1",
    )


@require_GET
def task_board(request: HttpRequest, slug: str) -> HttpResponse:
    space = _space(request, slug)
    filters = _filters(request)
    context = _context(
        request,
        space,
        columns=selectors.board(user=request.user, space=space, filters=filters),
        filters=filters,
        modes=Mode.choices,
        can_post=policy.can(request.user, "task.create", space),
        signed_in=policy.signed_in(request.user),
        here=request.get_full_path(),
    )
    return render(request, "tasks/board.html", context)


@require_http_methods(["GET", "POST"])
def task_new(request: HttpRequest, slug: str) -> HttpResponse:
    space = _space(request, slug)
    policy.require(request.user, "task.create", space)
    template = "tasks/new.html"
    if request.method == "GET":
        return render(request, template, _context(request, space, form=TaskForm()))
    form = TaskForm(request.POST)
    if not form.is_valid():
        return render(request, template, _context(request, space, form=form), status=400)
    try:
        task = actions.task_create(user=request.user, space=space, **form.cleaned_data)
    except EXPECTED as error:
        status = add_action_error(form, error)
        return render(request, template, _context(request, space, form=form), status=status)
    messages.success(request, _("Your task is posted."))
    return redirect(_url(task))


@require_GET
def tasks_for_you(request: HttpRequest, slug: str) -> HttpResponse:
    space = _space(request, slug)
    user = request.user
    signed_in = policy.signed_in(user)
    context = _context(
        request,
        space,
        suggestions=selectors.tasks_for(user=user, space=space),
        signed_in=signed_in,
        skills_form=SkillsForm(initial={"skills": ", ".join(getattr(user, "skills", None) or [])})
        if signed_in
        else None,
        here=request.get_full_path(),
    )
    return render(request, "tasks/for_you.html", context)


@require_POST
def skills_save(request: HttpRequest) -> HttpResponse:
    """Set one's own skills (the profile's), from the "tasks for you" page."""
    if not policy.signed_in(request.user):
        raise NotAuthenticated()
    person = policy.require_person(request.user, "user.update", request.user)
    form = SkillsForm(request.POST)
    if form.is_valid():
        try:
            accounts.user_update_profile(
                user=person, person=person, skills=form.cleaned_data["skills"]
            )
        except EXPECTED as error:
            messages.error(request, str(error.detail))
        else:
            messages.success(request, _("Your skills are saved."))
    else:
        messages.error(request, _("Your skills could not be saved."))
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("home")


@require_GET
def task_detail(request: HttpRequest, slug: str, task_id: int) -> HttpResponse:
    task = _task(request, slug, task_id)
    user = request.user
    mine = selectors.my_claim(user=user, task=task)
    deliveries = selectors.deliveries_of(user=user, task=task)
    reviewable = (
        task.state == State.IN_REVIEW
        and not worked_on(user, task)
        and policy.can(user, "task.review", task)
    )
    latest = deliveries[-1].delivery.pk if deliveries else None
    context = _context(
        request,
        task.space,
        task=task,
        description_html=selectors.markdown_html(task.space, task.description),
        payout=selectors.bounty_payout(task),
        claims=selectors.claims_of(task),
        my_claim=mine,
        deliveries=deliveries,
        latest_delivery=latest,
        can_edit=policy.can(user, "task.update", task) and not task.is_closed,
        can_claim=mine is None and not task.is_closed and policy.can(user, "task.claim", task),
        can_decide=policy.can(user, "task.claim.decide", task),
        can_set_bounty=not task.has_bounty
        and not task.is_closed
        and policy.can(user, "task.bounty", task),
        bounty_form=BountyForm(),
        can_deliver=is_claimant(user, task)
        and task.state
        in {State.CLAIMED, State.CHANGES_REQUESTED}
        | ({State.IN_REVIEW} if task.mode != Mode.SINGLE else set()),
        can_review=reviewable,
        can_watch=policy.can(user, "task.watch", task),
        watching=watching.is_watching(user, task),
        dependencies=list(task.depends_on.all()),
        claim_form=ClaimForm(),
        delivery_form=DeliveryForm(),
        review_form=ReviewForm(),
        cancel_form=ReasonForm(),
        claim_days=tasks_policy(task.space).claim_days,
        **discussion_views.thread_context(request, task),
    )
    return render(request, "tasks/detail.html", context)


@require_http_methods(["GET", "POST"])
def task_edit(request: HttpRequest, slug: str, task_id: int) -> HttpResponse:
    task = _task(request, slug, task_id)
    policy.require(request.user, "task.update", task)
    template = "tasks/edit.html"
    if request.method == "GET":
        form = TaskFields(
            initial={
                "title": task.title,
                "description": task.description,
                "skills": ", ".join(task.skills),
                "labels": ", ".join(task.labels),
                "language": task.language,
                "estimate_hours": task.estimate_hours,
                "due_date": task.due_date,
                "depends_on": ", ".join(str(t.pk) for t in task.depends_on.all()),
            }
        )
        return render(request, template, _context(request, task.space, task=task, form=form))
    form = TaskFields(request.POST)
    status = 400
    if form.is_valid():
        try:
            actions.task_update(user=request.user, task=task, **form.cleaned_data)
        except EXPECTED as error:
            status = add_action_error(form, error)
        else:
            messages.success(request, _("The task is updated."))
            return redirect(_url(task))
    context = _context(request, task.space, task=task, form=form)
    return render(request, template, context, status=status)


def _after(request: HttpRequest, task: Task, run: Any, success: str) -> HttpResponse:
    """Run an action; show its refusal or `success` as a message, and go back."""
    try:
        run()
    except EXPECTED as error:
        messages.error(request, str(error.detail))
    else:
        messages.success(request, success)
    return _back(request, task)


@require_POST
def task_cancel(request: HttpRequest, slug: str, task_id: int) -> HttpResponse:
    task = _task(request, slug, task_id)
    policy.require(request.user, "task.update", task)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _after(
        request,
        task,
        lambda: actions.task_cancel(user=request.user, task=task, reason=reason),
        _("The task is cancelled."),
    )


@require_POST
def task_bounty(request: HttpRequest, slug: str, task_id: int) -> HttpResponse:
    task = _task(request, slug, task_id)
    policy.require(request.user, "task.bounty", task)
    form = BountyForm(request.POST)
    if not form.is_valid():
        first = next(iter(form.errors.values()))[0]
        messages.error(request, str(first))
        return _back(request, task)
    return _after(
        request,
        task,
        lambda: actions.task_bounty_set(
            user=request.user,
            task=task,
            bounty=form.cleaned_data["bounty"],
            currency=form.cleaned_data["currency"],
        ),
        _("The bounty is set aside from the treasury."),
    )


@require_POST
def task_claim(request: HttpRequest, slug: str, task_id: int) -> HttpResponse:
    task = _task(request, slug, task_id)
    policy.require(request.user, "task.claim", task)
    form = ClaimForm(request.POST)
    share = (form.cleaned_data.get("share") if form.is_valid() else None) or 1
    needs_approval = tasks_policy(task.space).claims_need_approval
    return _after(
        request,
        task,
        lambda: actions.task_claim(user=request.user, task=task, share=share),
        _("You asked to claim this task; a steward will decide.")
        if needs_approval
        else _("You claim this task. Deliver your work when it is ready."),
    )


@require_POST
def task_unclaim(request: HttpRequest, slug: str, task_id: int) -> HttpResponse:
    task = _task(request, slug, task_id)
    return _after(
        request,
        task,
        lambda: actions.task_unclaim(user=request.user, task=task),
        _("You no longer claim this task."),
    )


@require_POST
def claim_decide(request: HttpRequest, slug: str, task_id: int, claim_id: int) -> HttpResponse:
    task = _task(request, slug, task_id)
    policy.require(request.user, "task.claim.decide", task)
    claim = selectors.claim_get(user=request.user, task=task, claim_id=claim_id)
    approve = request.POST.get("approve") == "1"
    return _after(
        request,
        task,
        lambda: actions.task_claim_decide(user=request.user, claim=claim, approve=approve),
        _("The claim is approved.") if approve else _("The claim is declined."),
    )


@require_POST
def task_deliver(request: HttpRequest, slug: str, task_id: int) -> HttpResponse:
    task = _task(request, slug, task_id)
    policy.require(request.user, "task.deliver", task)
    form = DeliveryForm(request.POST)
    if not form.is_valid():
        first = next(iter(form.errors.values()))[0]
        messages.error(request, str(first))
        return _back(request, task)
    return _after(
        request,
        task,
        lambda: actions.task_deliver(user=request.user, task=task, **form.cleaned_data),
        _("Your work is delivered; a peer will review it."),
    )


@require_POST
def delivery_review(
    request: HttpRequest, slug: str, task_id: int, task_delivery_id: int
) -> HttpResponse:
    task = _task(request, slug, task_id)
    delivery = selectors.delivery_get(user=request.user, task=task, delivery_id=task_delivery_id)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a decision and write the reason."))
        return _back(request, task)
    decision = form.cleaned_data["decision"]
    return _after(
        request,
        task,
        lambda: actions.delivery_review(
            user=request.user,
            delivery=delivery,
            decision=decision,
            reason=form.cleaned_data["reason"],
        ),
        _("The delivery is approved and the task is done.")
        if decision == "approved"
        else _("You asked for changes."),
    )


@require_POST
def delivery_release(
    request: HttpRequest, slug: str, task_id: int, task_delivery_id: int
) -> HttpResponse:
    task = _task(request, slug, task_id)
    delivery = selectors.delivery_get(user=request.user, task=task, delivery_id=task_delivery_id)
    return _after(
        request,
        task,
        lambda: actions.delivery_release(user=request.user, delivery=delivery),
        _("Your delivery is released to the commons."),
    )


@require_POST
def task_watch(request: HttpRequest, slug: str, task_id: int) -> HttpResponse:
    task = _task(request, slug, task_id)
    policy.require(request.user, "task.watch", task)
    watch = request.POST.get("watch") == "1"
    watch_set(user=request.user, target=task, watching=watch)
    if watch:
        messages.success(request, _("You will be told about changes to this task."))
    else:
        messages.success(request, _("You no longer watch this task."))
    return _back(request, task)


@require_POST
def task_comment(request: HttpRequest, slug: str, task_id: int) -> HttpResponse:
    """Comment on the task's page (the discussions flow, kept here)."""
    task = _task(request, slug, task_id)
    return discussion_views.comment_post(request, "tasks.task", str(task.pk))
