"""Every write of opinion maps: statements, their votes, hiding, the map's computation and the
draft started from the consensus (docs/assist.md, "Opinion maps").

A vote or a statement bumps the map's change counter and, unless one is already waiting,
schedules the map's computation a few seconds later (the debounce): a burst of votes costs one
computation. The map's document names participants by number only.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import F, Min
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from peerwork.activity.recorder import record
from peerwork.core import jobs, policy, screening
from peerwork.core.errors import Conflict, Forbidden, Invalid, NotFound
from peerwork.core.validation import clean_text

from . import opinion
from .models import OpinionMap, Proposal, State, Statement, StatementVote

MAX_STATEMENT = 280
#: statements one proposal holds at most, and one person adds at most to it.
MAX_STATEMENTS = 1000
MAX_PER_PERSON = 50
#: seconds between the first change and the computation it schedules.
DEBOUNCE_SECONDS = 10
VOTE_VALUES = {"agree": StatementVote.AGREE, "disagree": StatementVote.DISAGREE, "pass": 0}
VOTE_NAMES = {value: name for name, value in VOTE_VALUES.items()}
MAX_CLAUSES = 50


def _open(proposal: Proposal) -> None:
    if proposal.state != State.OPEN:
        raise Conflict(_("This proposal is no longer open: its opinion map is closed."))


def _changed(proposal: Proposal) -> None:
    """Count a change of the map's inputs; schedule one computation if none is waiting."""
    OpinionMap.objects.get_or_create(proposal=proposal)
    OpinionMap.objects.filter(proposal=proposal).update(changes=F("changes") + 1)
    now = timezone.now()
    scheduled = OpinionMap.objects.filter(proposal=proposal, scheduled_at__isnull=True).update(
        scheduled_at=now
    )
    if scheduled:
        jobs.enqueue("governance.opinion_map", proposal_id=proposal.pk, countdown=DEBOUNCE_SECONDS)


def _record(actor: Any, verb: str, statement: Statement, data: dict[str, Any]) -> None:
    data = {"proposal": statement.proposal_id, **data}
    record(actor=actor, verb=verb, target=statement, space=statement.proposal.space, data=data)


def _screened(person: Any, proposal: Proposal, text: str) -> screening.Verdict:
    verdict = screening.screen(
        screening.Contribution(
            kind="governance.statement",
            space=proposal.space,
            user=person,
            added=text,
            text=text,
            extra={"proposal": proposal},
        )
    )
    if verdict.action in {"refuse", "block"}:
        raise Forbidden(" ".join(verdict.reasons) or _("This statement cannot be published here."))
    return verdict


@transaction.atomic
def statement_add(*, user: Any, proposal: Proposal, text: str) -> Statement:
    """Add a statement; its author agrees with it (as in Polis)."""
    person = policy.require_person(user, "statement.create", proposal)
    proposal = (
        Proposal.objects.select_for_update(of=("self",)).select_related("space").get(pk=proposal.pk)
    )
    _open(proposal)
    text = " ".join(clean_text(text, "text", limit=MAX_STATEMENT).split())
    statements = Statement.objects.filter(proposal=proposal)
    if statements.count() >= MAX_STATEMENTS:
        raise Conflict(_("This proposal has as many statements as it can hold."))
    if statements.filter(author=person).count() >= MAX_PER_PERSON:
        raise Conflict(
            _("You have added %(n)d statements here, the most one person may.")
            % {"n": MAX_PER_PERSON}
        )
    if any(t.casefold() == text.casefold() for t in statements.values_list("text", flat=True)):
        raise Invalid(_("This statement is already on the map."), field="text")
    verdict = _screened(person, proposal, text)
    held = verdict.action == "hold"
    statement = Statement.objects.create(
        proposal=proposal,
        author=person,
        text=text,
        is_hidden=held,
        hidden_reason=" ".join(verdict.reasons)[:500] if held else "",
    )
    StatementVote.objects.create(
        statement=statement, proposal=proposal, voter=person, value=StatementVote.AGREE
    )
    _record(person, "statement:added", statement, {"text": text, "held": held})
    _changed(proposal)
    return statement


def _editable(person: Any, statement: Statement) -> None:
    _open(statement.proposal)
    others = StatementVote.objects.filter(statement=statement).exclude(voter=person)
    if others.exists():
        raise Conflict(_("Others have voted on this statement: it can no longer change."))


@transaction.atomic
def statement_edit(*, user: Any, statement: Statement, text: str) -> Statement:
    """Reword one's own statement while nobody else has voted on it."""
    person = policy.require_person(user, "statement.change", statement)
    statement = _locked(statement)
    _editable(person, statement)
    text = " ".join(clean_text(text, "text", limit=MAX_STATEMENT).split())
    clash = Statement.objects.filter(proposal=statement.proposal).exclude(pk=statement.pk)
    if any(t.casefold() == text.casefold() for t in clash.values_list("text", flat=True)):
        raise Invalid(_("This statement is already on the map."), field="text")
    _screened(person, statement.proposal, text)
    statement.text = text
    statement.save(update_fields=["text"])
    _record(person, "statement:edited", statement, {"text": text})
    return statement


@transaction.atomic
def statement_withdraw(*, user: Any, statement: Statement) -> None:
    """Delete one's own statement while nobody else has voted on it."""
    person = policy.require_person(user, "statement.change", statement)
    statement = _locked(statement)
    _editable(person, statement)
    _record(person, "statement:withdrawn", statement, {"text": statement.text})
    proposal = statement.proposal
    statement.delete()
    _changed(proposal)


@transaction.atomic
def statement_hide(
    *, user: Any, statement: Statement, hidden: bool = True, reason: str = ""
) -> Statement:
    """A steward hides a statement from the map and the voting (or shows it again)."""
    person = policy.require_person(user, "statement.hide", statement)
    statement = _locked(statement)
    reason = clean_text(reason, "reason", limit=500, required=hidden)
    if statement.is_hidden == hidden:
        return statement
    statement.is_hidden, statement.hidden_reason = hidden, reason if hidden else ""
    statement.save(update_fields=["is_hidden", "hidden_reason"])
    verb = "statement:hidden" if hidden else "statement:shown"
    _record(person, verb, statement, {"reason": reason} if hidden else {})
    _changed(statement.proposal)
    return statement


def _locked(statement: Statement) -> Statement:
    found = (
        Statement.objects.select_for_update(of=("self",))
        .select_related("proposal__space")
        .filter(pk=statement.pk)
        .first()
    )
    if found is None:
        raise NotFound()
    return found


@transaction.atomic
def statement_vote(*, user: Any, statement: Statement, vote: str) -> StatementVote:
    """Agree, disagree or pass on a statement; voting again changes the vote."""
    person = policy.require_person(user, "statement.vote", statement)
    if vote not in VOTE_VALUES:
        raise Invalid(_("Vote agree, disagree or pass."), field="vote")
    statement = Statement.objects.select_related("proposal__space").get(pk=statement.pk)
    _open(statement.proposal)
    if statement.is_hidden:
        raise Conflict(_("This statement is hidden: it takes no votes."))
    value = VOTE_VALUES[vote]
    cast, created = StatementVote.objects.get_or_create(
        statement=statement,
        voter=person,
        defaults={"proposal": statement.proposal, "value": value},
    )
    if not created and cast.value == value:
        return cast
    if not created:
        cast.value, cast.updated_at = value, timezone.now()
        cast.save(update_fields=["value", "updated_at"])
    # The vote's event names nobody and not the vote: the map is anonymous.
    _record(None, "statement:voted", statement, {})
    _changed(statement.proposal)
    return cast


# ---- the map --------------------------------------------------------------------------------


def participant_numbers(proposal: Proposal) -> dict[int, int]:
    """{user id: participant number}: 1 for whoever voted first on the proposal's map, 2 for
    the next... The map, the API and the dump name participants only by these numbers, which
    hiding a statement does not change."""
    firsts = (
        StatementVote.objects.filter(proposal=proposal)
        .values("voter_id")
        .annotate(first=Min("pk"))
        .order_by("first")
    )
    return {row["voter_id"]: number for number, row in enumerate(firsts, start=1)}


def map_inputs(proposal: Proposal) -> opinion.Votes:
    """The vote matrix of a proposal's shown statements, participants by number."""
    numbers = participant_numbers(proposal)
    statements = list(
        Statement.objects.filter(proposal=proposal, is_hidden=False)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    rows = StatementVote.objects.filter(proposal=proposal, statement__is_hidden=False).values_list(
        "voter_id", "statement_id", "value"
    )
    cells = sorted((numbers[voter], statement, value) for voter, statement, value in rows)
    return opinion.votes_from(cells, statements)


def opinion_map_compute(*, proposal_id: int) -> OpinionMap | None:
    """Compute and store the map (the job); None if the proposal is gone."""
    proposal = Proposal.objects.filter(pk=proposal_id).first()
    if proposal is None:
        return None
    with transaction.atomic():
        cached, _created = OpinionMap.objects.select_for_update().get_or_create(proposal=proposal)
        changes = cached.changes
        OpinionMap.objects.filter(pk=cached.pk).update(scheduled_at=None)
    # Computed outside the lock: the votes read here are at least those of `changes`.
    votes = map_inputs(proposal)
    previous = cached.document or None
    document = opinion.compute(votes, seed=cached.seed, previous=previous)
    document["previous"] = _previous_of(previous)
    with transaction.atomic():
        OpinionMap.objects.filter(pk=cached.pk).update(
            document=document,
            computed_changes=changes,
            computed_at=timezone.now(),
            vote_count=len(votes.cells),
        )
    return OpinionMap.objects.get(pk=cached.pk)


def _previous_of(previous: dict[str, Any] | None) -> dict[str, Any] | None:
    """What of the previous map the next computation used: enough for the dump's recount."""
    if not previous:
        return None
    return {
        "k": previous.get("k"),
        "groups": [
            {"label": g["label"], "members": g["members"]} for g in previous.get("groups", [])
        ],
    }


# ---- a draft from the consensus -------------------------------------------------------------


def consensus_text(proposal: Proposal, statements: Sequence[Statement]) -> str:
    """The draft's Markdown: one numbered clause per chosen statement, each citing it."""
    base = reverse("governance:opinion", args=[proposal.space.slug, proposal.pk])
    intro = _(
        "Drafted from the statements with consensus on the opinion map of [%(title)s](%(url)s)."
    ) % {
        "title": proposal.title,
        "url": base,
    }
    lines = [intro, ""]
    for number, statement in enumerate(statements, start=1):
        link = f"{base}#statement-{statement.pk}"
        lines.append(
            _("%(n)d. %(text)s ([statement %(id)d](%(url)s))")
            % {"n": number, "text": statement.text, "id": statement.pk, "url": link}
        )
    return "\n".join(lines) + "\n"


@transaction.atomic
def proposal_draft_from_consensus(
    *,
    user: Any,
    proposal: Proposal,
    statement_ids: Sequence[int],
    title: str = "",
    method_name: str = "consent",
    days: int | None = None,
) -> Proposal:
    """Open a new proposal whose clauses are the chosen statements of this one's map, each
    citing the statement it came from (through governance's own proposal_create)."""
    from .actions import proposal_create

    policy.require_person(user, "proposal.create", proposal.space)
    wanted = list(dict.fromkeys(int(i) for i in statement_ids))
    if not wanted or len(wanted) > MAX_CLAUSES:
        raise Invalid(
            _("Choose between 1 and %(n)d statements.") % {"n": MAX_CLAUSES}, field="statements"
        )
    found = {
        s.pk: s for s in Statement.objects.filter(proposal=proposal, pk__in=wanted, is_hidden=False)
    }
    missing = [pk for pk in wanted if pk not in found]
    if missing:
        raise Invalid(
            _("These are not statements of this map: %(ids)s.")
            % {"ids": ", ".join(str(pk) for pk in missing)},
            field="statements",
        )
    chosen = [found[pk] for pk in wanted]
    title = (title or "").strip() or _("Agreed points: %(title)s") % {"title": proposal.title}
    closes_at = timezone.now() + timedelta(days=days) if days else None
    return proposal_create(
        user=user,
        space=proposal.space,
        title=title[:200],
        body=consensus_text(proposal, chosen),
        method_name=method_name,
        tags=list(proposal.tags),
        closes_at=closes_at,
    )
