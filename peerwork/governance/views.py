"""Web pages of governance: thin faces on the same actions and selectors as the REST API.

Every ballot form works without JavaScript: radio buttons, check boxes, number fields and rank
menus post to one view, which turns them into the ballot the API takes (forms.ballot_from_post).
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from peerwork.accounts.forms import add_action_error
from peerwork.accounts.names import person_name
from peerwork.activity import watching
from peerwork.activity.actions import watch_set
from peerwork.core import policy
from peerwork.core.errors import Conflict, Forbidden, InsufficientFunds, Invalid
from peerwork.core.money import format_money
from peerwork.discussions import views as discussion_views
from peerwork.spaces.models import Space
from peerwork.spaces.selectors import space_get_visible

from . import actions, selectors
from .forms import (
    METHOD_LABELS,
    RANKED,
    DelegationForm,
    OutcomeForm,
    ProposalForm,
    ReasonForm,
    ballot_from_post,
)
from .models import Proposal, State
from .policy_schema import governance_policy
from .results import result_view

EXPECTED = (Invalid, Conflict, InsufficientFunds, Forbidden)


def _space(request: HttpRequest, slug: str) -> Space:
    return space_get_visible(user=request.user, slug=slug)


def _proposal(request: HttpRequest, slug: str, proposal_id: int) -> Proposal:
    space = _space(request, slug)
    return selectors.proposal_get_visible(user=request.user, space=space, proposal_id=proposal_id)


def _url(proposal: Proposal) -> str:
    return reverse("governance:detail", args=[proposal.space.slug, proposal.pk])


def _context(request: HttpRequest, space: Space, **extra: Any) -> dict[str, Any]:
    return {
        "space": space,
        "tab": "decisions",
        "can_update": policy.can(request.user, "space.update", space),
        **extra,
    }


@require_GET
def proposal_list(request: HttpRequest, slug: str) -> HttpResponse:
    space = _space(request, slug)
    user = request.user
    groups = [
        (
            _("Voting now"),
            list(selectors.proposals_of_space(user=user, space=space, phase="voting")[:100]),
        ),
        (
            _("Opening soon"),
            list(selectors.proposals_of_space(user=user, space=space, phase="upcoming")[:100]),
        ),
        (
            _("Closed"),
            list(selectors.proposals_of_space(user=user, space=space, phase="closed")[:100]),
        ),
        (
            _("Withdrawn"),
            list(selectors.proposals_of_space(user=user, space=space, phase="cancelled")[:100]),
        ),
    ]
    context = _context(
        request,
        space,
        groups=groups,
        method_labels=METHOD_LABELS,
        can_propose=policy.can(user, "proposal.create", space),
        can_delegate=policy.can(user, "governance.delegate", space),
    )
    return render(request, "governance/list.html", context)


@require_http_methods(["GET", "POST"])
def proposal_new(request: HttpRequest, slug: str) -> HttpResponse:
    space = _space(request, slug)
    policy.require(request.user, "proposal.create", space)
    defaults = governance_policy(space)
    template = "governance/new.html"
    if request.method == "GET":
        form = ProposalForm(
            initial={
                "method": defaults.default_method,
                "days": defaults.voting_days,
                "quorum_percent": defaults.quorum_percent,
                "secret": defaults.secret_ballots,
            }
        )
        return render(request, template, _context(request, space, form=form))
    form = ProposalForm(request.POST)
    if not form.is_valid():
        return render(request, template, _context(request, space, form=form), status=400)
    field_of = {"method_name": "method", "changes": "policy_change", "closes_at": "days"}
    try:
        proposal = actions.proposal_create(user=request.user, space=space, **form.cleaned_data)
    except EXPECTED as error:
        status = add_action_error(form, error, fields=field_of)
        return render(request, template, _context(request, space, form=form), status=status)
    messages.success(request, _("Your proposal is open."))
    return redirect(_url(proposal))


def _ballot_context(
    proposal: Proposal, options: list[Any], choice: dict[str, Any]
) -> dict[str, Any]:
    """What the ballot form shows: the options with the voter's current choice filled in."""
    method = proposal.method
    currency = (proposal.changes.get("reserve") or {}).get("currency") or "EUR"
    rows = []
    ranks: dict[str, int] = {}
    for number, rank in enumerate(choice.get("ranking") or [], start=1):
        for key in rank:
            ranks.setdefault(key, number)
    for option in options:
        key = option.key
        rows.append(
            {
                "option": option,
                "cost": format_money(option.cost, currency) if option.cost else "",
                "chosen": choice.get("choice") == key
                or key in (choice.get("approve") or [])
                or key in (choice.get("projects") or []),
                "score": (choice.get("scores") or {}).get(key, ""),
                "dots": (choice.get("dots") or {}).get(key, ""),
                "votes": (choice.get("votes") or {}).get(key, ""),
                "slot": (choice.get("slots") or {}).get(key, ""),
                "rank": ranks.get(key, ""),
            }
        )
    settings = proposal.settings
    return {
        "budget_text": format_money(settings["budget"], currency) if "budget" in settings else "",
        "method": method,
        "ranked": method in RANKED,
        "rows": rows,
        "rank_numbers": range(1, len(options) + 1),
        "score_numbers": range(0, int(settings.get("max_score", 5)) + 1),
        "choice": choice,
        "abstained": bool(choice.get("abstain")),
    }


@require_GET
def proposal_detail(request: HttpRequest, slug: str, proposal_id: int) -> HttpResponse:
    return _detail_page(request, _proposal(request, slug, proposal_id))


def _detail_page(
    request: HttpRequest,
    proposal: Proposal,
    *,
    refused: dict[str, Any] | None = None,
    error: str = "",
) -> HttpResponse:
    """The proposal's page; with `refused`, the ballot form keeps what was posted beside
    `error`, so a voter fixes it instead of choosing all over again."""
    user = request.user
    options = list(proposal.options.all())
    mine = selectors.my_ballot(user, proposal)
    choice = refused if refused is not None else (mine.choice if mine else {})
    document = selectors.result_document(proposal)
    if document is None and selectors.tally_visible(user, proposal):
        document = selectors.live_result(proposal)
    phase = proposal.phase
    result = result_view(proposal, options, document) if document else None
    if result is not None:
        # votes carried by someone else's ballot, said apart so nobody reads "1 ballots"
        result["delegated"] = max(0, (result["counted"] or 0) - (result["ballots"] or 0))
    context = _context(
        request,
        proposal.space,
        proposal=proposal,
        phase=phase,
        method_label=METHOD_LABELS.get(proposal.method, proposal.method),
        body_html=selectors.markdown_html(proposal.space, proposal.body),
        outcome_html=selectors.markdown_html(proposal.space, proposal.outcome),
        # the policy change as the JSON its author typed, not Python's repr of it
        policy_change=json.dumps(proposal.changes.get("policy") or {}, ensure_ascii=False),
        options=options,
        my_ballot=mine,
        vote=selectors.vote_of(user, proposal),
        ballot=_ballot_context(proposal, options, choice),
        ballot_error=error,
        can_vote=phase == "voting" and policy.can(user, "proposal.vote", proposal),
        eligible_now=policy.can(user, "proposal.vote", proposal),
        result=result,
        result_final=proposal.state == State.CLOSED,
        can_cancel=phase in {"upcoming", "voting"}
        and policy.can(user, "proposal.cancel", proposal),
        can_outcome=proposal.state == State.CLOSED
        and policy.can(user, "proposal.outcome", proposal),
        outcome_form=OutcomeForm(initial={"text": proposal.outcome}),
        cancel_form=ReasonForm(),
        can_watch=policy.can(user, "proposal.watch", proposal),
        watching=watching.is_watching(user, proposal),
        **discussion_views.thread_context(request, proposal),
    )
    return render(request, "governance/detail.html", context, status=400 if error else 200)


def _after(request: HttpRequest, proposal: Proposal, run: Any, success: str) -> HttpResponse:
    try:
        run()
    except EXPECTED as error:
        messages.error(request, str(error.detail))
    else:
        messages.success(request, success)
    return redirect(_url(proposal))


@require_POST
def proposal_vote(request: HttpRequest, slug: str, proposal_id: int) -> HttpResponse:
    proposal = _proposal(request, slug, proposal_id)
    policy.require(request.user, "proposal.vote", proposal)
    options = list(proposal.options.all())
    ballot = ballot_from_post(proposal.method, options, request.POST)
    try:
        cast = actions.ballot_cast(user=request.user, proposal=proposal, ballot=ballot)
    except Invalid as error:
        return _detail_page(request, proposal, refused=ballot, error=str(error.detail))
    except EXPECTED as error:
        messages.error(request, str(error.detail))
        return redirect(_url(proposal))
    messages.success(
        request,
        _(
            "Your ballot is counted. Your receipt: %(receipt)s (keep it to find your ballot in "
            "the open data after the close)."
        )
        % {"receipt": cast.receipt},
    )
    return redirect(_url(proposal))


@require_POST
def proposal_cancel(request: HttpRequest, slug: str, proposal_id: int) -> HttpResponse:
    proposal = _proposal(request, slug, proposal_id)
    policy.require(request.user, "proposal.cancel", proposal)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _after(
        request,
        proposal,
        lambda: actions.proposal_cancel(user=request.user, proposal=proposal, reason=reason),
        _("The proposal is withdrawn."),
    )


@require_POST
def proposal_outcome(request: HttpRequest, slug: str, proposal_id: int) -> HttpResponse:
    proposal = _proposal(request, slug, proposal_id)
    policy.require(request.user, "proposal.outcome", proposal)
    form = OutcomeForm(request.POST)
    text = form.cleaned_data["text"] if form.is_valid() else ""
    return _after(
        request,
        proposal,
        lambda: actions.proposal_outcome(user=request.user, proposal=proposal, text=text),
        _("The outcome is published."),
    )


@require_POST
def proposal_watch(request: HttpRequest, slug: str, proposal_id: int) -> HttpResponse:
    proposal = _proposal(request, slug, proposal_id)
    policy.require(request.user, "proposal.watch", proposal)
    watch = request.POST.get("watch") == "1"
    watch_set(user=request.user, target=proposal, watching=watch)
    if watch:
        messages.success(request, _("You will be told about this proposal."))
    else:
        messages.success(request, _("You no longer watch this proposal."))
    return redirect(_url(proposal))


@require_POST
def proposal_comment(request: HttpRequest, slug: str, proposal_id: int) -> HttpResponse:
    proposal = _proposal(request, slug, proposal_id)
    return discussion_views.comment_post(request, "governance.proposal", str(proposal.pk))


@require_http_methods(["GET", "POST"])
def delegation_page(request: HttpRequest, slug: str) -> HttpResponse:
    space = _space(request, slug)
    user = request.user
    form = DelegationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        policy.require(user, "governance.delegate", space)
        if form.is_valid():
            try:
                delegation = actions.delegation_set(
                    user=user,
                    space=space,
                    delegate=form.cleaned_data["delegate"],
                    topic=form.cleaned_data["topic"],
                )
            except EXPECTED as error:
                status = add_action_error(form, error)
            else:
                messages.success(
                    request,
                    _("%(name)s now votes for you unless you vote yourself.")
                    % {"name": person_name(delegation.delegate)},
                )
                return redirect("governance:delegation", slug=space.slug)
        else:
            status = 400
    context = _context(
        request,
        space,
        form=form,
        delegations=selectors.delegations_of(user, space),
        can_delegate=policy.can(user, "governance.delegate", space)
        and governance_policy(space).delegation,
        delegation_on=governance_policy(space).delegation,
        signed_in=policy.signed_in(user),
    )
    return render(request, "governance/delegation.html", context, status=status)


@require_POST
def delegation_revoke(request: HttpRequest, slug: str) -> HttpResponse:
    space = _space(request, slug)
    policy.require(request.user, "governance.delegate", space)
    try:
        actions.delegation_revoke(
            user=request.user, space=space, topic=request.POST.get("topic", "")[:50]
        )
    except EXPECTED as error:
        messages.error(request, str(error.detail))
    else:
        messages.success(request, _("You took back your delegation."))
    return redirect("governance:delegation", slug=space.slug)
