"""The policy document of a space: the numbers that govern it, checked by one schema.

Documented in docs/space-policy.md. Unknown keys and wrong types are refused, naming the key.
"""

from __future__ import annotations

from typing import Any, Literal

from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, ValidationError

from peerwork.challenges.policy_schema import ChallengesPolicy
from peerwork.core.errors import Invalid
from peerwork.ideas.policy_schema import IdeasPolicy


class PrivilegeThresholds(BaseModel):
    model_config = ConfigDict(extra="forbid")

    autoconfirmed_days: StrictInt = Field(4, ge=0, le=3650)
    autoconfirmed_edits: StrictInt = Field(10, ge=0, le=100000)
    patrol: StrictInt = Field(100, ge=0, description="reputation needed to mark edits reviewed")
    autopatrol: StrictInt = Field(250, ge=0)
    rollback: StrictInt = Field(500, ge=0)


class SpacePolicy(BaseModel):
    model_config = ConfigDict(extra="forbid")

    capitalize_titles: StrictBool = True
    privileges: PrivilegeThresholds = Field(default_factory=PrivilegeThresholds)
    claim_days: StrictInt = Field(14, ge=1, le=365)
    voting_method: Literal["approval", "plurality", "ranked", "score"] = "approval"
    voting_days: StrictInt = Field(7, ge=1, le=90)
    quorum_percent: StrictInt = Field(0, ge=0, le=100)
    ideas: IdeasPolicy = Field(default_factory=IdeasPolicy)
    challenges: ChallengesPolicy = Field(default_factory=ChallengesPolicy)


def policy_defaults() -> dict[str, Any]:
    return SpacePolicy().model_dump()


def policy_validate(document: Any) -> dict[str, Any]:
    """The full policy (defaults filled in) or Invalid naming the first bad key."""
    if not isinstance(document, dict):
        raise Invalid(_("The policy must be a JSON object of settings."), field="policy")
    try:
        return SpacePolicy.model_validate(document).model_dump()
    except ValidationError as error:
        first = error.errors()[0]
        key = ".".join(str(part) for part in first["loc"]) or "policy"
        if first["type"] == "extra_forbidden":
            message = _(
                "Unknown policy key '%(key)s'; see the documented keys in docs/space-policy.md."
            ) % {"key": key}
        else:
            message = _("Policy key '%(key)s': %(problem)s.") % {
                "key": key,
                "problem": first["msg"],
            }
        raise Invalid(message, field="policy", key=key) from None
