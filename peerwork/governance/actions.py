"""Every write of governance: one function each, one transaction, one permission check, one
activity event (docs/governance.md explains the rules).

Casting a ballot locks the proposal's row, so the ballots of one proposal queue up; the unique
(proposal, voter) constraint holds even if a path forgot the lock. The close and the
execution are jobs that are safe to run twice: they do nothing unless the proposal waits for
them.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from peerwork.accounts.names import person_name
from peerwork.accounts.selectors import user_by_username
from peerwork.activity import watching
from peerwork.activity.actions import watch_quietly
from peerwork.activity.models import Event
from peerwork.activity.recorder import notify, record
from peerwork.core import jobs, policy
from peerwork.core.errors import ActionError, Conflict, Forbidden, Invalid
from peerwork.core.money import known_currency
from peerwork.core.validation import clean_text
from peerwork.spaces.selectors import space_role
from peerwork.spaces.space_policy import policy_validate

from .count import count, method
from .messages import translated
from .methods import InvalidBallot, InvalidSettings, Option
from .models import Ballot, Delegation, Eligibility, Execution, Proposal, Result, State
from .models import Option as OptionRow
from .policy import is_steward
from .policy_schema import governance_policy
from .tallying import options_of, weigh

MAX_TITLE = 200
MAX_BODY = 100_000
MAX_OPTIONS = 200
MAX_TAGS = 10
MAX_TASKS = 20
MAX_DAYS = 365
KEY = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
TOPIC = re.compile(r"^[\w][\w -]{0,49}$")
CHANGE_KINDS = ("policy", "tasks", "reserve")


# ---- validation helpers ---------------------------------------------------------------------


def _topics(values: Sequence[str], field: str = "tags") -> list[str]:
    topics = list(dict.fromkeys(v.strip().lower() for v in values if v and v.strip()))
    if len(topics) > MAX_TAGS or not all(TOPIC.match(t) for t in topics):
        raise Invalid(
            _("At most %(n)d topics, each a word or short phrase of at most 50 characters.")
            % {"n": MAX_TAGS},
            field=field,
        )
    return topics


def _key_for(index: int) -> str:
    """a, b, ..., z, aa, ab, ...: short keys people can type in a ballot file."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


def _options(raw: Sequence[Any]) -> list[dict[str, Any]]:
    if len(raw) > MAX_OPTIONS:
        raise Invalid(_("At most %(n)d options.") % {"n": MAX_OPTIONS}, field="options")
    rows: list[dict[str, Any]] = []
    for index, item in enumerate(raw):
        entry = {"label": item} if isinstance(item, str) else dict(item or {})
        label = clean_text(entry.get("label") or "", "options", limit=200)
        key = (entry.get("key") or "").strip().lower() or _key_for(index)
        if not KEY.match(key):
            raise Invalid(
                _("Option key '%(key)s': use lower-case letters, digits, '-' or '_'.")
                % {"key": key},
                field="options",
            )
        cost = entry.get("cost")
        if cost is not None and (
            isinstance(cost, bool) or not isinstance(cost, int) or not 0 < cost <= 10**15
        ):
            raise Invalid(_("A project's cost is a positive whole amount."), field="options")
        rows.append(
            {
                "key": key,
                "label": label,
                "description": clean_text(
                    entry.get("description") or "", "options", limit=5000, required=False
                ),
                "cost": cost,
            }
        )
    keys = [row["key"] for row in rows]
    if len(set(keys)) != len(keys):
        raise Invalid(_("Two options have the same key."), field="options")
    labels = [row["label"].casefold() for row in rows]
    if len(set(labels)) != len(labels):
        raise Invalid(_("Two options have the same text."), field="options")
    return rows


def _method_settings(
    name: str, raw: dict[str, Any], options: list[dict[str, Any]], space: Any
) -> dict[str, Any]:
    """The method's settings, the space's defaults filled in, cleaned by the method."""
    defaults = governance_policy(space)
    raw = dict(raw or {})
    if name == "supermajority":
        raw.setdefault("fraction", defaults.supermajority)
    elif name == "dot":
        raw.setdefault("dots", defaults.dots)
    elif name == "quadratic":
        raw.setdefault("credits", defaults.credits)
    try:
        decider = method(name)
        cleaned: dict[str, Any] = decider.clean_settings(raw, _option_objects(options))
    except InvalidSettings as error:
        raise Invalid(translated(error), field="settings") from None
    return cleaned


def _option_objects(rows: Sequence[dict[str, Any]]) -> list[Option]:
    return [Option(id=row["key"], label=row["label"], cost=row.get("cost")) for row in rows]


def _changes(raw: Any, *, space: Any, method_name: str, user: Any) -> dict[str, Any]:
    """What the proposal applies if it passes, checked now, so nobody votes on a change that
    could not be made."""
    if not raw:
        return {}
    if not isinstance(raw, dict) or set(raw) - set(CHANGE_KINDS):
        raise Invalid(
            _("Changes hold 'policy', 'tasks' or 'reserve', nothing else."), field="changes"
        )
    changes: dict[str, Any] = {}
    if raw.get("policy"):
        change = raw["policy"]
        if not isinstance(change, dict):
            raise Invalid(_("A policy change is a JSON object of settings."), field="changes")
        policy_validate(merged_policy(space.policy, change))
        changes["policy"] = change
    if raw.get("tasks"):
        tasks = raw["tasks"]
        if not isinstance(tasks, list) or len(tasks) > MAX_TASKS:
            raise Invalid(_("At most %(n)d tasks.") % {"n": MAX_TASKS}, field="changes")
        if not policy.can(user, "task.create", space):
            raise Forbidden(_("You may not post tasks in this space, so a proposal cannot."))
        changes["tasks"] = [
            {
                "title": clean_text(
                    (t or {}).get("title", "") if isinstance(t, dict) else str(t),
                    "changes",
                    limit=200,
                ),
                "description": clean_text(
                    (t or {}).get("description", "") if isinstance(t, dict) else "",
                    "changes",
                    limit=MAX_BODY,
                    required=False,
                ),
            }
            for t in tasks
        ]
    if raw.get("reserve"):
        if method_name != "budget":
            raise Invalid(
                _("Only a budget vote reserves money: its winning projects' costs."),
                field="changes",
            )
        reserve = raw["reserve"]
        currency = str((reserve or {}).get("currency", "") if isinstance(reserve, dict) else "")
        if not known_currency(currency.upper()):
            raise Invalid(_("Name the budget's currency, such as EUR."), field="changes")
        if not is_steward(user, space):
            raise Forbidden(_("Only stewards put the treasury's money to a vote."))
        changes["reserve"] = {"currency": currency.upper()}
    return changes


def merged_policy(current: dict[str, Any] | None, change: dict[str, Any]) -> dict[str, Any]:
    """The policy with `change` laid over it section by section: {"tasks": {"claim_days": 21}}
    changes that one key and keeps the section's others."""
    merged = dict(current or {})
    for key, value in change.items():
        old = merged.get(key)
        merged[key] = (
            {**old, **value} if isinstance(old, dict) and isinstance(value, dict) else value
        )
    return merged


def _lock(proposal: Proposal) -> Proposal:
    return (
        Proposal.objects.select_for_update(of=("self",)).select_related("space").get(pk=proposal.pk)
    )


def _audience(proposal: Proposal) -> set[int]:
    users = set(watching.watcher_ids(proposal))
    users |= set(Ballot.objects.filter(proposal=proposal).values_list("voter_id", flat=True))
    return users


def _event(actor: Any, verb: str, proposal: Proposal, data: dict[str, Any] | None = None) -> Event:
    event = record(actor=actor, verb=verb, target=proposal, space=proposal.space, data=data)
    notify(users=_audience(proposal), event=event)
    return event


def new_receipt() -> str:
    """A code only the voter is shown; with secret ballots the dump lists it beside the ballot."""
    return secrets.token_hex(8)


# ---- proposals ------------------------------------------------------------------------------


@transaction.atomic
def proposal_create(
    *,
    user: Any,
    space: Any,
    title: str,
    body: str = "",
    method_name: str = "",
    options: Sequence[Any] = (),
    settings: dict[str, Any] | None = None,
    tags: Sequence[str] = (),
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    quorum_percent: int | None = None,
    eligibility: str = "",
    secret: bool | None = None,
    live_results: bool = False,
    changes: dict[str, Any] | None = None,
) -> Proposal:
    """Open a proposal; its changes are validated now, its close is scheduled."""
    person = policy.require_person(user, "proposal.create", space)
    defaults = governance_policy(space)
    title = clean_text(title, "title", limit=MAX_TITLE)
    body = clean_text(body, "body", limit=MAX_BODY, required=False)
    method_name = (method_name or defaults.default_method).strip()
    option_rows = _options(options)
    cleaned_settings = _method_settings(method_name, settings or {}, option_rows, space)
    now = timezone.now()
    opens_at = opens_at or now
    if opens_at < now - timedelta(minutes=5):
        raise Invalid(_("A proposal cannot open in the past."), field="opens_at")
    closes_at = closes_at or opens_at + timedelta(days=defaults.voting_days)
    if closes_at <= opens_at or closes_at <= now:
        raise Invalid(_("The close must come after the opening, in the future."), field="closes_at")
    if closes_at - opens_at > timedelta(days=MAX_DAYS):
        raise Invalid(_("Voting lasts at most a year."), field="closes_at")
    quorum = defaults.quorum_percent if quorum_percent is None else quorum_percent
    if isinstance(quorum, bool) or not isinstance(quorum, int) or not 0 <= quorum <= 100:
        raise Invalid(_("The quorum is a percentage, 0 to 100."), field="quorum_percent")
    eligibility = eligibility or defaults.eligibility
    if eligibility not in Eligibility.values:
        raise Invalid(_("Choose who may vote: member or steward."), field="eligibility")
    secret = defaults.secret_ballots if secret is None else bool(secret)
    if secret and live_results:
        raise Invalid(
            _("Secret ballots are counted only at the close; results cannot be live."),
            field="live_results",
        )
    proposal = Proposal.objects.create(
        space=space,
        created_by=person,
        title=title,
        body=body,
        method=method_name,
        settings=cleaned_settings,
        tags=_topics(tags),
        opens_at=opens_at,
        closes_at=closes_at,
        quorum_percent=quorum,
        eligibility=eligibility,
        secret=secret,
        live_results=bool(live_results),
        changes=_changes(changes, space=space, method_name=method_name, user=person),
    )
    OptionRow.objects.bulk_create(
        OptionRow(proposal=proposal, position=index, **row) for index, row in enumerate(option_rows)
    )
    watch_quietly(user=person, target=proposal)
    _event(person, "proposal:created", proposal, {"method": method_name, "title": title})
    jobs.enqueue(
        "governance.close", proposal_id=proposal.pk, countdown=(closes_at - now).total_seconds()
    )
    return proposal


@transaction.atomic
def ballot_cast(*, user: Any, proposal: Proposal, ballot: dict[str, Any]) -> Ballot:
    """Cast (or replace) the user's ballot; a new receipt each time."""
    person = policy.require_person(user, "proposal.vote", proposal)
    proposal = _lock(proposal)
    now = timezone.now()
    if proposal.state != State.OPEN or now >= proposal.closes_at:
        raise Conflict(_("Voting on this proposal has closed."))
    if now < proposal.opens_at:
        raise Conflict(_("Voting on this proposal has not opened yet."))
    rows = options_of(proposal)
    try:
        cleaned = method(proposal.method).clean_ballot(
            ballot, _option_objects(rows), proposal.settings
        )
    except InvalidBallot as error:
        raise Invalid(translated(error), field="ballot") from None
    existing = Ballot.objects.filter(proposal=proposal, voter=person).first()
    if existing is None:
        cast = Ballot.objects.create(
            proposal=proposal, voter=person, choice=cleaned, receipt=new_receipt()
        )
    else:
        existing.choice, existing.receipt, existing.updated_at = cleaned, new_receipt(), now
        existing.save(update_fields=["choice", "receipt", "updated_at"])
        cast = existing
    data: dict[str, Any] = {"changed": existing is not None}
    if proposal.live_results and not proposal.secret:
        data["ballot"] = cleaned
    # A secret ballot's event names nobody: with the voter in the public log, the order of
    # events would tell whose ballot is whose.
    record(
        actor=None if proposal.secret else person,
        verb="proposal:voted",
        target=proposal,
        space=proposal.space,
        data={} if proposal.secret else data,
    )
    return cast


@transaction.atomic
def proposal_cancel(*, user: Any, proposal: Proposal, reason: str) -> Proposal:
    person = policy.require_person(user, "proposal.cancel", proposal)
    proposal = _lock(proposal)
    reason = clean_text(reason, "reason", limit=2000)
    if proposal.state != State.OPEN or timezone.now() >= proposal.closes_at:
        raise Conflict(_("Only a proposal still open for voting can be withdrawn."))
    proposal.state, proposal.cancelled_at = State.CANCELLED, timezone.now()
    proposal.save(update_fields=["state", "cancelled_at"])
    _event(person, "proposal:cancelled", proposal, {"reason": reason})
    return proposal


@transaction.atomic
def proposal_outcome(*, user: Any, proposal: Proposal, text: str) -> Proposal:
    """The author's statement of what was decided; written after the close, may be revised."""
    person = policy.require_person(user, "proposal.outcome", proposal)
    proposal = _lock(proposal)
    if proposal.state != State.CLOSED:
        raise Conflict(_("The outcome is written once the proposal has closed."))
    proposal.outcome = clean_text(text, "outcome", limit=MAX_BODY)
    proposal.outcome_at = timezone.now()
    proposal.save(update_fields=["outcome", "outcome_at"])
    _event(person, "proposal:outcome", proposal)
    return proposal


# ---- delegation -----------------------------------------------------------------------------


@transaction.atomic
def delegation_set(*, user: Any, space: Any, delegate: Any, topic: str = "") -> Delegation:
    """Hand one's vote in the space (or on one topic) to another member, given as a person or
    a username; replaces the live delegation for the same topic."""
    person = policy.require_person(user, "governance.delegate", space)
    if not governance_policy(space).delegation:
        raise Forbidden(_("This space does not allow delegation: members vote in person."))
    topic = _topics([topic], field="topic")[0] if (topic or "").strip() else ""
    if isinstance(delegate, str):
        name = delegate.strip()
        delegate = user_by_username(name) if name else None
        if delegate is None:
            raise Invalid(_("There is no one called %(name)s.") % {"name": name}, field="delegate")
    if delegate is None or delegate.pk == person.pk:
        raise Invalid(_("Choose another member to vote for you."), field="delegate")
    if not delegate.is_active or space_role(delegate, space) not in {"member", "steward"}:
        raise Invalid(
            _("%(name)s is not a member of this space.") % {"name": person_name(delegate)},
            field="delegate",
        )
    live = (
        Delegation.objects.select_for_update(of=("self",))
        .filter(space=space, delegator=person, topic=topic, revoked_at__isnull=True)
        .first()
    )
    if live is not None and live.delegate_id == delegate.pk:
        return live
    now = timezone.now()
    if live is not None:
        live.revoked_at = now
        live.save(update_fields=["revoked_at"])
    delegation = Delegation.objects.create(
        space=space, delegator=person, delegate=delegate, topic=topic, created_at=now
    )
    record(
        actor=person,
        verb="delegation:set",
        target=delegation,
        space=space,
        data={"delegate": delegate.username, "topic": topic},
    )
    return delegation


@transaction.atomic
def delegation_revoke(*, user: Any, space: Any, topic: str = "") -> bool:
    """Take back one's live delegation on `topic` ("" for the space-wide one); False when
    there was none (nothing to do is no error: the person wants it gone, and it is)."""
    person = policy.require_person(user, "governance.delegate", space)
    topic = _topics([topic], field="topic")[0] if (topic or "").strip() else ""
    delegation = (
        Delegation.objects.select_for_update(of=("self",))
        .filter(space=space, delegator=person, topic=topic, revoked_at__isnull=True)
        .first()
    )
    if delegation is None:
        return False
    delegation.revoked_at = timezone.now()
    delegation.save(update_fields=["revoked_at"])
    record(
        actor=person,
        verb="delegation:revoked",
        target=delegation,
        space=space,
        data={"topic": topic},
    )
    return True


# ---- close and execution --------------------------------------------------------------------


@transaction.atomic
def proposal_close(*, proposal_id: int) -> bool:
    """Count a proposal whose voting time is over and store the result; False if not due."""
    proposal = (
        Proposal.objects.select_for_update(of=("self",)).select_related("space").get(pk=proposal_id)
    )
    now = timezone.now()
    if proposal.state != State.OPEN or now < proposal.closes_at:
        return False
    ballots = list(Ballot.objects.filter(proposal=proposal).order_by("pk"))
    weighing = weigh(proposal, ballots, proposal.closes_at)
    eligible, voters, resolution = weighing.eligible, weighing.voters, weighing.resolution
    for ballot in ballots:
        counted = ballot.voter_id in voters
        ballot.weight = resolution.weight(ballot.voter_id) if counted else 0
        ballot.carries = sorted(resolution.carried.get(ballot.voter_id, [])) if counted else []
    Ballot.objects.bulk_update(ballots, ["weight", "carries"])
    document = count(
        method_name=proposal.method,
        settings=proposal.settings,
        options=options_of(proposal),
        ballots=[(b.choice, b.weight) for b in ballots if b.weight],
        eligible=len(eligible),
        quorum_percent=proposal.quorum_percent,
    )
    Result.objects.create(
        proposal=proposal,
        computed_at=now,
        eligible=document["eligible"],
        counted=document["counted"],
        ballots=document["ballots"],
        quorum_met=document["quorum_met"],
        passed=document["passed"],
        winners=document["winners"],
        tally=document["tally"],
    )
    proposal.state, proposal.closed_at = State.CLOSED, now
    fields = ["state", "closed_at"]
    if proposal.changes:
        if document["passed"]:
            hours = governance_policy(proposal.space).timelock_hours
            proposal.execution = Execution.WAITING
            proposal.execute_after = now + timedelta(hours=hours)
            jobs.enqueue("governance.execute", proposal_id=proposal.pk, countdown=hours * 3600)
        else:
            proposal.execution = Execution.NOT_PASSED
        fields += ["execution", "execute_after"]
    proposal.save(update_fields=fields)
    _event(
        None,
        "proposal:closed",
        proposal,
        {
            "passed": document["passed"],
            "winners": document["winners"],
            "counted": document["counted"],
            "eligible": document["eligible"],
            "quorum_met": document["quorum_met"],
        },
    )
    return True


def proposal_execute(*, proposal_id: int) -> bool:
    """Apply a passed proposal's changes once its timelock is over; False if not due.

    All changes apply in one transaction or none does: a failure (a policy that no longer
    validates, an empty treasury) is written down on the proposal and told to its watchers."""
    with transaction.atomic():
        proposal = (
            Proposal.objects.select_for_update(of=("self",))
            .select_related("space", "created_by")
            .get(pk=proposal_id)
        )
        if proposal.execution != Execution.WAITING or timezone.now() < (
            proposal.execute_after or timezone.now()
        ):
            return False
        try:
            with transaction.atomic():
                log = _apply(proposal)
        except ActionError as error:
            proposal.execution = Execution.FAILED
            proposal.execution_log = [{"kind": "error", "detail": str(error.detail)}]
            proposal.save(update_fields=["execution", "execution_log"])
            _event(None, "proposal:execution_failed", proposal, {"detail": str(error.detail)})
            return True
        proposal.execution, proposal.executed_at = Execution.APPLIED, timezone.now()
        proposal.execution_log = log
        proposal.save(update_fields=["execution", "executed_at", "execution_log"])
        _event(None, "proposal:executed", proposal, {"applied": log})
        return True


def _apply(proposal: Proposal) -> list[dict[str, Any]]:
    from peerwork.ledger.actions import funds_reserve
    from peerwork.spaces.actions import space_policy_apply
    from peerwork.tasks.actions import task_create

    log: list[dict[str, Any]] = []
    changes, space = proposal.changes, proposal.space
    if changes.get("policy"):
        space_policy_apply(
            actor=None,
            space=space,
            document=merged_policy(space.policy, changes["policy"]),
            data={"proposal": proposal.pk},
        )
        log.append({"kind": "policy", "keys": sorted(changes["policy"])})
    origin = _("Posted by the decision [#%(id)s %(title)s](%(url)s).") % {
        "id": proposal.pk,
        "title": proposal.title,
        "url": reverse("governance:detail", args=[space.slug, proposal.pk]),
    }
    for spec in changes.get("tasks", []):
        task = task_create(
            user=proposal.created_by,
            space=space,
            title=spec["title"],
            description=f"{spec['description']}\n\n{origin}".strip(),
        )
        log.append({"kind": "task", "id": task.pk, "title": task.title})
    if changes.get("reserve"):
        winners = set(proposal.result.winners)
        cost = sum(
            o.cost or 0 for o in OptionRow.objects.filter(proposal=proposal, key__in=winners)
        )
        if cost:
            tx = funds_reserve(
                space=space,
                actor=proposal.created_by,
                subject=proposal,
                amount=cost,
                currency=changes["reserve"]["currency"],
                key=f"proposal-{proposal.pk}-budget",
                memo=proposal.title[:100],
            )
            log.append({"kind": "reserve", "transaction": tx.pk, "amount": cost})
    return log
