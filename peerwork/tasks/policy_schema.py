"""The `tasks` section of a space's policy (docs/space-policy.md, docs/tasks.md)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt


class TasksPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid")

    #: who may claim a task: anyone who may contribute, members, or stewards only.
    claim_privilege: Literal["contributor", "member", "steward"] = "contributor"
    #: who may review deliveries (never the claimants themselves).
    review_privilege: Literal["contributor", "member", "steward"] = "member"
    #: a claim with no delivery or comment for this many days is released.
    claim_days: StrictInt = Field(14, ge=1, le=365)
    #: the claimant is warned this many days before the release.
    warn_days_before: StrictInt = Field(3, ge=0, le=364)
    #: claims wait for a steward's approval (Gitcoin's approval mode).
    claims_need_approval: StrictBool = False
    max_claims_per_person: StrictInt = Field(5, ge=1, le=1000)


def tasks_policy(space: Any) -> TasksPolicy:
    """The space's tasks settings, defaults filled in."""
    return TasksPolicy.model_validate((space.policy or {}).get("tasks") or {})
