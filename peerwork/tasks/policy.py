"""Permission rules of tasks, registered with the one policy in peerwork.core.policy.

The table is docs/permissions/tasks.md. A task is seen by whoever may see its space; claiming
and reviewing follow the privileges of the space's `tasks` policy section.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from peerwork.core import policy
from peerwork.core.policy import can, rule, scope, signed_in
from peerwork.reputation.privileges import has_privilege
from peerwork.spaces.models import Space
from peerwork.spaces.selectors import holds_privilege, is_steward

from .models import LIVE_CLAIMS, Claim, ClaimStatus, Delivery, Mode, Task
from .policy_schema import tasks_policy


def is_claimant(user: Any, task: Task, *, statuses: Any = (ClaimStatus.ACTIVE,)) -> bool:
    """Holds a claim on the task in one of `statuses` (the active ones by default)."""
    if not signed_in(user):
        return False
    return Claim.objects.filter(task=task, user=user, status__in=statuses).exists()


def worked_on(user: Any, task: Task) -> bool:
    """Claimed it (live claim) or delivered for it: such a person never reviews it."""
    if not signed_in(user):
        return False
    return (
        is_claimant(user, task, statuses=LIVE_CLAIMS)
        or Delivery.objects.filter(task=task, submitted_by=user).exists()
    )


def judges_entries(user: Any, task: Task) -> bool:
    """Whoever may review or manage the task reads a contest's entries before the decision."""
    return can(user, "task.review", task) or can(user, "task.update", task)


def delivery_content_visible(user: Any, delivery: Delivery, *, judge: bool | None = None) -> bool:
    """A contest's delivery is shown to its author, the reviewers and the task's managers until
    it wins or its author releases it to the commons; other deliveries to everyone. `judge`:
    `judges_entries(user, task)`, when a list has asked it once for all its rows."""
    task = delivery.task
    if task.mode != Mode.CONTEST or delivery.is_winner or delivery.released_at is not None:
        return True
    if signed_in(user) and delivery.submitted_by_id == user.pk:
        return True
    return judges_entries(user, task) if judge is None else judge


@rule("task.view", conceals=True)
def can_view_task(user: Any, task: Task) -> bool:
    return can(user, "space.view", task.space)


@scope("task.view")
def tasks_viewable(user: Any, tasks: QuerySet[Task]) -> QuerySet[Task]:
    return tasks.filter(space__in=policy.filter(user, "space.view", Space.objects.all()))


@rule("task.create", visible_via="space.view")
def can_create_task(user: Any, space: Any) -> bool:
    """Anyone who may contribute posts tasks; a bounty needs a steward (checked by the action,
    since the treasury is the space's money)."""
    return signed_in(user) and can(user, "space.contribute", space)


@rule("task.update", visible_via="task.view")
def can_update_task(user: Any, task: Task) -> bool:
    """Change or cancel a task: its creator and the space's stewards."""
    return signed_in(user) and (task.created_by_id == user.pk or is_steward(user, task.space))


@rule("task.bounty", visible_via="task.view")
def can_set_bounty(user: Any, task: Task) -> bool:
    """Attach a bounty to a task posted without one: stewards, as the treasury pays it."""
    return is_steward(user, task.space)


@rule("task.claim", visible_via="task.view", admin_passes=False)
def can_claim_task(user: Any, task: Task) -> bool:
    needed = tasks_policy(task.space).claim_privilege
    return holds_privilege(user, task.space, needed)


@rule("task.claim.decide", visible_via="task.view")
def can_decide_claims(user: Any, task: Task) -> bool:
    """Approve or decline requested claims, where the policy asks for approval: stewards."""
    return is_steward(user, task.space)


@rule("task.deliver", visible_via="task.view", admin_passes=False)
def can_deliver(user: Any, task: Task) -> bool:
    """Hand in work, unclaim, release a delivery: the task's active claimants."""
    return is_claimant(user, task)


@rule("task.review", visible_via="task.view", admin_passes=False)
def can_review(user: Any, task: Task) -> bool:
    """A peer who holds the review privilege and never worked on the task; the creator may."""
    needed = tasks_policy(task.space).review_privilege
    # Points unlock what the policy gives members, never a steward's gate (docs/reputation.md).
    earned = (
        needed != "steward"
        and holds_privilege(user, task.space, "contributor")
        and has_privilege(user, task.space, "review_tasks")
    )
    return (holds_privilege(user, task.space, needed) or earned) and not worked_on(user, task)


@rule("task.watch", visible_via="task.view", admin_passes=False)
def can_watch_task(user: Any, task: Task) -> bool:
    return signed_in(user)
