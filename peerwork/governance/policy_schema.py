"""The `governance` section of a space's policy (docs/space-policy.md, docs/governance.md)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, field_validator

from .methods import Option


class GovernancePolicy(BaseModel):
    model_config = ConfigDict(extra="forbid")

    #: who may open a proposal: anyone who may contribute, members, or stewards only.
    propose_privilege: Literal["contributor", "member", "steward"] = "member"
    #: the method a new proposal starts with (any name of docs/governance.md).
    default_method: str = Field("consent", max_length=20)
    #: how long voting lasts unless the proposal says otherwise.
    voting_days: StrictInt = Field(7, ge=1, le=365)
    #: the share of eligible voters that must be counted for a valid result.
    quorum_percent: StrictInt = Field(0, ge=0, le=100)
    #: who may vote unless the proposal says otherwise.
    eligibility: Literal["member", "steward"] = "member"
    #: ballots are secret unless the proposal says otherwise.
    secret_ballots: StrictBool = False
    #: a passed proposal's changes wait this many hours before they are applied.
    timelock_hours: StrictInt = Field(0, ge=0, le=24 * 90)
    #: defaults of the methods' own settings (a proposal may change them).
    supermajority: str = Field("2/3", max_length=10)
    dots: StrictInt = Field(10, ge=1, le=1000)
    credits: StrictInt = Field(100, ge=1, le=100_000)
    #: members may hand their vote to another member.
    delegation: StrictBool = True

    @field_validator("default_method")
    @classmethod
    def _known_method(cls, value: str) -> str:
        from .count import ALL_METHODS

        if value not in ALL_METHODS:
            raise ValueError(f"choose one of {', '.join(ALL_METHODS)}")
        return value

    @field_validator("supermajority")
    @classmethod
    def _fraction(cls, value: str) -> str:
        from .messages import translated
        from .methods import InvalidSettings, get_method

        try:
            get_method("supermajority").clean_settings(
                {"fraction": value}, [Option("a", "a"), Option("b", "b")]
            )
        except InvalidSettings as error:
            raise ValueError(translated(error)) from None
        return value


def governance_policy(space: Any) -> GovernancePolicy:
    """The space's governance settings, defaults filled in."""
    return GovernancePolicy.model_validate((space.policy or {}).get("governance") or {})
