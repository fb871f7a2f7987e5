"""Moderation's pages: filters (write, test, hit log), the queue, reporting, your reports,
site-wide blocks. Thin: the same actions and selectors as the API."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from peerwork.accounts.forms import add_action_error
from peerwork.accounts.selectors import person_named
from peerwork.core import confirm, policy
from peerwork.core.errors import Conflict, Forbidden, Invalid, NotFound
from peerwork.discussions.selectors import comment_get_visible
from peerwork.spaces.forms import BlockForm
from peerwork.spaces.models import Space
from peerwork.spaces.selectors import space_get_visible, space_role

from . import actions, selectors
from .forms import DecisionForm, FilterForm, ReportForm, TestForm
from .models import Filter

EXPECTED = (Invalid, Conflict)


def _context(request: HttpRequest, space: Space, **extra: Any) -> dict[str, Any]:
    return {
        "space": space,
        "your_role": space_role(request.user, space),
        "can_manage_filters": policy.can(request.user, "moderation.filter.manage", space),
        "can_moderate": policy.can(request.user, "moderation.queue.decide", space),
        **extra,
    }


def filter_list(request: HttpRequest, slug: str) -> HttpResponse:
    space = space_get_visible(user=request.user, slug=slug)
    rules = selectors.filters_of(user=request.user, space=space)
    return render(request, "moderation/filters.html", _context(request, space, rules=rules))


def _form_values(form: FilterForm) -> dict[str, Any]:
    values = dict(form.cleaned_data)
    values["kinds"] = list(values.get("kinds") or [])
    return values


def _filter_page(
    request: HttpRequest,
    space: Space,
    form: FilterForm,
    *,
    rule: Filter | None = None,
    status: int = 200,
    tested: Any = None,
) -> HttpResponse:
    context = _context(
        request,
        space,
        form=form,
        rule=rule,
        test_form=TestForm(request.POST if "test" in request.POST else None),
        tested=tested,
        hits=selectors.filter_hits(user=request.user, rule=rule)[:50] if rule else [],
    )
    return render(request, "moderation/filter.html", context, status=status)


def _save_or_test(request: HttpRequest, space: Space, rule: Filter | None) -> HttpResponse:
    form = FilterForm(request.POST)
    if not form.is_valid():
        return _filter_page(request, space, form, rule=rule, status=422)
    values = _form_values(form)
    try:
        if "test" in request.POST:
            last_form = TestForm(request.POST)
            last = last_form.cleaned_data["last"] if last_form.is_valid() else 50
            candidate = Filter(space=space, **actions.clean_filter(values))
            tried = selectors.recent_contributions(space, last)
            matches = selectors.filter_test(
                user=request.user, space=space, rule=candidate, last=last
            )
            return _filter_page(
                request, space, form, rule=rule, tested={"tried": len(tried), "matches": matches}
            )
        if rule is None:
            rule = actions.filter_create(user=request.user, space=space, values=values)
        else:
            rule = actions.filter_update(user=request.user, rule=rule, values=values)
    except EXPECTED as error:
        status = add_action_error(form, error)
        return _filter_page(request, space, form, rule=rule, status=status)
    messages.success(request, _("The filter is saved."))
    return redirect("moderation:filter", slug=space.slug, filter_id=rule.pk)


@require_http_methods(["GET", "POST"])
def filter_new(request: HttpRequest, slug: str) -> HttpResponse:
    space = space_get_visible(user=request.user, slug=slug)
    policy.require(request.user, "moderation.filter.manage", space)
    if request.method == "POST":
        return _save_or_test(request, space, None)
    return _filter_page(request, space, FilterForm())


@require_http_methods(["GET", "POST"])
def filter_edit(request: HttpRequest, slug: str, filter_id: int) -> HttpResponse:
    space = space_get_visible(user=request.user, slug=slug)
    rule = selectors.filter_get(user=request.user, space=space, filter_id=filter_id)
    if request.method == "POST":
        return _save_or_test(request, space, rule)
    initial = {name: getattr(rule, name) for name in actions.FILTER_FIELDS}
    initial["kinds"] = rule.kind_list
    return _filter_page(request, space, FilterForm(initial=initial), rule=rule)


def queue(request: HttpRequest, slug: str) -> HttpResponse:
    space = space_get_visible(user=request.user, slug=slug)
    status = "decided" if request.GET.get("status") == "decided" else "open"
    items = selectors.queue_of(user=request.user, space=space, status=status)[:100]
    context = _context(
        request,
        space,
        items=items,
        status=status,
        can_block=policy.can(request.user, "space.block", space),
    )
    return render(request, "moderation/queue.html", context)


@require_POST
def decide(request: HttpRequest, slug: str, item_id: int) -> HttpResponse:
    space = space_get_visible(user=request.user, slug=slug)
    item = selectors.queue_item_get(user=request.user, space=space, item_id=item_id)
    form = DecisionForm(request.POST)
    back = reverse("moderation:queue", args=[space.slug])
    if not form.is_valid():
        messages.error(request, _("Choose a decision."))
        return redirect(back)
    try:
        actions.queue_decide(
            user=request.user,
            item=item,
            decision=form.cleaned_data["decision"],
            note=form.cleaned_data["note"] or "",
            is_spam=form.cleaned_data["is_spam"],
            block_hours=form.cleaned_data["block_hours"],
        )
    except (*EXPECTED, Forbidden) as error:
        messages.error(request, str(error.detail))
        return redirect(back)
    messages.success(request, _("Decided."))
    return redirect(back)


@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, slug: str) -> HttpResponse:
    """Report a comment (`?comment=N`) or a person (`?user=name`) to the space's moderators."""
    space = space_get_visible(user=request.user, slug=slug)
    if not policy.signed_in(request.user):
        return redirect_to_login(request.get_full_path())
    policy.require(request.user, "moderation.report", space)
    data = request.POST if request.method == "POST" else request.GET
    comment = person = None
    raw_comment = data.get("comment", "")
    try:
        if raw_comment.isdigit():
            comment = comment_get_visible(user=request.user, comment_id=int(raw_comment))
            if comment.space_id != space.pk:
                raise NotFound()
        elif data.get("user"):
            person = person_named(data["user"])
        else:
            raise NotFound()
    except Invalid:
        raise NotFound() from None
    form = ReportForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            actions.report_create(
                user=request.user,
                space=space,
                comment=comment,
                person=person,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except EXPECTED as error:
            status = add_action_error(form, error)
        else:
            messages.success(request, _("Thank you: the moderators will look at it."))
            return redirect("moderation:my_reports")
    elif request.method == "POST":
        status = 422
    context = _context(request, space, form=form, comment=comment, person=person)
    return render(request, "moderation/report.html", context, status=status)


def my_reports(request: HttpRequest) -> HttpResponse:
    if not policy.signed_in(request.user):
        return redirect_to_login(request.get_full_path())
    reports = selectors.reports_of(user=request.user)[:200]
    return render(request, "moderation/my_reports.html", {"reports": reports})


def _site_blocks_page(
    request: HttpRequest, form: BlockForm | None = None, status: int = 200
) -> HttpResponse:
    blocks = selectors.site_blocks(user=request.user)[:200]
    context = {
        "blocks": blocks,
        "block_form": form or BlockForm(),
        "can_block": policy.can(request.user, "site.block", None),
    }
    return render(request, "moderation/site_blocks.html", context, status=status)


@require_http_methods(["GET", "POST"])
def site_blocks(request: HttpRequest) -> HttpResponse:
    """Site-wide blocks in force (public); a site administrator blocks from here."""
    if request.method == "GET":
        return _site_blocks_page(request)
    if not policy.signed_in(request.user):
        return redirect_to_login(request.get_full_path())
    policy.require(request.user, "site.block", None)
    form = BlockForm(request.POST)
    if not form.is_valid():
        return _site_blocks_page(request, form, status=422)
    try:
        person = person_named(form.cleaned_data["username"])
        if not confirm.is_confirmed(request):
            return confirm.ask(
                request,
                confirm.Question(
                    title=_("Block %(name)s on the whole site?") % {"name": person.username},
                    consequence=_(
                        "They keep reading, but may not contribute to any space until the "
                        "block ends. They see the reason when they try."
                    ),
                    button=_("Block"),
                    cancel_url=reverse("moderation:site_blocks"),
                ),
            )
        actions.site_block(
            user=request.user,
            person=person,
            reason=form.cleaned_data["reason"],
            expires_at=form.expires_at(),
        )
    except EXPECTED as error:
        status = add_action_error(form, error)
        return _site_blocks_page(request, form, status=status)
    messages.success(request, _("%(name)s is blocked.") % {"name": person.username})
    return redirect("moderation:site_blocks")


@require_POST
def site_block_lift(request: HttpRequest, username: str) -> HttpResponse:
    policy.require(request.user, "site.block", None)
    try:
        person = person_named(username)
        actions.site_unblock(user=request.user, person=person)
    except EXPECTED as error:
        messages.error(request, str(error.detail))
        return redirect("moderation:site_blocks")
    messages.success(request, _("The block of %(name)s is lifted.") % {"name": person.username})
    return redirect("moderation:site_blocks")
