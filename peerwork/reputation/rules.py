"""The rules that read the activity log into reputation: one registered function per rule.

A rule names the verbs it reads and, given one event, says who gains or loses what through
the `Ledger` it is handed (peerwork/reputation/compute.py). Rules read only the log (the
event and earlier events), so replaying the log gives the same entries as applying each event
as it happens. An app that lands later registers its rule here with `register`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from peerwork.activity.models import Event

if TYPE_CHECKING:
    from .compute import Ledger


@dataclass(frozen=True)
class Rule:
    key: str
    verbs: tuple[str, ...]
    label: str | Promise
    apply: Callable[[Ledger, Event], None]
    #: gains of this rule are not limited by the daily cap (Stack Overflow's accepted answers).
    is_exempt: bool = False


RULES: dict[str, Rule] = {}


def register(
    key: str, *verbs: str, label: str | Promise, is_exempt: bool = False
) -> Callable[[Callable[[Ledger, Event], None]], Callable[[Ledger, Event], None]]:
    """Register `function(ledger, event)` as the rule `key`, run for each event of `verbs`."""

    def decorator(function: Callable[[Ledger, Event], None]) -> Callable[[Ledger, Event], None]:
        if key in RULES and RULES[key].apply is not function:
            raise RuntimeError(f"reputation rule {key!r} registered twice")
        RULES[key] = Rule(key, tuple(verbs), label, function, is_exempt)
        return function

    return decorator


def rules_for(verb: str) -> list[Rule]:
    return [rule for rule in RULES.values() if verb in rule.verbs]


# ---- reading the log ------------------------------------------------------------------------

EDIT_VERBS = ("page:created", "page:edited")


def edit_event(event: Event, revision_id: Any) -> Event | None:
    """The event that saved `revision_id` of the same page."""
    return (
        Event.objects.filter(
            target_type=event.target_type,
            target_id=event.target_id,
            verb__in=EDIT_VERBS,
            data__revision=revision_id,
        )
        .order_by("id")
        .first()
    )


def first_actor(event: Event, *verbs: str) -> int | None:
    """Who did the first of `verbs` to this event's target (an idea's or proposal's author)."""
    return (
        Event.objects.filter(
            target_type=event.target_type,
            target_id=event.target_id,
            verb__in=verbs,
            id__lt=event.id,
        )
        .order_by("id")
        .values_list("actor_id", flat=True)
        .first()
    )


# ---- the wiki -------------------------------------------------------------------------------


@register("edit_survived", *EDIT_VERBS, label=_("an edit that stayed"))
def edit_survived(ledger: Ledger, event: Event) -> None:
    """Pending until patrolled or `edit_survival_days` pass without a revert."""
    if event.actor_id is None:
        return
    points = ledger.points
    ledger.gain(
        "edit_survived",
        event.actor_id,
        points.edit_survived,
        pending_until=event.created_at + timedelta(days=points.edit_survival_days),
        data={"revision": event.data.get("revision")},
    )


@register("edit_reverted", *EDIT_VERBS, label=_("an edit rolled back or undone"))
def edit_reverted(ledger: Ledger, event: Event) -> None:
    """An undo or a rollback by someone else takes points from the reverted editor and voids
    what their reverted edits were still waiting for."""
    undone = event.data.get("undid")
    rolled_back_to = event.data.get("rolled_back_to")
    reverted: list[Event] = []
    if undone is not None:
        source = edit_event(event, undone)
        reverted = [source] if source is not None else []
    elif rolled_back_to is not None:
        revision = event.data.get("parent")
        while revision is not None and revision != rolled_back_to and len(reverted) < 500:
            source = edit_event(event, revision)
            if source is None:
                break
            reverted.append(source)
            revision = source.data.get("parent")
    authors: set[int] = {
        source.actor_id
        for source in reverted
        if source.actor_id is not None and source.actor_id != event.actor_id
    }
    for source in reverted:
        if source.actor_id in authors:
            ledger.settle("edit_survived", source, at=event.created_at, keep=False)
    for author in sorted(authors):
        ledger.gain(
            "edit_reverted",
            author,
            -ledger.points.edit_reverted,
            data={"revisions": [s.data.get("revision") for s in reverted]},
        )


@register("edit_patrolled", "revision:reviewed", label=_("patrolled an edit"))
def edit_patrolled(ledger: Ledger, event: Event) -> None:
    """A patrol settles the edit's points now and counts as a review given."""
    source = edit_event(event, event.data.get("revision"))
    if source is None or source.actor_id == event.actor_id:
        return
    ledger.settle("edit_survived", source, at=event.created_at, keep=True)
    if event.actor_id is not None:
        ledger.gain("edit_patrolled", event.actor_id, ledger.points.review_given)


# ---- ideas ----------------------------------------------------------------------------------

IDEA_AUTHOR_VERBS = ("idea:drafted", "idea:published")


@register("idea_supported", "idea:supported", "idea:support_withdrawn", label=_("a support"))
def idea_supported(ledger: Ledger, event: Event) -> None:
    """Each support gives the idea's author a point; withdrawing it reverses that point."""
    author = first_actor(event, *IDEA_AUTHOR_VERBS)
    if author is None or author == event.actor_id or event.actor_id is None:
        return
    if event.verb == "idea:supported":
        ledger.gain(
            "idea_supported",
            author,
            ledger.points.idea_supported,
            data={"supporter": event.actor_id, "idea": event.target_id},
        )
        return
    ledger.reverse_latest(
        "idea_supported",
        person_id=author,
        target=(event.target_type, event.target_id),
        supporter=event.actor_id,
        reason="withdrawn",
    )


@register("idea_milestone", "idea:milestone_reached", label=_("an idea reached a milestone"))
def idea_milestone(ledger: Ledger, event: Event) -> None:
    author = first_actor(event, *IDEA_AUTHOR_VERBS)
    if author is not None:
        ledger.gain(
            "idea_milestone",
            author,
            ledger.points.idea_milestone,
            data={"stage": event.data.get("stage")},
        )


@register("idea_reviewed", "idea:accepted", "idea:rejected", label=_("reviewed an idea"))
def idea_reviewed(ledger: Ledger, event: Event) -> None:
    if event.actor_id is not None:
        ledger.gain("idea_reviewed", event.actor_id, ledger.points.review_given)


# ---- tasks ----------------------------------------------------------------------------------


@register("task_reviewed", "task:approved", "task:changes_requested", label=_("reviewed a task"))
def task_reviewed(ledger: Ledger, event: Event) -> None:
    if event.actor_id is not None:
        ledger.gain("task_reviewed", event.actor_id, ledger.points.review_given)


@register("task_approved", "task:approved", label=_("a task's delivery approved"), is_exempt=True)
def task_approved(ledger: Ledger, event: Event) -> None:
    """To whoever delivered the approved delivery (its `task:delivered` event)."""
    delivered = (
        Event.objects.filter(
            target_type=event.target_type,
            target_id=event.target_id,
            verb="task:delivered",
            data__delivery=event.data.get("delivery"),
        )
        .values_list("actor_id", flat=True)
        .first()
    )
    if delivered is not None:
        ledger.gain("task_approved", delivered, ledger.points.task_approved)


# ---- challenges and governance --------------------------------------------------------------


@register("challenge_award", "challenge:awarded", label=_("won a challenge prize"), is_exempt=True)
def challenge_award(ledger: Ledger, event: Event) -> None:
    names = sorted(
        {name for place in event.data.get("places", []) for name in place.get("shares", {})}
    )
    winners = get_user_model().objects.filter(username__in=names).order_by("pk")
    for winner_id in winners.values_list("pk", flat=True):
        ledger.gain("challenge_award", winner_id, ledger.points.challenge_award)


@register("proposal_passed", "proposal:closed", label=_("a proposal passed"))
def proposal_passed(ledger: Ledger, event: Event) -> None:
    if not event.data.get("passed"):
        return
    author = first_actor(event, "proposal:created")
    if author is not None:
        ledger.gain("proposal_passed", author, ledger.points.proposal_passed)


# ---- reversals by detection -----------------------------------------------------------------


@register("reversal", "reputation:reversed", label=_("points reversed"))
def reversal(ledger: Ledger, event: Event) -> None:
    """Detection's verdict, replayed: the entries it names are reversed with its reason."""
    ledger.reverse_sources(
        [tuple(item) for item in event.data.get("entries", [])],
        reason=str(event.data.get("reason", "serial")),
    )
