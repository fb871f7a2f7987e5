"""Reputation as a cache of the activity log: applying one event, settling, rebuilding.

`apply_event` runs after each event is recorded (inside the action's transaction, from the
after-record hook) and `rebuild` replays a space's log from scratch through the very same
code, so the two give the same entries and totals. What the rules gain is capped per person
per space per day: each day's entries are counted again in the order of their events
whenever one of them changes, so the cap does not depend on the order things were applied in.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Max, Q, Sum
from django.utils import timezone

from peerwork.activity.models import Event
from peerwork.spaces.models import Space

from .models import Entry, Standing
from .policy_schema import ReputationPoints, ReputationPolicy, reputation_policy
from .privileges import changed
from .rules import RULES, rules_for

#: trust levels by number, from the policy's thresholds.
LEVELS = (0, 1, 2, 3)


class Ledger:
    """What the rules write through while one event is applied; it remembers what it touched."""

    def __init__(self, event: Event, policy: ReputationPolicy) -> None:
        self.event = event
        self.policy = policy
        self.points: ReputationPoints = policy.points
        self.touched: set[tuple[int, date]] = set()
        self.people: set[int] = set()

    def _touch(self, person_id: int, day: date | None) -> None:
        self.people.add(person_id)
        if day is not None:
            self.touched.add((person_id, day))

    def gain(
        self,
        rule: str,
        person_id: int,
        points: int,
        *,
        pending_until: datetime | None = None,
        data: dict[str, Any] | None = None,
    ) -> None:
        """Give `points` (negative: take) to a person for this event; idempotent."""
        if points == 0:
            return
        event = self.event
        assert event.space_id is not None
        pending = pending_until is not None and pending_until > event.created_at
        day = None if pending else event.created_at.date()
        _entry, created = Entry.objects.get_or_create(
            rule=rule,
            event=event,
            person_id=person_id,
            defaults={
                "space_id": event.space_id,
                "base": points,
                "is_exempt": RULES[rule].is_exempt,
                "is_pending": pending,
                "due_at": pending_until if pending else None,
                "day": day,
                "data": data or {},
            },
        )
        if created:
            self._touch(person_id, day)

    def settle(self, rule: str, source: Event, *, at: datetime, keep: bool) -> None:
        """Settle a pending entry of `source` at `at`: kept (patrolled), or voided (reverted),
        unless it had already come due, in which case it was kept on its due day."""
        for entry in Entry.objects.filter(rule=rule, event=source, is_pending=True):
            entry.is_pending = False
            assert entry.due_at is not None
            if entry.due_at <= at:
                entry.day = entry.due_at.date()
            else:
                entry.day = at.date()
                if not keep:
                    entry.reversed_reason = "reverted"
                    entry.reversed_by = self.event
            entry.save(update_fields=["is_pending", "day", "reversed_reason", "reversed_by"])
            self._touch(entry.person_id, entry.day)

    def reverse_latest(
        self, rule: str, *, person_id: int, target: tuple[str, str], supporter: int, reason: str
    ) -> None:
        """Reverse the latest standing entry of `rule` that `supporter` caused on `target`."""
        entry = (
            Entry.objects.filter(
                rule=rule,
                person_id=person_id,
                reversed_reason="",
                event__target_type=target[0],
                event__target_id=target[1],
                event__actor_id=supporter,
            )
            .order_by("-event_id")
            .first()
        )
        if entry is not None:
            self._reverse([entry], reason)

    def reverse_sources(self, sources: Iterable[tuple[Any, ...]], reason: str) -> None:
        """Reverse the entries named as (rule, event id, person id)."""
        condition = Q(pk__in=[])
        for rule, event_id, person_id in sources:
            condition |= Q(rule=rule, event_id=event_id, person_id=person_id)
        self._reverse(list(Entry.objects.filter(condition, reversed_reason="")), reason)

    def _reverse(self, entries: list[Entry], reason: str) -> None:
        for entry in entries:
            entry.reversed_reason = reason
            entry.reversed_by = self.event
            entry.save(update_fields=["reversed_reason", "reversed_by"])
            self._touch(entry.person_id, entry.day)


def recount_day(space_id: int, person_id: int, day: date, cap: int) -> None:
    """Count one person's settled entries of one day again, in the order of their events:
    reversed ones count nothing, losses and exempt gains count whole, the others fill the cap."""
    left = cap
    entries = Entry.objects.filter(
        space_id=space_id, person_id=person_id, day=day, is_pending=False
    ).order_by("event_id", "rule")
    for entry in entries:
        if entry.reversed_reason:
            amount = 0
        elif entry.is_exempt or entry.base <= 0:
            amount = entry.base
        else:
            amount = max(0, min(entry.base, left))
            left -= amount
        if amount != entry.amount:
            Entry.objects.filter(pk=entry.pk).update(amount=amount)


def recount_person(space: Space, person_id: int, at: datetime, policy: ReputationPolicy) -> None:
    """The cached total, and the trust level with hysteresis evaluated at `at`."""
    entries = Entry.objects.filter(space=space, person_id=person_id, is_pending=False)
    totals = entries.aggregate(total=Sum("amount"), last=Max("day", filter=Q(amount__gt=0)))
    trust = policy.trust
    since = (at - timedelta(days=trust.window_days)).date()
    window = entries.filter(day__gt=since, day__lte=at.date()).aggregate(s=Sum("amount"))["s"] or 0
    standing, _created = Standing.objects.get_or_create(space=space, person_id=person_id)
    standing.total = totals["total"] or 0
    standing.last_earned_on = totals["last"]
    standing.level = next_level(standing.level, window, trust_thresholds(policy))
    standing.save(update_fields=["total", "last_earned_on", "level"])
    changed()


def trust_thresholds(policy: ReputationPolicy) -> tuple[int, int, int, int]:
    return (0, policy.trust.basic, policy.trust.member, policy.trust.regular)


def next_level(level: int, window_points: int, thresholds: tuple[int, ...]) -> int:
    """Discourse's hysteresis: promoted on reaching a level's threshold, demoted only when the
    window falls below 90% of the held level's threshold (then to the level it still holds)."""
    reached = max((n for n in LEVELS if window_points >= thresholds[n]), default=0)
    if reached > level:
        return reached
    while level > 0 and window_points * 10 < thresholds[level] * 9:
        level -= 1
    return level


def apply_event(event: Event) -> None:
    """The after-record hook: what the rules make of one new event, counted at once."""
    rules = rules_for(event.verb)
    if not rules or event.space_id is None:
        return
    space = event.space
    assert space is not None
    policy = reputation_policy(space)
    ledger = Ledger(event, policy)
    for rule in rules:
        rule.apply(ledger, event)
    _recount(space, ledger, event.created_at, policy)


def _recount(space: Space, ledger: Ledger, at: datetime, policy: ReputationPolicy) -> None:
    for person_id, day in sorted(ledger.touched):
        recount_day(space.pk, person_id, day, policy.points.daily_cap)
    for person_id in sorted(ledger.people):
        recount_person(space, person_id, at, policy)


def refresh_space(space: Space, now: datetime) -> int:
    """Settle the edits that came due by `now`, then evaluate every standing's level at `now`
    (the periodic job, and the last step of a rebuild). Returns how many entries settled."""
    policy = reputation_policy(space)
    due = list(Entry.objects.filter(space=space, is_pending=True, due_at__lte=now))
    touched = set()
    for entry in due:
        assert entry.due_at is not None
        entry.is_pending = False
        entry.day = entry.due_at.date()
        entry.save(update_fields=["is_pending", "day"])
        touched.add((entry.person_id, entry.day))
    for person_id, day in sorted(touched):
        recount_day(space.pk, person_id, day, policy.points.daily_cap)
    people = set(Standing.objects.filter(space=space).values_list("person_id", flat=True))
    for person_id in sorted(people | {person for person, _day in touched}):
        recount_person(space, person_id, now, policy)
    return len(due)


def rebuild(space: Space, now: datetime | None = None) -> dict[str, int]:
    """Forget the space's entries and standings and replay its log through the rules."""
    now = now or timezone.now()
    verbs = {verb for rule in RULES.values() for verb in rule.verbs}
    with transaction.atomic():
        Entry.objects.filter(space=space).delete()
        Standing.objects.filter(space=space).delete()
        policy = reputation_policy(space)
        events = Event.objects.filter(space=space, verb__in=verbs).order_by("id")
        count = 0
        for event in events.iterator(chunk_size=500):
            event.space = space
            ledger = Ledger(event, policy)
            for rule in rules_for(event.verb):
                rule.apply(ledger, event)
            _recount(space, ledger, event.created_at, policy)
            count += 1
        refresh_space(space, now)
    return {
        "events": count,
        "entries": Entry.objects.filter(space=space).count(),
        "people": Standing.objects.filter(space=space).count(),
    }
