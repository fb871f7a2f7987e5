"""The opinion map page of a proposal: statements, voting on them, the map drawn as SVG on the
server, each group's representative statements and the consensus; thin over the same actions
as the API (peerwork/governance/opinion_api.py)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from peerwork.core import policy
from peerwork.core.errors import Conflict, Forbidden, Invalid, NotFound

from . import opinion_actions as actions
from . import opinion_selectors as selectors
from .models import Proposal, State, Statement
from .opinion import group_name
from .views import _context, _proposal

EXPECTED = (Invalid, Conflict, Forbidden)
#: the drawing's box, in SVG units; dots keep this far from its edges.
WIDTH, HEIGHT, MARGIN = 320, 220, 18
#: group colours (colour-blind safe, Okabe-Ito), by label.
COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9"]
VOTE_LABELS = {
    "agree": gettext_lazy("Agree"),
    "disagree": gettext_lazy("Disagree"),
    "pass": gettext_lazy("Pass / unsure"),
}


def _url(proposal: Proposal, anchor: str = "") -> str:
    url = reverse("governance:opinion", args=[proposal.space.slug, proposal.pk])
    return f"{url}#{anchor}" if anchor else url


def drawing(document: dict[str, Any], you: int | None) -> dict[str, Any]:
    """Dots and group labels placed in the SVG box (the map's coordinates scaled to fit)."""
    points = document.get("points") or []
    if not points:
        return {"dots": [], "labels": [], "width": WIDTH, "height": HEIGHT}
    xs = [p["x"] for p in points]
    ys = [p["y"] for p in points]
    span_x = (max(xs) - min(xs)) or 1.0
    span_y = (max(ys) - min(ys)) or 1.0

    def place(x: float, y: float) -> tuple[float, float]:
        return (
            round(MARGIN + (x - min(xs)) / span_x * (WIDTH - 2 * MARGIN), 1),
            round(HEIGHT - MARGIN - (y - min(ys)) / span_y * (HEIGHT - 2 * MARGIN), 1),
        )

    dots = []
    for point in points:
        cx, cy = place(point["x"], point["y"])
        dots.append(
            {
                "cx": cx,
                "cy": cy,
                "colour": COLOURS[point["group"] % len(COLOURS)],
                "group": group_name(point["group"]),
                "you": point["participant"] == you,
            }
        )
    dots.sort(key=lambda d: d["you"])  # your dot is drawn last, on top
    labels = []
    for group in document.get("groups", []):
        cx, cy = place(*group["center"])
        labels.append({"x": cx, "y": cy, "name": group["name"], "size": group["size"]})
    return {"dots": dots, "labels": labels, "width": WIDTH, "height": HEIGHT}


def _groups(document: dict[str, Any], statements: dict[int, Statement]) -> list[dict[str, Any]]:
    groups = []
    for group in document.get("groups", []):
        representatives = [
            {**row, "text": statements[row["statement"]].text}
            for row in group.get("representatives", [])
            if row["statement"] in statements
        ]
        groups.append(
            {
                "name": group["name"],
                "size": group["size"],
                "colour": COLOURS[group["label"] % len(COLOURS)],
                "representatives": representatives,
            }
        )
    return groups


def _consensus(document: dict[str, Any], statements: dict[int, Statement]) -> list[dict[str, Any]]:
    return [
        {
            **row,
            "text": statements[row["statement"]].text,
            "groups": [{**g, "name": group_name(g["group"])} for g in row["groups"]],
        }
        for row in document.get("consensus", [])
        if row["statement"] in statements
    ]


@require_GET
def opinion_page(request: HttpRequest, slug: str, proposal_id: int) -> HttpResponse:
    proposal = _proposal(request, slug, proposal_id)
    return _page(request, proposal)


def _page(
    request: HttpRequest, proposal: Proposal, status: int = 200, **extra: Any
) -> HttpResponse:
    user = request.user
    steward = policy.can(user, "statement.hide", Statement(proposal=proposal))
    statements = list(selectors.statements_of(proposal, hidden=steward))
    mine = selectors.my_votes(user, proposal)
    for statement in statements:
        statement.my_vote = mine.get(statement.pk, "")  # type: ignore[attr-defined]
    is_open = proposal.state == State.OPEN
    can_vote = is_open and policy.can(user, "statement.vote", Statement(proposal=proposal))
    unvoted = [s for s in statements if not s.is_hidden and s.pk not in mine]
    view = selectors.map_view(proposal)
    you = selectors.my_number(user, proposal)
    document = view.document
    context = _context(
        request,
        proposal.space,
        proposal=proposal,
        statements=statements,
        my_votes=mine,
        next_statement=unvoted[0] if can_vote and unvoted else None,
        unvoted_count=len(unvoted),
        can_add=is_open and policy.can(user, "statement.create", proposal),
        can_vote=can_vote,
        can_hide=steward,
        can_draft=policy.can(user, "proposal.create", proposal.space),
        vote_labels=VOTE_LABELS,
        view=view,
        document=document,
        drawing=drawing(document, you),
        groups=_groups(document, view.statements),
        consensus=_consensus(document, view.statements),
        you=you,
        max_length=actions.MAX_STATEMENT,
        **extra,
    )
    return render(request, "governance/opinion.html", context, status=status)


def _statement(proposal: Proposal, statement_id: int) -> Statement:
    statement = selectors.statement_get(proposal, statement_id)
    if statement is None:
        raise NotFound()
    return statement


@require_POST
def statement_add(request: HttpRequest, slug: str, proposal_id: int) -> HttpResponse:
    proposal = _proposal(request, slug, proposal_id)
    policy.require(request.user, "statement.create", proposal)
    text = request.POST.get("text", "")
    try:
        statement = actions.statement_add(user=request.user, proposal=proposal, text=text)
    except EXPECTED as error:
        return _page(request, proposal, status=error.status, error=str(error.detail), text=text)
    if statement.is_hidden:
        messages.info(request, _("Your statement waits for a steward's review."))
    else:
        messages.success(request, _("Your statement is on the map. You agree with it."))
    return redirect(_url(proposal, "statements"))


@require_POST
def statement_vote(
    request: HttpRequest, slug: str, proposal_id: int, statement_id: int
) -> HttpResponse:
    proposal = _proposal(request, slug, proposal_id)
    statement = _statement(proposal, statement_id)
    policy.require(request.user, "statement.vote", statement)
    try:
        actions.statement_vote(
            user=request.user, statement=statement, vote=request.POST.get("vote", "")
        )
    except EXPECTED as error:
        messages.error(request, str(error.detail))
    anchor = "vote" if request.POST.get("next") == "vote" else f"statement-{statement.pk}"
    return redirect(_url(proposal, anchor))


@require_POST
def statement_hide(
    request: HttpRequest, slug: str, proposal_id: int, statement_id: int
) -> HttpResponse:
    proposal = _proposal(request, slug, proposal_id)
    statement = _statement(proposal, statement_id)
    policy.require(request.user, "statement.hide", statement)
    hidden = request.POST.get("hidden", "1") != "0"
    try:
        actions.statement_hide(
            user=request.user,
            statement=statement,
            hidden=hidden,
            reason=request.POST.get("reason", "")[:500],
        )
    except EXPECTED as error:
        messages.error(request, str(error.detail))
    else:
        messages.success(
            request, _("The statement is hidden.") if hidden else _("The statement is shown.")
        )
    return redirect(_url(proposal, f"statement-{statement.pk}"))


@require_POST
def statement_withdraw(
    request: HttpRequest, slug: str, proposal_id: int, statement_id: int
) -> HttpResponse:
    proposal = _proposal(request, slug, proposal_id)
    statement = _statement(proposal, statement_id)
    policy.require(request.user, "statement.change", statement)
    try:
        actions.statement_withdraw(user=request.user, statement=statement)
    except EXPECTED as error:
        messages.error(request, str(error.detail))
    else:
        messages.success(request, _("Your statement is withdrawn."))
    return redirect(_url(proposal, "statements"))


@require_POST
def draft_from_consensus(request: HttpRequest, slug: str, proposal_id: int) -> HttpResponse:
    proposal = _proposal(request, slug, proposal_id)
    policy.require(request.user, "proposal.create", proposal.space)
    chosen = [int(v) for v in request.POST.getlist("statements") if v.isdigit()]
    try:
        draft = actions.proposal_draft_from_consensus(
            user=request.user,
            proposal=proposal,
            statement_ids=chosen,
            title=request.POST.get("title", "")[:200],
        )
    except EXPECTED as error:
        return _page(request, proposal, status=error.status, draft_error=str(error.detail))
    messages.success(request, _("A new proposal is open with the chosen statements as clauses."))
    return redirect("governance:detail", slug=draft.space.slug, proposal_id=draft.pk)
