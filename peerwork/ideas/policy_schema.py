"""The `ideas` section of a space's policy (docs/space-policy.md)."""

from __future__ import annotations

from typing import ClassVar

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import BaseModel, ConfigDict, StrictInt, StrictStr, field_validator

from peerwork.spaces.space_policy import Text, setting


class Stage(BaseModel):
    """One support milestone: this many supporters within this many days of the last one."""

    model_config = ConfigDict(extra="forbid")

    supporters: StrictInt = setting(
        ge=1,
        le=10_000_000,
        title=gettext_lazy("Supporters"),
        help=gettext_lazy("How many people must support the idea to reach this milestone."),
    )
    days: StrictInt = setting(
        ge=1,
        le=3650,
        unit="days",
        title=gettext_lazy("Within"),
        help=gettext_lazy(
            "Days to reach it, counted from the previous milestone (from publication for the "
            "first)."
        ),
    )


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
    section_title: ClassVar[Text] = gettext_lazy("Ideas")
    section_help: ClassVar[Text] = gettext_lazy(
        "How ideas gather support, reach review, and share what they earn."
    )

    support_milestones: list[Stage] = setting(
        default_factory=_lego_stages,
        min_length=1,
        max_length=20,
        title=gettext_lazy("Support milestones"),
        help=gettext_lazy(
            "Each milestone needs more supporters than the one before; an idea that misses one in "
            "time expires, and the last sends it to review."
        ),
    )
    revenue_share_basis_points: StrictInt = setting(
        100,
        ge=0,
        le=10000,
        unit="basis_points",
        title=gettext_lazy("Creators' share of revenue"),
        help=gettext_lazy("The share of an accepted idea's net revenue paid to its creators."),
    )
    reviewers: list[StrictStr] = setting(
        default_factory=list,
        max_length=100,
        title=gettext_lazy("Reviewers"),
        help=gettext_lazy(
            "Usernames of the people who review ideas besides the stewards, one per line."
        ),
    )
    review_criteria: StrictStr = setting(
        "",
        max_length=10_000,
        title=gettext_lazy("Review criteria"),
        help=gettext_lazy("The published criteria ideas are reviewed against (Markdown)."),
    )

    @field_validator("support_milestones")
    @classmethod
    def _stages_grow(cls, stages: list[Stage]) -> list[Stage]:
        counts = [stage.supporters for stage in stages]
        if any(later <= earlier for earlier, later in zip(counts, counts[1:], strict=False)):
            raise ValueError(_("each milestone must need more supporters than the one before"))
        return stages
