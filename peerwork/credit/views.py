"""Web pages of credit: thin faces on the same selectors and actions as the REST API."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from peerwork.accounts.forms import add_action_error
from peerwork.core import policy
from peerwork.core.errors import Conflict, Forbidden, InsufficientFunds, Invalid, KeyReused
from peerwork.spaces.models import Space

from . import actions, compute, selectors
from .forms import DistributionForm, EpochForm, PeriodForm, PointsForm, WhatIfForm
from .models import Epoch, Method
from .policy_schema import credit_policy
from .words import describe_part

EXPECTED = (Invalid, Conflict, InsufficientFunds, KeyReused, Forbidden)
#: How many people the credit page lists (the API lists everyone).
PEOPLE_SHOWN = 200


def _context(request: HttpRequest, space: Space, **extra: Any) -> dict[str, Any]:
    return {
        "space": space,
        "tab": "credit",
        "can_update": policy.can(request.user, "space.update", space),
        **extra,
    }


def _parts(parts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**part, "text": describe_part(part)} for part in parts]


def _period(request: HttpRequest) -> tuple[PeriodForm, str, Any]:
    form = PeriodForm(request.GET or None)
    method, end = Method.IMMEDIATE.value, None
    if form.is_bound and form.is_valid():
        method = form.cleaned_data.get("method") or method
        end = compute.end_of(form.cleaned_data.get("period_end"))
    return form, method, end


def _overview(
    request: HttpRequest,
    space: Space,
    *,
    status: int = 200,
    distribution_form: DistributionForm | None = None,
    epoch_form: EpochForm | None = None,
) -> HttpResponse:
    period_form, method, end = _period(request)
    result = selectors.credit_of(space, period_end=end, method=method)
    shares = compute.shares_in_basis_points(result)
    people = [
        (result.names[user], shares[user]) for user, _score in result.ordered()[:PEOPLE_SHOWN]
    ]
    ledger_visible = policy.can(request.user, "ledger.view", space)
    can_distribute = policy.can(request.user, "credit.distribute", space)
    settings = credit_policy(space)
    epochs = list(selectors.epochs(user=request.user, space=space)[:20])
    closed = [(epoch.pk, epoch.title) for epoch in epochs if epoch.state == Epoch.State.CLOSED]
    context = _context(
        request,
        space,
        period_form=period_form,
        method=method,
        period=result.period,
        people=people,
        more_people=max(0, len(result.ordered()) - PEOPLE_SHOWN),
        distributions=list(selectors.distributions(user=request.user, space=space)[:20])
        if ledger_visible
        else [],
        ledger_visible=ledger_visible,
        can_distribute=can_distribute,
        distribution_form=distribution_form or DistributionForm(epochs=closed),
        peer_epochs=settings.peer_epochs,
        epochs=epochs,
        can_open_epoch=settings.peer_epochs
        and policy.can(request.user, "credit.epoch.open", space),
        epoch_form=epoch_form or EpochForm(),
    )
    return render(request, "credit/overview.html", context, status=status)


@require_GET
def credit_page(request: HttpRequest, slug: str) -> HttpResponse:
    space = selectors.credit_space(user=request.user, slug=slug)
    return _overview(request, space)


@require_GET
def person_page(request: HttpRequest, slug: str, username: str) -> HttpResponse:
    space = selectors.credit_space(user=request.user, slug=slug)
    person = selectors.person_get(username)
    period_form, method, end = _period(request)
    result = selectors.credit_of(space, period_end=end, method=method)
    shares = compute.shares_in_basis_points(result)
    parts = [vars(part) for part in result.parts(person.pk)]
    context = _context(
        request,
        space,
        person=person,
        period_form=period_form,
        method=method,
        period=result.period,
        share=shares.get(person.pk, 0),
        parts=_parts(parts),
    )
    return render(request, "credit/person.html", context)


@require_GET
def what_if_page(request: HttpRequest, slug: str) -> HttpResponse:
    space = selectors.credit_space(user=request.user, slug=slug)
    settings = credit_policy(space)
    form = WhatIfForm(request.GET or None, policy=settings)
    result, status = None, 200
    if form.is_bound:
        if form.is_valid():
            try:
                result = selectors.what_if(space, changes=form.changes(settings))
            except Invalid as error:
                status = add_action_error(form, error)
        else:
            status = 400
    context = _context(request, space, form=form, result=result)
    return render(request, "credit/what_if.html", context, status=status)


@require_POST
def distribution_new(request: HttpRequest, slug: str) -> HttpResponse:
    space = selectors.credit_space(user=request.user, slug=slug)
    policy.require(request.user, "credit.distribute", space)
    closed = [
        (epoch.pk, epoch.title)
        for epoch in selectors.epochs(user=request.user, space=space)
        if epoch.state == Epoch.State.CLOSED
    ]
    form = DistributionForm(request.POST, epochs=closed)
    if not form.is_valid():
        return _overview(request, space, status=400, distribution_form=form)
    data = form.cleaned_data
    epoch = (
        selectors.epoch_get(user=request.user, space=space, epoch_id=data["epoch"])
        if data.get("epoch")
        else None
    )
    try:
        distribution = actions.distribution_create(
            actor=request.user,
            space=space,
            method=data["method"],
            amount=data["amount"],
            currency=data["currency"],
            key=data["key"],
            period_end=compute.end_of(data.get("period_end")),
            epoch=epoch,
            memo=data.get("memo") or "",
        )
    except EXPECTED as error:
        status = add_action_error(form, error)
        return _overview(request, space, status=status, distribution_form=form)
    messages.success(request, _("The distribution is paid through the ledger."))
    return redirect(reverse("credit:distribution", args=[space.slug, distribution.pk]))


@require_GET
def distribution_page(request: HttpRequest, slug: str, distribution_id: int) -> HttpResponse:
    space = selectors.credit_space(user=request.user, slug=slug)
    distribution = selectors.distribution_get(
        user=request.user, space=space, distribution_id=distribution_id
    )
    shares = [
        (share, _parts(share.explanation.get("parts", [])))
        for share in selectors.shares(distribution)
    ]
    context = _context(request, space, distribution=distribution, shares=shares)
    return render(request, "credit/distribution.html", context)


@require_POST
def epoch_new(request: HttpRequest, slug: str) -> HttpResponse:
    space = selectors.credit_space(user=request.user, slug=slug)
    policy.require(request.user, "credit.epoch.open", space)
    form = EpochForm(request.POST)
    if not form.is_valid():
        return _overview(request, space, status=400, epoch_form=form)
    try:
        epoch = actions.epoch_open(
            actor=request.user, space=space, title=form.cleaned_data["title"]
        )
    except EXPECTED as error:
        status = add_action_error(form, error)
        return _overview(request, space, status=status, epoch_form=form)
    return redirect(reverse("credit:epoch", args=[space.slug, epoch.pk]))


def _epoch(
    request: HttpRequest, space: Space, epoch: Epoch, *, status: int = 200, form: Any = None
) -> HttpResponse:
    can_give = epoch.state == Epoch.State.OPEN and policy.can(
        request.user, "credit.epoch.give", epoch
    )
    people = [
        person.username
        for person in selectors.people(space)
        if person.pk != getattr(request.user, "pk", None)
    ]
    given = selectors.given_by(epoch, request.user)
    context = _context(
        request,
        space,
        epoch=epoch,
        allocations=list(selectors.allocations(epoch)),
        received=selectors.received(epoch),
        can_give=can_give,
        can_close=epoch.state == Epoch.State.OPEN
        and policy.can(request.user, "credit.epoch.close", epoch),
        given=given,
        left=epoch.points - given,
        form=form or PointsForm(people=people),
    )
    return render(request, "credit/epoch.html", context, status=status)


@require_GET
def epoch_page(request: HttpRequest, slug: str, epoch_id: int) -> HttpResponse:
    space = selectors.credit_space(user=request.user, slug=slug)
    epoch = selectors.epoch_get(user=request.user, space=space, epoch_id=epoch_id)
    return _epoch(request, space, epoch)


@require_POST
def epoch_give(request: HttpRequest, slug: str, epoch_id: int) -> HttpResponse:
    space = selectors.credit_space(user=request.user, slug=slug)
    epoch = selectors.epoch_get(user=request.user, space=space, epoch_id=epoch_id)
    policy.require(request.user, "credit.epoch.give", epoch)
    people = [person.username for person in selectors.people(space)]
    form = PointsForm(request.POST, people=people)
    if not form.is_valid():
        return _epoch(request, space, epoch, status=400, form=form)
    data = form.cleaned_data
    try:
        actions.points_give(
            actor=request.user,
            epoch=epoch,
            receiver=selectors.person_or_none(data["username"]),
            points=data["points"],
            note=data.get("note") or "",
        )
    except EXPECTED as error:
        status = add_action_error(form, error, fields={"receiver": "username"})
        return _epoch(request, space, epoch, status=status, form=form)
    messages.success(request, _("Your points are given."))
    return redirect(reverse("credit:epoch", args=[space.slug, epoch.pk]))


@require_POST
def epoch_close(request: HttpRequest, slug: str, epoch_id: int) -> HttpResponse:
    space = selectors.credit_space(user=request.user, slug=slug)
    epoch = selectors.epoch_get(user=request.user, space=space, epoch_id=epoch_id)
    try:
        actions.epoch_close(actor=request.user, epoch=epoch)
    except (Conflict, Invalid) as error:
        messages.error(request, str(error.detail))
    else:
        messages.success(request, _("The epoch is closed; points not given have vanished."))
    return redirect(reverse("credit:epoch", args=[space.slug, epoch.pk]))
