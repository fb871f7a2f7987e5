"""The `ideas` section of a space's policy (docs/space-policy.md)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr, model_validator


class Stage(BaseModel):
    """One support milestone: this many supporters within this many days of the last one."""

    model_config = ConfigDict(extra="forbid")

    supporters: StrictInt = Field(..., ge=1, le=10_000_000)
    days: StrictInt = Field(..., ge=1, le=3650)


def _lego_stages() -> list[Stage]:
    """LEGO Ideas' own stages: 100 in 60 days, 1,000 in a year, 5,000 and 10,000 in six months."""
    return [
        Stage(supporters=100, days=60),
        Stage(supporters=1000, days=365),
        Stage(supporters=5000, days=182),
        Stage(supporters=10000, days=182),
    ]


class IdeasPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid")

    support_milestones: list[Stage] = Field(
        default_factory=_lego_stages, min_length=1, max_length=20
    )
    revenue_share_basis_points: StrictInt = Field(
        100, ge=0, le=10000, description="creators' share of net revenue, in 1/100 of a percent"
    )
    reviewers: list[StrictStr] = Field(default_factory=list, max_length=100)
    review_criteria: StrictStr = Field("", max_length=10_000)

    @model_validator(mode="after")
    def _stages_grow(self) -> IdeasPolicy:
        counts = [stage.supporters for stage in self.support_milestones]
        if any(later <= earlier for earlier, later in zip(counts, counts[1:], strict=False)):
            raise ValueError("each milestone must need more supporters than the one before")
        return self
