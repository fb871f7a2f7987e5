"""Every write of tasks: one function each, one transaction, one permission check, one activity
event told to the task's watchers and claimants (docs/tasks.md explains the rules).

Every action that changes a task locks its row first, so claims, deliveries, reviews and
cancellations of one task queue up; the database's partial unique constraints (one active claim
per single task, one approval per task) hold even if a path forgot the lock.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from peerwork.activity import watching
from peerwork.activity.actions import watch_quietly
from peerwork.activity.models import Event
from peerwork.activity.recorder import notify, record
from peerwork.core import policy
from peerwork.core.errors import Conflict, Forbidden, Invalid
from peerwork.core.money import known_currency, split_exact
from peerwork.core.validation import clean_text as _text
from peerwork.discussions.models import Comment
from peerwork.wiki.models import Revision

from . import bounty as ledger_bridge
from .models import (
    ACTIVE_STATES,
    LIVE_CLAIMS,
    Claim,
    ClaimStatus,
    Decision,
    Delivery,
    Dependency,
    Mode,
    Review,
    State,
    Task,
)
from .policy import is_steward, worked_on
from .policy_schema import tasks_policy

MAX_TITLE = 200
MAX_TEXT = 100_000
MAX_TAGS = 20
MAX_TAG = 50
MAX_LINKS = 20
MAX_DEPENDENCIES = 50
MAX_BOUNTY = 10**15
LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
LINK = re.compile(r"^https?://\S+$")


# ---- validation helpers ---------------------------------------------------------------------


def _tags(values: Iterable[str], field: str) -> list[str]:
    """Short labels, trimmed and lower case, each once, in the order given."""
    cleaned = list(dict.fromkeys(v.strip().lower() for v in values if v and v.strip()))
    if len(cleaned) > MAX_TAGS or any(len(v) > MAX_TAG for v in cleaned):
        raise Invalid(
            _("At most %(n)d labels of at most %(chars)d characters each.")
            % {"n": MAX_TAGS, "chars": MAX_TAG},
            field=field,
        )
    return cleaned


def _language(value: str) -> str:
    value = (value or "").strip()
    if value and not LANGUAGE.match(value):
        raise Invalid(_("Give a language code such as 'en' or 'es', or none."), field="language")
    return value


def _estimate(value: int | None) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 10_000:
        raise Invalid(
            _("The estimate is a whole number of hours, 1 to 10000."), field="estimate_hours"
        )
    return value


def _links(values: Sequence[str]) -> list[str]:
    links = [v.strip() for v in values if v and v.strip()]
    if len(links) > MAX_LINKS or any(len(v) > 2000 or not LINK.match(v) for v in links):
        raise Invalid(
            _("Links are web addresses starting with http:// or https://, at most %(n)d.")
            % {"n": MAX_LINKS},
            field="links",
        )
    return links


def _lock(task: Task) -> Task:
    """The task row, locked: every change to one task queues here."""
    return Task.objects.select_for_update(of=("self",)).select_related("space").get(pk=task.pk)


def _audience(task: Task) -> set[int]:
    """Who hears about a task's events: its watchers and everyone with a live claim."""
    users = set(watching.watcher_ids(task))
    users |= set(
        Claim.objects.filter(task=task, status__in=LIVE_CLAIMS).values_list("user_id", flat=True)
    )
    return users


def _event(actor: Any, verb: str, task: Task, data: dict[str, Any] | None = None) -> Event:
    event = record(actor=actor, verb=verb, target=task, space=task.space, data=data)
    notify(users=_audience(task), event=event)
    return event


def _touch(task: Task, state: str | None = None, **fields: Any) -> None:
    if state is not None:
        task.state = state
    task.updated_at = timezone.now()
    for name, value in fields.items():
        setattr(task, name, value)
    task.save(update_fields=["state", "updated_at", *fields])


def _dependencies(task_ids: Sequence[int], space: Any, task: Task | None = None) -> list[Task]:
    ids = list(dict.fromkeys(int(pk) for pk in task_ids))
    if len(ids) > MAX_DEPENDENCIES:
        raise Invalid(_("Too many dependencies."), field="depends_on")
    found = {t.pk: t for t in Task.objects.filter(space=space, pk__in=ids)}
    missing = [pk for pk in ids if pk not in found]
    if missing:
        raise Invalid(
            _("There is no task %(id)s in this space.") % {"id": missing[0]}, field="depends_on"
        )
    if task is not None:
        if task.pk in found:
            raise Invalid(_("A task cannot depend on itself."), field="depends_on")
        if _reaches(space, start=ids, target=task.pk):
            raise Invalid(
                _("That dependency would make a cycle: the task would wait for itself."),
                field="depends_on",
            )
    return [found[pk] for pk in ids]


def _reaches(space: Any, *, start: Sequence[int], target: int) -> bool:
    """Whether following "depends on" from `start` arrives at `target` (one query)."""
    edges: dict[int, list[int]] = {}
    for task_id, depends_on_id in Dependency.objects.filter(task__space=space).values_list(
        "task_id", "depends_on_id"
    ):
        edges.setdefault(task_id, []).append(depends_on_id)
    seen: set[int] = set()
    todo = list(start)
    while todo:
        current = todo.pop()
        if current == target:
            return True
        if current in seen:
            continue
        seen.add(current)
        todo.extend(edges.get(current, []))
    return False


# ---- tasks ----------------------------------------------------------------------------------


@transaction.atomic
def task_create(
    *,
    user: Any,
    space: Any,
    title: str,
    description: str = "",
    mode: str = Mode.SINGLE,
    skills: Sequence[str] = (),
    labels: Sequence[str] = (),
    language: str = "",
    estimate_hours: int | None = None,
    due_date: date | None = None,
    bounty: int = 0,
    currency: str = "",
    depends_on: Sequence[int] = (),
) -> Task:
    """Post a task. A bounty is reserved from the space's treasury, so only stewards attach one."""
    person = policy.require_person(user, "task.create", space)
    if mode not in Mode.values:
        raise Invalid(_("Choose single, cooperative or contest."), field="mode")
    if bounty and not is_steward(person, space):
        raise Forbidden(_("Only stewards attach a bounty: it is paid from the space's treasury."))
    bounty, currency = _bounty_terms(bounty, currency)
    task = Task.objects.create(
        space=space,
        created_by=person,
        title=_text(title, "title", limit=MAX_TITLE),
        description=_text(description, "description", limit=MAX_TEXT, required=False),
        mode=mode,
        skills=_tags(skills, "skills"),
        labels=_tags(labels, "labels"),
        language=_language(language),
        estimate_hours=_estimate(estimate_hours),
        due_date=due_date,
        bounty=bounty,
        currency=currency,
    )
    for dependency in _dependencies(depends_on, space):
        Dependency.objects.create(task=task, depends_on=dependency)
    if bounty:
        # Before the event: the ledger locks the space, then its own events follow it.
        ledger_bridge.reserve(task=task, actor=person)
    watch_quietly(user=person, target=task)
    record(
        actor=person,
        verb="task:created",
        target=task,
        space=space,
        data={"mode": mode, "bounty": bounty, "currency": currency or None},
    )
    return task


UPDATABLE = {
    "title",
    "description",
    "skills",
    "labels",
    "language",
    "estimate_hours",
    "due_date",
    "depends_on",
}


@transaction.atomic
def task_update(*, user: Any, task: Task, **changes: Any) -> Task:
    """Change what a task asks for; its mode and bounty stay as posted."""
    person = policy.require_person(user, "task.update", task)
    unknown = set(changes) - UPDATABLE
    if unknown:
        raise Invalid(
            _("These fields cannot be changed: %(f)s.") % {"f": ", ".join(sorted(unknown))}
        )
    task = _lock(task)
    if task.is_closed:
        raise Conflict(_("A done or cancelled task cannot be changed."))
    values: dict[str, Any] = {}
    if "title" in changes:
        values["title"] = _text(changes["title"], "title", limit=MAX_TITLE)
    if "description" in changes:
        values["description"] = _text(
            changes["description"], "description", limit=MAX_TEXT, required=False
        )
    for field in ("skills", "labels"):
        if field in changes:
            values[field] = _tags(changes[field] or [], field)
    if "language" in changes:
        values["language"] = _language(changes["language"])
    if "estimate_hours" in changes:
        values["estimate_hours"] = _estimate(changes["estimate_hours"])
    if "due_date" in changes:
        values["due_date"] = changes["due_date"]
    diff = {
        field: {"old": getattr(task, field), "new": value}
        for field, value in values.items()
        if getattr(task, field) != value
    }
    if "depends_on" in changes:
        wanted = _dependencies(changes["depends_on"] or [], task.space, task)
        before = sorted(task.dependency_rows.values_list("depends_on_id", flat=True))
        after = sorted(t.pk for t in wanted)
        if before != after:
            task.dependency_rows.all().delete()
            Dependency.objects.bulk_create(Dependency(task=task, depends_on=t) for t in wanted)
            diff["depends_on"] = {"old": before, "new": after}
    if not diff:
        return task
    _touch(task, **values)
    _event(person, "task:updated", task, {"changes": diff})
    return task


def _bounty_terms(bounty: int, currency: str) -> tuple[int, str]:
    if isinstance(bounty, bool) or not isinstance(bounty, int) or bounty < 0:
        raise Invalid(_("An amount cannot be negative."), field="bounty")
    if bounty > MAX_BOUNTY:
        raise Invalid(_("The bounty is too large."), field="bounty")
    currency = (currency or "").strip().upper()
    if bounty and (not re.match(r"^[A-Z]{3}$", currency) or not known_currency(currency)):
        raise Invalid(
            _("The currency is a three-letter ISO 4217 code, like EUR."), field="currency"
        )
    return bounty, currency if bounty else ""


@transaction.atomic
def task_bounty_set(*, user: Any, task: Task, bounty: int, currency: str) -> Task:
    """Put a bounty on a task posted without one, reserved from the treasury at once."""
    person = policy.require_person(user, "task.bounty", task)
    bounty, currency = _bounty_terms(bounty, currency)
    if not bounty:
        raise Invalid(_("Give an amount, such as 1000 or 1000.50."), field="bounty")
    task = _lock(task)
    if task.is_closed:
        raise Conflict(_("A done or cancelled task cannot be changed."))
    if task.has_bounty:
        raise Conflict(_("This task has a bounty already."))
    _touch(task, bounty=bounty, currency=currency)
    ledger_bridge.reserve(task=task, actor=person)
    _event(person, "task:bounty_set", task, {"bounty": bounty, "currency": currency})
    return task


@transaction.atomic
def task_cancel(*, user: Any, task: Task, reason: str = "") -> Task:
    """Cancel a task that is not done: live claims end and a reserved bounty goes back."""
    person = policy.require_person(user, "task.update", task)
    reason = _text(reason, "reason", limit=2000, required=False)
    task = _lock(task)
    if task.is_closed:
        raise Conflict(_("This task is already done or cancelled."))
    audience = _audience(task)
    now = timezone.now()
    task.claims.filter(status__in=LIVE_CLAIMS).update(status=ClaimStatus.RELEASED, ended_at=now)
    _touch(task, State.CANCELLED, cancelled_at=now)
    if task.has_bounty:
        ledger_bridge.release(task=task, actor=person)
    event = record(
        actor=person, verb="task:cancelled", target=task, space=task.space, data={"reason": reason}
    )
    notify(users=audience, event=event)
    return task


# ---- claims ---------------------------------------------------------------------------------


def _claimable(task: Task, person: Any) -> None:
    """Conflict unless `task` takes a new claim from `person` right now."""
    if task.is_closed:
        raise Conflict(_("This task is already done or cancelled."))
    if task.mode == Mode.SINGLE and task.state != State.OPEN:
        raise Conflict(_("Someone already claims this task; it takes one claimant at a time."))
    blocking = task.depends_on.exclude(state=State.DONE).order_by("pk").first()
    if blocking is not None:
        raise Conflict(
            _("This task waits for '%(title)s' to be done first.") % {"title": blocking.title}
        )
    if Claim.objects.filter(task=task, user=person, status__in=LIVE_CLAIMS).exists():
        raise Conflict(_("You already claim this task."))
    limit = tasks_policy(task.space).max_claims_per_person
    held = Claim.objects.filter(
        user=person,
        status__in=LIVE_CLAIMS,
        task__space=task.space,
        task__state__in=ACTIVE_STATES,
    ).count()
    if held >= limit:
        raise Conflict(
            ngettext(
                "You hold %(n)d claim in this space, its limit; finish or give one up first.",
                "You hold %(n)d claims in this space, its limit; finish or give one up first.",
                held,
            )
            % {"n": held}
        )


@transaction.atomic
def task_claim(*, user: Any, task: Task, share: int = 1) -> Claim:
    """Self-assign a task; where the policy asks for it, the claim waits for a steward."""
    person = policy.require_person(user, "task.claim", task)
    if isinstance(share, bool) or not isinstance(share, int) or not 1 <= share <= 100:
        raise Invalid(_("A share is a whole number from 1 to 100."), field="share")
    task = _lock(task)
    _claimable(task, person)
    needs_approval = tasks_policy(task.space).claims_need_approval
    now = timezone.now()
    try:
        with transaction.atomic():
            claim = Claim.objects.create(
                task=task,
                user=person,
                status=ClaimStatus.REQUESTED if needs_approval else ClaimStatus.ACTIVE,
                share=share if task.mode == Mode.COOPERATIVE else 1,
                is_single=task.mode == Mode.SINGLE,
                started_at=None if needs_approval else now,
                last_activity_at=now,
            )
    except IntegrityError:
        raise Conflict(
            _("Someone already claims this task; it takes one claimant at a time.")
        ) from None
    watch_quietly(user=person, target=task)
    if needs_approval:
        event = record(actor=person, verb="task:claim_requested", target=task, space=task.space)
        stewards = task.space.memberships.filter(role="steward", user__isnull=False)
        notify(users=_audience(task) | set(stewards.values_list("user_id", flat=True)), event=event)
        return claim
    if task.state == State.OPEN:
        _touch(task, State.CLAIMED)
    _event(person, "task:claimed", task, {"share": claim.share})
    return claim


@transaction.atomic
def task_claim_decide(*, user: Any, claim: Claim, approve: bool) -> Claim:
    """A steward approves or declines a requested claim."""
    person = policy.require_person(user, "task.claim.decide", claim.task)
    task = _lock(claim.task)
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    if claim.status != ClaimStatus.REQUESTED:
        raise Conflict(_("This claim is not waiting for a decision."))
    now = timezone.now()
    if not approve:
        claim.status, claim.ended_at = ClaimStatus.DECLINED, now
        claim.save(update_fields=["status", "ended_at"])
        _event(person, "task:claim_declined", task, {"claimant": claim.user.username})
        return claim
    if task.is_closed or (task.mode == Mode.SINGLE and task.state != State.OPEN):
        raise Conflict(_("Someone already claims this task; it takes one claimant at a time."))
    claim.status, claim.started_at, claim.last_activity_at = ClaimStatus.ACTIVE, now, now
    try:
        with transaction.atomic():
            claim.save(update_fields=["status", "started_at", "last_activity_at"])
    except IntegrityError:
        raise Conflict(
            _("Someone already claims this task; it takes one claimant at a time.")
        ) from None
    if task.state == State.OPEN:
        _touch(task, State.CLAIMED)
    _event(person, "task:claim_approved", task, {"claimant": claim.user.username})
    return claim


def _end_claim(task: Task, claim: Claim, status: str) -> None:
    """End a claim; a task nobody works on any more is open again."""
    claim.status, claim.ended_at = status, timezone.now()
    claim.save(update_fields=["status", "ended_at"])
    working = task.claims.filter(status=ClaimStatus.ACTIVE).exists()
    if not working and task.state in {State.CLAIMED, State.IN_REVIEW, State.CHANGES_REQUESTED}:
        _touch(task, State.OPEN)


@transaction.atomic
def task_unclaim(*, user: Any, task: Task) -> Claim:
    """Give up one's claim (or withdraw a request to claim)."""
    person = policy.require_person(user, "task.view", task)
    requested = Claim.objects.filter(task=task, user=person, status=ClaimStatus.REQUESTED)
    if not requested.exists():
        policy.require(person, "task.deliver", task)
    task = _lock(task)
    if task.is_closed:
        raise Conflict(_("This task is already done or cancelled."))
    claim = (
        Claim.objects.select_for_update(of=("self",))
        .filter(task=task, user=person, status__in=LIVE_CLAIMS)
        .first()
    )
    if claim is None:
        raise Conflict(_("You do not claim this task."))
    audience = _audience(task)
    _end_claim(task, claim, ClaimStatus.RELEASED)
    event = record(actor=person, verb="task:unclaimed", target=task, space=task.space)
    notify(users=audience, event=event)
    return claim


def _last_activity(claim: Claim) -> Any:
    """The claim's own last activity or the claimant's last comment on the task, if later."""
    commented = Comment.objects.filter(
        target_type="tasks.task", target_id=str(claim.task_id), author_id=claim.user_id
    ).aggregate(last=Max("created_at"))["last"]
    return max(claim.last_activity_at, commented) if commented else claim.last_activity_at


@transaction.atomic
def claim_expire_or_warn(*, claim_id: int, now: Any = None) -> str:
    """Warn a quiet claimant, or release their claim once it has been quiet for claim_days.

    Returns "warned", "expired" or "" (nothing to do). By the system: safe to run twice.
    """
    now = now or timezone.now()
    claim = Claim.objects.select_related("task__space", "user").get(pk=claim_id)
    task = _lock(claim.task)
    claim = Claim.objects.select_for_update(of=("self",)).select_related("user").get(pk=claim_id)
    if claim.status != ClaimStatus.ACTIVE or task.is_closed or task.state == State.IN_REVIEW:
        return ""
    rules = tasks_policy(task.space)
    last = _last_activity(claim)
    expires_at = last + timedelta(days=rules.claim_days)
    if now >= expires_at:
        audience = _audience(task)
        _end_claim(task, claim, ClaimStatus.EXPIRED)
        event = record(
            actor=None,
            verb="task:claim_expired",
            target=task,
            space=task.space,
            data={"claimant": claim.user.username, "quiet_since": last},
        )
        notify(users=audience, event=event)
        return "expired"
    warn_at = expires_at - timedelta(days=rules.warn_days_before)
    if now >= warn_at and (claim.warned_at is None or claim.warned_at < last):
        claim.warned_at = now
        claim.save(update_fields=["warned_at"])
        # A reminder for the claimant alone: private, in no space's public chain.
        event = record(
            actor=None,
            verb="task:claim_expiring",
            target=task,
            space=None,
            data={"claimant": claim.user.username, "expires_at": expires_at},
        )
        notify(users={claim.user_id}, event=event)
        return "warned"
    return ""


# ---- deliveries and reviews -----------------------------------------------------------------


@transaction.atomic
def task_deliver(
    *,
    user: Any,
    task: Task,
    text: str,
    links: Sequence[str] = (),
    revision_id: int | None = None,
) -> Delivery:
    """Hand in work for review: a claimant of the task (in a team, any member of it)."""
    person = policy.require_person(user, "task.deliver", task)
    text = _text(text, "text", limit=MAX_TEXT)
    cleaned_links = _links(links)
    revision = None
    if revision_id is not None:
        revision = Revision.objects.filter(pk=revision_id, page__space=task.space).first()
        if revision is None:
            raise Invalid(
                _("There is no wiki revision %(id)s in this space.") % {"id": revision_id},
                field="revision_id",
            )
    task = _lock(task)
    allowed = {State.CLAIMED, State.CHANGES_REQUESTED}
    if task.mode != Mode.SINGLE:
        allowed.add(State.IN_REVIEW)
    if task.state not in allowed:
        if task.state == State.IN_REVIEW:
            raise Conflict(_("Your delivery is waiting for review; wait for the reviewer."))
        raise Conflict(_("This task takes no deliveries now."))
    claim = Claim.objects.select_for_update().get(task=task, user=person, status=ClaimStatus.ACTIVE)
    now = timezone.now()
    delivery = Delivery.objects.create(
        task=task,
        claim=claim,
        submitted_by=person,
        text=text,
        links=cleaned_links,
        revision=revision,
        created_at=now,
    )
    if task.mode == Mode.COOPERATIVE:
        # The team delivers together: the delivery is activity on every member's claim.
        task.claims.filter(status=ClaimStatus.ACTIVE).update(last_activity_at=now)
    else:
        claim.last_activity_at = now
        claim.save(update_fields=["last_activity_at"])
    _touch(task, State.IN_REVIEW)
    _event(person, "task:delivered", task, {"delivery": delivery.pk})
    return delivery


def _payees(task: Task, delivery: Delivery) -> list[tuple[Any, int]]:
    """(person, amount) of the bounty: the claimant, a team by its shares, a contest's winner."""
    if not task.has_bounty:
        return []
    if task.mode != Mode.COOPERATIVE:
        return [(delivery.submitted_by, task.bounty)]
    team = list(task.claims.filter(status=ClaimStatus.ACTIVE).select_related("user"))
    amounts = split_exact(task.bounty, [claim.share for claim in team])
    return [(claim.user, amount) for claim, amount in zip(team, amounts, strict=True) if amount]


@transaction.atomic
def delivery_review(*, user: Any, delivery: Delivery, decision: str, reason: str) -> Review:
    """A peer approves a delivery (the task is done and its bounty paid, in this transaction)
    or asks for changes; either way with a written reason."""
    task = delivery.task
    person = policy.require_person(user, "task.view", task)
    if worked_on(person, task):
        raise Forbidden(
            _("You worked on this task, so you cannot review it: a peer who did not must do it.")
        )
    policy.require(person, "task.review", task)
    if decision not in Decision.values:
        raise Invalid(_("Decide 'approved' or 'changes_requested'."), field="decision")
    reason = _text(reason, "reason", limit=10_000)
    task = _lock(task)
    delivery = Delivery.objects.select_related("submitted_by").get(pk=delivery.pk)
    if task.state != State.IN_REVIEW:
        raise Conflict(_("This task has no delivery waiting for review."))
    if delivery.reviews.exists():
        raise Conflict(_("This delivery has been reviewed already."))
    if task.mode != Mode.CONTEST and task.deliveries.filter(pk__gt=delivery.pk).exists():
        raise Conflict(_("A newer delivery replaces this one; review that."))
    if delivery.claim.status != ClaimStatus.ACTIVE:
        raise Conflict(_("Whoever made this delivery no longer claims the task."))
    review = Review.objects.create(
        task=task, delivery=delivery, reviewer=person, decision=decision, reason=reason
    )
    if decision == Decision.CHANGES_REQUESTED:
        delivery.claim.last_activity_at = timezone.now()
        delivery.claim.save(update_fields=["last_activity_at"])
        pending = task.deliveries.filter(reviews__isnull=True, claim__status=ClaimStatus.ACTIVE)
        if task.mode != Mode.CONTEST or not pending.exists():
            _touch(task, State.CHANGES_REQUESTED)
        _event(person, "task:changes_requested", task, {"delivery": delivery.pk, "reason": reason})
        return review
    delivery.is_winner = True
    delivery.save(update_fields=["is_winner"])
    _touch(task, State.DONE, done_at=timezone.now())
    payees = _payees(task, delivery)
    payout = ledger_bridge.pay(task=task, actor=person, payees=payees) if payees else None
    _event(
        person,
        "task:approved",
        task,
        {
            "delivery": delivery.pk,
            "reason": reason,
            "bounty": {p.username: amount for p, amount in payees},
            "currency": task.currency or None,
            "payout": payout.state if payout is not None else None,
        },
    )
    return review


@transaction.atomic
def delivery_release(*, user: Any, delivery: Delivery) -> Delivery:
    """A contest's losing delivery joins the commons: its author shows it to everyone."""
    task = delivery.task
    person = policy.require_person(user, "task.view", task)
    if delivery.submitted_by_id != person.pk:
        raise Forbidden(_("Only the author of a delivery may release it."))
    task = _lock(task)
    delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
    if task.mode != Mode.CONTEST or task.state != State.DONE or delivery.is_winner:
        raise Conflict(
            _("Only a contest's other deliveries, once a winner is picked, can be released.")
        )
    if delivery.released_at is not None:
        return delivery
    delivery.released_at = timezone.now()
    delivery.save(update_fields=["released_at"])
    _event(person, "task:delivery_released", task, {"delivery": delivery.pk})
    return delivery
