"""The `tasks` section of a space's policy (docs/space-policy.md, docs/tasks.md)."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from django.utils.translation import gettext_lazy
from pydantic import BaseModel, ConfigDict, StrictBool, StrictInt

from peerwork.spaces.space_policy import WHO_CONTRIBUTES, Text, setting


class TasksPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid")
    section_title: ClassVar[Text] = gettext_lazy("Tasks")
    section_help: ClassVar[Text] = gettext_lazy("Who claims and reviews work, and for how long.")

    claim_privilege: Literal["contributor", "member", "steward"] = setting(
        "contributor",
        choices=WHO_CONTRIBUTES,
        title=gettext_lazy("Who may claim a task"),
        help=gettext_lazy("Claiming a task says you are working on it."),
    )
    review_privilege: Literal["contributor", "member", "steward"] = setting(
        "member",
        choices=WHO_CONTRIBUTES,
        title=gettext_lazy("Who may review deliveries"),
        help=gettext_lazy("Never the people who worked on the task themselves."),
    )
    claim_days: StrictInt = setting(
        14,
        ge=1,
        le=365,
        unit="days",
        title=gettext_lazy("A quiet claim is released after"),
        help=gettext_lazy(
            "A claim with no delivery or comment by the claimant for this long is released."
        ),
    )
    warn_days_before: StrictInt = setting(
        3,
        ge=0,
        le=364,
        unit="days",
        title=gettext_lazy("Warn the claimant before the release"),
        help=gettext_lazy("How long before the release the claimant is warned."),
    )
    claims_need_approval: StrictBool = setting(
        False,
        title=gettext_lazy("Claims need a steward's approval"),
        help=gettext_lazy("A claim counts only once a steward approves it."),
    )
    max_claims_per_person: StrictInt = setting(
        5,
        ge=1,
        le=1000,
        title=gettext_lazy("Live claims per person"),
        help=gettext_lazy("How many unfinished tasks one person may hold at once."),
    )


def tasks_policy(space: Any) -> TasksPolicy:
    """The space's tasks settings, defaults filled in."""
    return TasksPolicy.model_validate((space.policy or {}).get("tasks") or {})
