"""The `ledger` section of a space's policy (docs/space-policy.md, docs/ledger.md)."""

from __future__ import annotations

from typing import Any, Literal

from babel.numbers import is_currency
from pydantic import BaseModel, ConfigDict, Field, StrictInt, field_validator


class LedgerPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid")

    #: who reads the ledger: whoever may read the space, its members, or its stewards only.
    visibility: Literal["public", "members", "stewards"] = "public"
    #: per currency, the largest payout (minor units) paid without a second steward's approval;
    #: a currency not named here needs no second approval.
    approval_above: dict[str, StrictInt] = Field(default_factory=dict, max_length=50)

    @field_validator("approval_above")
    @classmethod
    def _currencies_known(cls, value: dict[str, int]) -> dict[str, int]:
        for code, limit in value.items():
            if not is_currency(code):
                raise ValueError(f"'{code}' is not an ISO 4217 currency code")
            if limit < 0:
                raise ValueError(f"the limit for {code} must not be negative")
        return value


def ledger_policy(space: Any) -> LedgerPolicy:
    """The space's ledger settings, defaults filled in."""
    return LedgerPolicy.model_validate((space.policy or {}).get("ledger") or {})
