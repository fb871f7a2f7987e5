"""A steward's filters as a screen (core/screening.py), and their test run on past work.

`evaluate` decides which of some filters match some contributions: the conditions each filter
sets (patterns on the text added, the title and the summary; the account's age; the person's
contributions in the space; the kind), all of them or any. Every pattern of one evaluation
runs in one isolated process with a time limit (patterns.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peerwork.core import screening

from .models import Filter, FilterHit
from .patterns import search_many

#: Strictness of the filters' own actions (core/screening.py's order).
_RANK = {name: rank for rank, name in enumerate(screening.ACTIONS)}


@dataclass
class Candidate:
    """A contribution as filters see it: one about to be saved, or one from the past."""

    kind: str
    user: Any
    added: str = ""
    title: str = ""
    summary: str = ""
    when: datetime | None = None
    #: The person's contributions in the space before this one (None: count them).
    edit_count: int | None = None
    #: What a test run shows: "comment 12", a link, the excerpt.
    label: str = ""
    url: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Match:
    filter: Filter
    candidate: Candidate
    #: Why: each condition that held, in words.
    because: tuple[str, ...]


def edit_count(user: Any, space: Any, before: datetime | None = None) -> int:
    from peerwork.activity.models import Event

    if user is None or not getattr(user, "pk", None):
        return 0
    events = Event.objects.filter(space=space, actor=user)
    if before is not None:
        events = events.filter(created_at__lt=before)
    return events.count()


def _account_age_days(user: Any, when: datetime) -> float:
    joined = getattr(user, "date_joined", None)
    if joined is None:
        return 0.0
    return (when - joined) / timedelta(days=1)


def evaluate(filters: list[Filter], candidates: list[Candidate], space: Any) -> list[Match]:
    """Which (filter, candidate) pairs match; one isolated process runs every pattern."""
    pairs = [
        (rule, candidate)
        for rule in filters
        for candidate in candidates
        if not rule.kind_list or candidate.kind in rule.kind_list
    ]
    jobs: list[tuple[str, str]] = []
    slots: dict[tuple[int, int, str], int] = {}
    for index, (rule, candidate) in enumerate(pairs):
        for name, pattern, text in (
            ("added", rule.added_pattern, candidate.added),
            ("title", rule.title_pattern, candidate.title),
            ("summary", rule.summary_pattern, candidate.summary),
        ):
            if pattern:
                slots[(index, 0, name)] = len(jobs)
                jobs.append((pattern, text))
    found = search_many(jobs)
    matches = []
    now = timezone.now()
    for index, (rule, candidate) in enumerate(pairs):
        results: list[tuple[bool, str]] = []
        for name, label in (
            ("added", _('the text matches "%(words)s"')),
            ("title", _('the title matches "%(words)s"')),
            ("summary", _('the summary matches "%(words)s"')),
        ):
            slot = slots.get((index, 0, name))
            if slot is None:
                continue
            words = found[slot] if found is not None else None
            results.append((words is not None, label % {"words": words or ""}))
        when = candidate.when or now
        if rule.account_age_below_days is not None:
            days = _account_age_days(candidate.user, when)
            results.append(
                (
                    days < rule.account_age_below_days,
                    _("the account is %(days)d days old") % {"days": int(days)},
                )
            )
        if rule.edit_count_below is not None:
            count = candidate.edit_count
            if count is None:
                count = edit_count(candidate.user, space, candidate.when)
            results.append(
                (
                    count < rule.edit_count_below,
                    _("the person made %(count)d contributions here") % {"count": count},
                )
            )
        if not results:
            continue  # a filter without conditions matches nothing
        held = [ok for ok, _why in results]
        if all(held) if rule.match == "all" else any(held):
            matches.append(Match(rule, candidate, tuple(why for ok, why in results if ok)))
    return matches


def enabled_filters(space: Any, kind: str) -> list[Filter]:
    return [
        rule
        for rule in Filter.objects.filter(space=space, is_enabled=True).order_by("pk")
        if not rule.kind_list or kind in rule.kind_list
    ]


def _message(rule: Filter) -> str:
    return rule.message or _("a filter of this space (%(name)s) matched it.") % {"name": rule.name}


def filter_screen(contribution: screening.Contribution) -> screening.Finding | None:
    """The screen: the strictest matching filter's action; every match is logged as a hit and
    a `block` filter blocks the person from the space for its hours."""
    space = contribution.space
    if space is None or contribution.user is None:
        return None
    rules = enabled_filters(space, contribution.kind)
    if not rules:
        return None
    candidate = Candidate(
        kind=contribution.kind,
        user=contribution.user,
        added=contribution.added,
        title=contribution.title,
        summary=contribution.summary,
    )
    matches = evaluate(rules, [candidate], space)
    if not matches:
        return None
    record_hits(space, matches)
    strictest = max(matches, key=lambda match: _RANK[match.filter.action])
    rule = strictest.filter
    return screening.Finding(
        screen="filters",
        action=rule.action,
        reason=_message(rule),
        tag=rule.tag or (rule.name if rule.action == "tag" else ""),
        data={
            "filters": [match.filter.pk for match in matches],
            "because": list(strictest.because),
        },
    )


@transaction.atomic
def record_hits(space: Any, matches: list[Match]) -> None:
    """Log each match (its own transaction: the log stays when the contribution is refused),
    and block the person when a matching filter says so."""
    from .actions import filter_block_person

    now = timezone.now()
    for match in matches:
        candidate = match.candidate
        FilterHit.objects.create(
            filter=match.filter,
            space=space,
            user=candidate.user if getattr(candidate.user, "pk", None) else None,
            kind=candidate.kind,
            action=match.filter.action,
            excerpt=(candidate.added or candidate.summary)[:300],
            title=candidate.title[:255],
            created_at=now,
        )
        if match.filter.action == "block" and getattr(candidate.user, "pk", None):
            filter_block_person(rule=match.filter, person=candidate.user)
