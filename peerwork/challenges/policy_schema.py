"""The `challenges` section of a space's policy (docs/space-policy.md)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt


class ChallengesPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid")

    #: who may post a challenge: anyone who may contribute, members, or stewards only.
    post_privilege: Literal["contributor", "member", "steward"] = "member"
    daily_submissions: StrictInt = Field(5, ge=1, le=1000)
    final_submissions: StrictInt = Field(2, ge=1, le=100)
    public_percent: StrictInt = Field(30, ge=1, le=99)
    max_upload_bytes: StrictInt = Field(2 * 1024 * 1024, ge=1024, le=50 * 1024 * 1024)


def challenges_policy(space: Any) -> ChallengesPolicy:
    """The space's challenges settings, defaults filled in."""
    return ChallengesPolicy.model_validate((space.policy or {}).get("challenges") or {})
