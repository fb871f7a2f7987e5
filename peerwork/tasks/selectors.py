"""Reads of tasks, already filtered by what the viewer may see."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils.translation import gettext as _

from peerwork.activity import watching
from peerwork.core import policy
from peerwork.core.errors import NotFound

from .models import (
    ACTIVE_STATES,
    LIVE_CLAIMS,
    Claim,
    ClaimStatus,
    Delivery,
    Mode,
    Review,
    State,
    Task,
)
from .policy import delivery_content_visible, judges_entries


@dataclass(frozen=True)
class Filters:
    """The board's filters; empty ones filter nothing."""

    skill: str = ""
    label: str = ""
    mode: str = ""
    has_bounty: bool = False
    unclaimed: bool = False
    state: str = ""

    @property
    def any(self) -> bool:
        return bool(
            self.skill or self.label or self.mode or self.has_bounty or self.unclaimed or self.state
        )


def _live_claims() -> Prefetch[Any]:
    return Prefetch(
        "claims",
        queryset=Claim.objects.filter(status__in=LIVE_CLAIMS).select_related("user"),
        to_attr="live_claims",
    )


def tasks_of_space(*, user: Any, space: Any, filters: Filters | None = None) -> QuerySet[Task]:
    """The space's tasks with their creator, live claims and dependencies in a fixed number of
    queries, and `viewer_watching`, `viewer_claims` for the viewer."""
    policy.require(user, "space.view", space)
    tasks = Task.objects.filter(space=space)
    filters = filters or Filters()
    if filters.mode in Mode.values:
        tasks = tasks.filter(mode=filters.mode)
    if filters.state in State.values:
        tasks = tasks.filter(state=filters.state)
    if filters.has_bounty:
        tasks = tasks.filter(bounty__gt=0)
    if filters.unclaimed:
        tasks = tasks.filter(state=State.OPEN).exclude(claims__status=ClaimStatus.ACTIVE)
    if filters.skill or filters.label:
        # Labels are short JSON lists: matched here, alike on SQLite and PostgreSQL.
        skill, label = filters.skill.strip().lower(), filters.label.strip().lower()
        ids = [
            pk
            for pk, skills, labels in tasks.values_list("pk", "skills", "labels")
            if (not skill or skill in skills) and (not label or label in labels)
        ]
        tasks = tasks.filter(pk__in=ids)
    mine = Claim.objects.filter(task=OuterRef("pk"), status__in=LIVE_CLAIMS)
    if policy.signed_in(user):
        mine = mine.filter(user=user)
    else:
        mine = mine.none()
    return (
        tasks.select_related("space", "created_by")
        .prefetch_related("depends_on", _live_claims())
        .annotate(
            viewer_watching=watching.watching_exists(user, Task),
            viewer_claims=Exists(mine),
        )
    )


def task_get_visible(*, user: Any, task_id: int, space: Any = None) -> Task:
    task = (
        Task.objects.select_related("space", "created_by")
        .prefetch_related("depends_on", _live_claims())
        .filter(pk=task_id)
        .first()
    )
    if task is None or (space is not None and task.space_id != space.pk):
        raise NotFound()
    policy.require(user, "task.view", task)
    return task


def claim_get(*, user: Any, task: Task, claim_id: int) -> Claim:
    claim = Claim.objects.select_related("user").filter(pk=claim_id, task=task).first()
    if claim is None:
        raise NotFound()
    claim.task = task
    return claim


def delivery_get(*, user: Any, task: Task, delivery_id: int) -> Delivery:
    delivery = (
        Delivery.objects.select_related("submitted_by", "claim")
        .filter(pk=delivery_id, task=task)
        .first()
    )
    if delivery is None:
        raise NotFound()
    delivery.task = task
    return delivery


def claims_of(task: Task) -> list[Claim]:
    return list(task.claims.select_related("user").order_by("created_at", "pk"))


@dataclass
class DeliveryView:
    delivery: Delivery
    visible: bool
    reviews: list[Review]
    html: str = ""


def deliveries_of(*, user: Any, task: Task) -> list[DeliveryView]:
    """Every delivery with its reviews; a contest's unreleased losing entries show no content
    to those who may not read them (`visible` is False)."""
    deliveries = (
        Delivery.objects.filter(task=task)
        .select_related("submitted_by", "claim", "revision__page")
        .prefetch_related(Prefetch("reviews", queryset=Review.objects.select_related("reviewer")))
        .order_by("created_at", "pk")
    )
    views = []
    judge = judges_entries(user, task) if task.mode == Mode.CONTEST else False
    for delivery in deliveries:
        delivery.task = task
        visible = delivery_content_visible(user, delivery, judge=judge)
        html = markdown_html(task.space, delivery.text) if visible else ""
        views.append(DeliveryView(delivery, visible, list(delivery.reviews.all()), html))
    return views


def my_claim(*, user: Any, task: Task) -> Claim | None:
    if not policy.signed_in(user):
        return None
    return Claim.objects.filter(task=task, user=user, status__in=LIVE_CLAIMS).first()


# ---- tasks for you ------------------------------------------------------------------------


#: A dependency in one of these states keeps its task from being claimed (or suggested).
_NOT_DONE = [state.value for state in State if state != State.DONE]


@dataclass
class Suggestion:
    task: Task
    score: int
    reasons: list[str] = field(default_factory=list)


def _language_name(code: str) -> str:
    from django.conf import settings

    names = {key: str(name) for key, name in settings.LANGUAGES}
    return names.get(code, code)


def tasks_for(*, user: Any, space: Any, limit: int = 50) -> list[Suggestion]:
    """Open, unclaimed tasks that wait for no other task, ranked for the person: their skills
    count most, then tasks in their languages, then what they completed before (the skills and
    labels of tasks whose delivery was approved). Each suggestion says why."""
    policy.require(user, "space.view", space)
    waiting = Task.objects.filter(dependency_rows__depends_on__state__in=_NOT_DONE)
    tasks = list(
        tasks_of_space(user=user, space=space, filters=Filters(unclaimed=True))
        .exclude(pk__in=waiting.values("pk"))
        .order_by("-pk")[:500]
    )
    if not policy.signed_in(user):
        return [Suggestion(task, 0) for task in tasks[:limit]]
    skills = {s.strip().lower() for s in (user.skills or []) if s.strip()}
    languages = {code for code in [user.language, *(user.languages or [])] if code}
    done_before: set[str] = set()
    for task_skills, task_labels in Task.objects.filter(
        state=State.DONE, deliveries__is_winner=True, deliveries__submitted_by=user
    ).values_list("skills", "labels"):
        done_before |= set(task_skills) | set(task_labels)
    suggestions = []
    for task in tasks:
        suggestion = Suggestion(task, 0)
        for skill in task.skills:
            if skill in skills:
                suggestion.score += 3
                suggestion.reasons.append(_("matches your skill: %(skill)s") % {"skill": skill})
        if task.language and task.language in languages:
            suggestion.score += 2
            suggestion.reasons.append(
                _("in a language you speak: %(language)s")
                % {"language": _language_name(task.language)}
            )
        for tag in [*task.skills, *task.labels]:
            if tag in done_before:
                suggestion.score += 1
                suggestion.reasons.append(_("like tasks you completed: %(label)s") % {"label": tag})
        suggestions.append(suggestion)
    suggestions.sort(key=lambda s: (-s.score, -s.task.pk))
    return suggestions[:limit]


def board(*, user: Any, space: Any, filters: Filters) -> list[tuple[str, Any, list[Task]]]:
    """The board's columns in state order: (state, label, tasks)."""
    tasks = list(tasks_of_space(user=user, space=space, filters=filters).order_by("-pk")[:500])
    return [
        (state.value, state.label, [task for task in tasks if task.state == state.value])
        for state in State
    ]


def markdown_html(space: Any, text: str) -> str:
    """A task's or a delivery's Markdown as safe HTML; wiki links lead to the space's wiki."""
    from peerwork.core.markup import render_markdown
    from peerwork.wiki.rendering import page_url

    return render_markdown(
        text,
        link_url=lambda namespace, title: page_url(space.slug, namespace, title),
        capitalize=space.policy.get("capitalize_titles", True),
    ).html


def bounty_payout(task: Task) -> Any:
    """The ledger's payout of the task's bounty (paid, or awaiting a second steward), if any."""
    if not task.has_bounty or task.state != State.DONE:
        return None
    from peerwork.ledger.actions import subject_of
    from peerwork.ledger.models import Payout

    return Payout.objects.filter(space=task.space, subject=subject_of(task), kind="bounty").first()


def my_live_claims(user: Any) -> list[Claim]:
    """The person's claims that hold or ask for a place on a task still being worked on,
    for their personal home; tasks they may no longer see are left out."""
    if not policy.signed_in(user):
        return []
    claims = (
        Claim.objects.filter(user=user, status__in=LIVE_CLAIMS, task__state__in=ACTIVE_STATES)
        .select_related("task__space")
        .order_by("task__due_date", "pk")[:20]
    )
    return [claim for claim in claims if policy.can(user, "task.view", claim.task)]


def tasks_to_review(user: Any, spaces: list[Any]) -> list[Task]:
    """Tasks in review in these spaces that this person may review (never their own work)."""
    if not policy.signed_in(user) or not spaces:
        return []
    tasks = (
        Task.objects.filter(space__in=spaces, state=State.IN_REVIEW)
        .select_related("space")
        .order_by("updated_at", "pk")[:20]
    )
    return [task for task in tasks if policy.can(user, "task.review", task)]
