"""The `governance` section of a space's policy (docs/space-policy.md, docs/governance.md)."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from django.utils.translation import gettext_lazy
from pydantic import BaseModel, ConfigDict, StrictBool, StrictInt, field_validator

from peerwork.spaces.space_policy import WHO_CONTRIBUTES, Text, setting

from .methods import Option


def _method_choices() -> list[tuple[str, Any]]:
    from .count import ALL_METHODS
    from .labels import METHOD_LABELS

    return [(name, METHOD_LABELS.get(name, name)) for name in ALL_METHODS]


class GovernancePolicy(BaseModel):
    model_config = ConfigDict(extra="forbid")
    section_title: ClassVar[Text] = gettext_lazy("Decisions")
    section_help: ClassVar[Text] = gettext_lazy(
        "How proposals are opened and voted on; most of these are a new proposal's defaults, "
        "which it may change."
    )

    propose_privilege: Literal["contributor", "member", "steward"] = setting(
        "member",
        choices=WHO_CONTRIBUTES,
        title=gettext_lazy("Who may open a proposal"),
        help=gettext_lazy("A proposal puts a question or a change of rules to a vote."),
    )
    default_method: str = setting(
        "consent",
        max_length=20,
        choices=_method_choices,
        title=gettext_lazy("Decision method"),
        help=gettext_lazy("The method a new proposal starts with (docs/governance.md)."),
    )
    voting_days: StrictInt = setting(
        7,
        ge=1,
        le=365,
        unit="days",
        title=gettext_lazy("Voting lasts"),
        help=gettext_lazy("How long voting stays open."),
    )
    quorum_percent: StrictInt = setting(
        0,
        ge=0,
        le=100,
        unit="percent",
        title=gettext_lazy("Quorum"),
        help=gettext_lazy(
            "The share of eligible voters (counting delegated votes) needed for a valid result; "
            "0 means no quorum."
        ),
    )
    eligibility: Literal["member", "steward"] = setting(
        "member",
        choices=(
            ("member", gettext_lazy("Members and stewards")),
            ("steward", gettext_lazy("Stewards only")),
        ),
        title=gettext_lazy("Who may vote"),
        help=gettext_lazy("The people whose ballots count."),
    )
    secret_ballots: StrictBool = setting(
        False,
        title=gettext_lazy("Secret ballots"),
        help=gettext_lazy("Nobody sees how each person voted, only the result."),
    )
    timelock_hours: StrictInt = setting(
        0,
        ge=0,
        le=24 * 90,
        unit="hours",
        title=gettext_lazy("Wait before applying a passed proposal"),
        help=gettext_lazy("A passed proposal's changes wait this long before they are applied."),
    )
    supermajority: str = setting(
        "2/3",
        max_length=10,
        title=gettext_lazy("Supermajority"),
        help=gettext_lazy(
            "The share of votes a supermajority needs, as a fraction such as 2/3 or 0.6, above "
            "one half."
        ),
    )
    dots: StrictInt = setting(
        10,
        ge=1,
        le=1000,
        title=gettext_lazy("Dots per voter"),
        help=gettext_lazy("In a dot vote, how many dots each voter spreads."),
    )
    credits: StrictInt = setting(
        100,
        ge=1,
        le=100_000,
        title=gettext_lazy("Credits per voter"),
        help=gettext_lazy("In a quadratic vote, how many credits each voter spends."),
    )
    delegation: StrictBool = setting(
        True,
        title=gettext_lazy("Delegation"),
        help=gettext_lazy(
            "Members may hand their vote to another member; turning it off leaves live "
            "delegations counting."
        ),
    )

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
