"""The `ledger` section of a space's policy (docs/space-policy.md, docs/ledger.md)."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from babel.numbers import is_currency
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import BaseModel, ConfigDict, StrictInt, field_validator

from peerwork.spaces.space_policy import Text, setting


class LedgerPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid")
    section_title: ClassVar[Text] = gettext_lazy("Ledger")
    section_help: ClassVar[Text] = gettext_lazy("Who reads the accounts and which payouts wait.")

    visibility: Literal["public", "members", "stewards"] = setting(
        "public",
        choices=(
            ("public", gettext_lazy("Whoever may read the space")),
            ("members", gettext_lazy("Members")),
            ("stewards", gettext_lazy("Stewards only")),
        ),
        title=gettext_lazy("Who may read the ledger"),
        help=gettext_lazy(
            "Its pages, exports and API; references and notes are for stewards whatever this says."
        ),
    )
    approval_above: dict[str, StrictInt] = setting(
        default_factory=dict,
        max_length=50,
        unit="minor_units",
        title=gettext_lazy("Payouts needing a second steward"),
        help=gettext_lazy(
            "Per currency, the largest payout paid at once; a larger one waits for a second "
            "steward's approval. A currency not listed needs no second approval."
        ),
    )

    @field_validator("approval_above")
    @classmethod
    def _currencies_known(cls, value: dict[str, int]) -> dict[str, int]:
        for code, limit in value.items():
            if not is_currency(code):
                raise ValueError(_("'%(code)s' is not an ISO 4217 currency code") % {"code": code})
            if limit < 0:
                raise ValueError(_("the limit for %(code)s must not be negative") % {"code": code})
        return value


def ledger_policy(space: Any) -> LedgerPolicy:
    """The space's ledger settings, defaults filled in."""
    return LedgerPolicy.model_validate((space.policy or {}).get("ledger") or {})
