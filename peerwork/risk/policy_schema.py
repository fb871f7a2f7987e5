"""The `risk` section of a space's policy (docs/space-policy.md, docs/assist.md)."""

from __future__ import annotations

from typing import Any, ClassVar

from django.utils.translation import gettext_lazy
from pydantic import BaseModel, ConfigDict, StrictBool, StrictInt

from peerwork.spaces.space_policy import Text, setting

#: The hard floor: a steward cannot hold edits scored below this (percent), so a space's
#: threshold can never hold everything.
THRESHOLD_FLOOR = 50


class RiskPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid")
    section_title: ClassVar[Text] = gettext_lazy("Edit risk")
    section_help: ClassVar[Text] = gettext_lazy(
        "Each edit gets a risk score from a model trained on the space's history; risky edits "
        "can wait for a patroller before readers see them."
    )

    hold_risky_edits: StrictBool = setting(
        False,
        title=gettext_lazy("Hold risky edits for review"),
        help=gettext_lazy(
            "Edits scored at or above the threshold wait for a patroller instead of being "
            "published. Edits of members, stewards and bots are never held."
        ),
    )
    threshold_percent: StrictInt = setting(
        90,
        ge=THRESHOLD_FLOOR,
        le=100,
        unit="percent",
        title=gettext_lazy("Hold edits scored at least"),
        help=gettext_lazy("The risk score (50 to 100) from which an edit is held."),
    )


def risk_policy(space: Any) -> RiskPolicy:
    section = (space.policy or {}).get("risk") or {}
    try:
        return RiskPolicy.model_validate(section)
    except ValueError:
        return RiskPolicy()
