"""Web pages of the ledger: thin faces on the same actions and selectors as the REST API."""

from __future__ import annotations

import csv
import io
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from peerwork.accounts.forms import add_action_error
from peerwork.core import confirm, policy
from peerwork.core.errors import Conflict, Forbidden, InsufficientFunds, Invalid, KeyReused
from peerwork.core.money import to_major
from peerwork.core.pagination import key_from_query, keyset_page
from peerwork.spaces.models import Space

from . import actions, selectors
from .chart import flows_svg
from .forms import DisbursementForm, FundingForm, RejectionForm, ReversalForm
from .models import Kind, Payout, Transaction

#: Errors an action explains to the person: shown on the page, nothing written.
EXPECTED = (Invalid, Conflict, InsufficientFunds, KeyReused, Forbidden)
PAGE_SIZE = 50


def _url(space: Space) -> str:
    return reverse("ledger:ledger", args=[space.slug])


def _context(request: HttpRequest, space: Space, **extra: Any) -> dict[str, Any]:
    return {
        "space": space,
        "tab": "ledger",
        "can_update": policy.can(request.user, "space.update", space),
        "can_manage": policy.can(request.user, "ledger.manage", space),
        "private": selectors.private_columns(request.user, space),
        **extra,
    }


def _page(
    request: HttpRequest,
    space: Space,
    *,
    status: int = 200,
    **forms_shown: forms.Form,
) -> HttpResponse:
    filters = selectors.filters_from(request.GET)
    page = keyset_page(
        selectors.transactions(space, filters),
        size=PAGE_SIZE,
        key=key_from_query(request.GET.get("before")),
    )
    known = selectors.currencies(space)
    chart_currency = filters.currency if filters.currency in known else (known[0] if known else "")
    flows = selectors.flows(space, chart_currency) if chart_currency else None
    can_manage = policy.can(request.user, "ledger.manage", space)
    awaiting = list(selectors.payouts(space, Payout.State.AWAITING)) if can_manage else []
    query = filters.query()
    context = _context(
        request,
        space,
        balances=selectors.balances(space),
        transactions=page.items,
        reversed_ids=selectors.reversed_ids([tx.pk for tx in page.items]),
        next_url=f"?{urlencode({**query, 'before': page.next_key})}" if page.next_key else "",
        csv_url=reverse("ledger:csv", args=[space.slug])
        + (f"?{urlencode(query)}" if query else ""),
        filters=filters,
        kinds=Kind.choices,
        currencies=known,
        flows=flows,
        flows_svg=flows_svg(flows, space_name=space.name) if flows else "",
        flows_rows=list(zip(flows.months, zip(*flows.series.values(), strict=True), strict=True))
        if flows and flows.series
        else [],
        flows_kinds=[Kind(kind).label for kind in flows.series] if flows else [],
        awaiting=awaiting,
        funding_form=forms_shown.get("funding_form") or FundingForm(prefix="funding"),
        refund_form=forms_shown.get("refund_form") or FundingForm(prefix="refund"),
        disbursement_form=forms_shown.get("disbursement_form")
        or DisbursementForm(prefix="disbursement"),
        rejection_form=forms_shown.get("rejection_form") or RejectionForm(),
    )
    return render(request, "ledger/ledger.html", context, status=status)


@require_GET
def ledger_page(request: HttpRequest, slug: str) -> HttpResponse:
    space = selectors.ledger_space(user=request.user, slug=slug)
    return _page(request, space)


def _money_post(request: HttpRequest, slug: str, which: str) -> HttpResponse:
    space = selectors.ledger_space(user=request.user, slug=slug)
    policy.require(request.user, "ledger.manage", space)
    form_class = DisbursementForm if which == "disbursement" else FundingForm
    form = form_class(request.POST, prefix=which)
    shown = {f"{which}_form": form}
    if not form.is_valid():
        return _page(request, space, status=400, **shown)
    data = dict(form.cleaned_data)
    try:
        if which == "funding":
            actions.treasury_fund(actor=request.user, space=space, **data)
            messages.success(request, _("The funding is recorded."))
        elif which == "refund":
            actions.treasury_refund(actor=request.user, space=space, **data)
            messages.success(request, _("The refund is recorded."))
        else:
            person = selectors.person_or_none(data.pop("username"))
            if person is None:
                form.add_error("username", _("There is no such person."))
                return _page(request, space, status=400, **shown)
            actions.earnings_disburse(actor=request.user, space=space, user=person, **data)
            messages.success(request, _("The payment is recorded."))
    except EXPECTED as error:
        status = add_action_error(form, error)
        return _page(request, space, status=status, **shown)
    return redirect(_url(space))


@require_POST
def record_funding(request: HttpRequest, slug: str) -> HttpResponse:
    return _money_post(request, slug, "funding")


@require_POST
def record_refund(request: HttpRequest, slug: str) -> HttpResponse:
    return _money_post(request, slug, "refund")


@require_POST
def record_disbursement(request: HttpRequest, slug: str) -> HttpResponse:
    return _money_post(request, slug, "disbursement")


def _transaction_page(
    request: HttpRequest,
    space: Space,
    tx: Transaction,
    *,
    form: ReversalForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = _context(
        request,
        space,
        tx=tx,
        entries=list(tx.entries.all()),
        reversed_by=selectors.reversal_of(tx),
        form=form or ReversalForm(),
    )
    return render(request, "ledger/transaction.html", context, status=status)


@require_GET
def transaction_detail(request: HttpRequest, slug: str, transaction_id: int) -> HttpResponse:
    space = selectors.ledger_space(user=request.user, slug=slug)
    tx = selectors.transaction_get(space=space, transaction_id=transaction_id)
    return _transaction_page(request, space, tx)


@require_POST
def transaction_reverse(request: HttpRequest, slug: str, transaction_id: int) -> HttpResponse:
    space = selectors.ledger_space(user=request.user, slug=slug)
    tx = selectors.transaction_get(space=space, transaction_id=transaction_id)
    policy.require(request.user, "ledger.manage", space)
    form = ReversalForm(request.POST)
    if not form.is_valid():
        return _transaction_page(request, space, tx, form=form, status=400)
    try:
        reversal = actions.transaction_reverse(
            actor=request.user, transaction=tx, **form.cleaned_data
        )
    except EXPECTED as error:
        status = add_action_error(form, error)
        return _transaction_page(request, space, tx, form=form, status=status)
    messages.success(request, _("The transaction is reversed."))
    return redirect(reverse("ledger:transaction", args=[space.slug, reversal.pk]))


def _payout(request: HttpRequest, slug: str, payout_id: int) -> tuple[Space, Payout]:
    space = selectors.ledger_space(user=request.user, slug=slug)
    return space, selectors.payout_get(user=request.user, space=space, payout_id=payout_id)


@require_POST
def payout_approve(request: HttpRequest, slug: str, payout_id: int) -> HttpResponse:
    space, payout = _payout(request, slug, payout_id)
    try:
        actions.payout_approve(actor=request.user, payout=payout)
    except EXPECTED as error:
        if isinstance(error, Forbidden) and not policy.can(
            request.user, "ledger.payout.decide", payout
        ):
            raise
        messages.error(request, str(error.detail))
        return _page(request, space, status=error.status)
    messages.success(request, _("The payout is approved and paid."))
    return redirect(_url(space))


@require_POST
def payout_reject(request: HttpRequest, slug: str, payout_id: int) -> HttpResponse:
    space, payout = _payout(request, slug, payout_id)
    policy.require(request.user, "ledger.payout.decide", payout)
    form = RejectionForm(request.POST)
    if not form.is_valid():
        return _page(request, space, status=400, rejection_form=form)
    if not confirm.is_confirmed(request):
        return confirm.ask(
            request,
            confirm.Question(
                title=_("Turn down this payout?"),
                consequence=_(
                    "Nobody is paid: the money goes back to the account it was to come from, "
                    "and your reason goes on the public ledger."
                ),
                irreversible=_("A payout turned down cannot be approved later; ask for a new one."),
                button=_("Turn down"),
                cancel_url=_url(space),
            ),
        )
    try:
        actions.payout_reject(actor=request.user, payout=payout, reason=form.cleaned_data["reason"])
    except EXPECTED as error:
        status = add_action_error(form, error)
        return _page(request, space, status=status, rejection_form=form)
    messages.success(request, _("The payout is turned down; the money went back."))
    return redirect(_url(space))


@require_GET
def person_earnings(request: HttpRequest, slug: str, username: str) -> HttpResponse:
    space = selectors.ledger_space(user=request.user, slug=slug)
    person = selectors.person_or_none(username)
    if person is None:
        from django.http import Http404

        raise Http404()
    page = keyset_page(
        selectors.transactions(space, selectors.Filters(person=person.username)),
        size=PAGE_SIZE,
        key=key_from_query(request.GET.get("before")),
    )
    context = _context(
        request,
        space,
        person=person,
        earnings=selectors.earnings(space, person),
        transactions=page.items,
        reversed_ids=selectors.reversed_ids([tx.pk for tx in page.items]),
        next_url=f"?{urlencode({'before': page.next_key})}" if page.next_key else "",
    )
    return render(request, "ledger/person.html", context)


#: The CSV's columns; the last two only for stewards.
CSV_COLUMNS = [
    "id",
    "created_at",
    "kind",
    "currency",
    "amount",
    "amount_minor",
    "memo",
    "subject",
    "actor",
    "reverses",
    "earnings",
]
PRIVATE_COLUMNS = ["reference", "note"]


def csv_rows(space: Space, filters: selectors.Filters, *, private: bool) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS + (PRIVATE_COLUMNS if private else []))
    rows = selectors.transactions(space, filters).prefetch_related("entries__account__user")
    for tx in rows.iterator(chunk_size=2000):
        # Whose earnings it changed, and by how much: "wren:2550 rita:-700".
        earnings = " ".join(
            f"{entry.account.user.username}:{entry.amount}"
            for entry in tx.entries.all()
            if entry.account.user is not None
        )
        row = [
            tx.pk,
            tx.created_at.isoformat(),
            tx.kind,
            tx.currency,
            str(to_major(tx.amount, tx.currency)),
            tx.amount,
            tx.memo,
            tx.subject,
            tx.actor.username if tx.actor else "",
            tx.reverses_id or "",
            earnings,
        ]
        writer.writerow(row + ([tx.reference, tx.note] if private else []))
    return out.getvalue()


@require_GET
def transactions_csv(request: HttpRequest, slug: str) -> HttpResponse:
    space = selectors.ledger_space(user=request.user, slug=slug)
    body = csv_rows(
        space,
        selectors.filters_from(request.GET),
        private=selectors.private_columns(request.user, space),
    )
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{space.slug}-ledger.csv"'
    return response


@require_GET
def flows_chart(request: HttpRequest, slug: str) -> HttpResponse:
    space = selectors.ledger_space(user=request.user, slug=slug)
    known = selectors.currencies(space)
    wanted = (request.GET.get("currency") or "").upper()
    currency = wanted if wanted in known else (known[0] if known else "EUR")
    body = flows_svg(selectors.flows(space, currency), space_name=space.name)
    return HttpResponse(body, content_type="image/svg+xml; charset=utf-8")
