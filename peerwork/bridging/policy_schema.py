"""The `bridging` section of a space's policy (docs/assist.md, docs/moderation.md)."""

from __future__ import annotations

from typing import ClassVar, Literal

from django.utils.translation import gettext_lazy
from pydantic import BaseModel, ConfigDict, StrictBool, StrictInt

from peerwork.spaces.space_policy import Text, setting

COUNTING = (
    ("raw", gettext_lazy("Every supporter counts one")),
    ("bridged", gettext_lazy("Bridged: one viewpoint alone cannot carry an idea")),
)


class Coordination(BaseModel):
    """When accounts count as one coordinated group (they support the same things at the
    same times)."""

    model_config = ConfigDict(extra="forbid")

    is_discounted: StrictBool = setting(
        True,
        title=gettext_lazy("A coordinated group counts as one supporter"),
        help=gettext_lazy(
            "Accounts found supporting the same things at the same times share one support "
            "on each idea they supported together."
        ),
    )
    overlap_percent: StrictInt = setting(
        60,
        ge=10,
        le=100,
        unit="percent",
        title=gettext_lazy("Shared supports"),
        help=gettext_lazy(
            "How much two accounts' supports must overlap (shared over all they supported)."
        ),
    )
    minutes: StrictInt = setting(
        10,
        ge=1,
        le=1440,
        title=gettext_lazy("Minutes apart"),
        help=gettext_lazy("Supports of the same thing this close in time count as together."),
    )
    shared_items: StrictInt = setting(
        3,
        ge=2,
        le=1000,
        title=gettext_lazy("Things supported together"),
        help=gettext_lazy("How many things two accounts must have supported together."),
    )


class BridgingPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid")
    section_title: ClassVar[Text] = gettext_lazy("Bridging and coordinated support")
    section_help: ClassVar[Text] = gettext_lazy(
        "How support from people who usually disagree is weighed, and how coordinated "
        "accounts are counted."
    )

    milestone_counting: Literal["raw", "bridged"] = setting(
        "raw",
        choices=COUNTING,
        title=gettext_lazy("How milestones count supporters"),
        help=gettext_lazy(
            "Bridged: the larger viewpoint among an idea's supporters counts at most the "
            "ratio below times the others; every discounted support is listed publicly."
        ),
    )
    side_ratio: StrictInt = setting(
        2,
        ge=1,
        le=100,
        title=gettext_lazy("Largest viewpoint counts at most"),
        help=gettext_lazy("Times the supporters from elsewhere (the other side and the middle)."),
    )
    side_threshold_percent: StrictInt = setting(
        30,
        ge=1,
        le=500,
        unit="percent",
        title=gettext_lazy("Distance from the middle that places a person on a side"),
        help=gettext_lazy(
            "On the viewpoint axis fitted from everyone's ratings, as a share of how spread "
            "out people are on it; nearer people are in the middle and always count fully."
        ),
    )
    min_ratings: StrictInt = setting(
        3,
        ge=1,
        le=1000,
        title=gettext_lazy("Ratings that place a person"),
        help=gettext_lazy("Fewer supports and ratings than this leave a person in the middle."),
    )
    coordination: Coordination = setting(
        default_factory=Coordination,
        title=gettext_lazy("Coordinated support"),
        help=gettext_lazy("Accounts that support the same things at the same times."),
    )


def bridging_policy(space: object) -> BridgingPolicy:
    """The space's bridging section, defaults filled in (old policies lack it)."""
    document = getattr(space, "policy", None) or {}
    return BridgingPolicy.model_validate(document.get("bridging", {}))
