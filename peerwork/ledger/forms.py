"""Forms of the ledger pages: they only parse what people type; the actions decide.

Each form carries an idempotency key made when the form is drawn, so submitting it twice (a
double click, a reload after a slow answer) records the movement once.
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from peerwork.core.errors import Invalid
from peerwork.core.money import known_currency, parse_money


def new_key() -> str:
    return str(uuid.uuid4())


class KeyedForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("key", new_key())
        super().__init__(*args, **kwargs)


class MoneyForm(KeyedForm):
    """An amount as people write it ("1500", "1.500,50" in Spanish) in a currency."""

    amount = forms.CharField(
        label=_("Amount"), max_length=40, help_text=_("An amount such as 1500 or 1500.50.")
    )
    currency = forms.CharField(
        label=_("Currency"), max_length=3, help_text=_("Its ISO 4217 code, such as EUR or USD.")
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        currency = (data.get("currency") or "").strip().upper()
        if not known_currency(currency):
            if "currency" in data:
                self.add_error("currency", _("Not a currency code; use one such as EUR or USD."))
            return data
        data["currency"] = currency
        if data.get("amount"):
            try:
                data["amount"] = parse_money(data["amount"], currency)
            except Invalid as error:
                self.add_error("amount", str(error.detail))
        return data


class FundingForm(MoneyForm):
    memo = forms.CharField(label=_("What it is (public)"), max_length=300, required=False)
    reference = forms.CharField(
        label=_("Reference (stewards only)"),
        max_length=300,
        required=False,
        help_text=_("A grant number, an invoice, a receipt."),
    )
    note = forms.CharField(
        label=_("Note (stewards only)"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DisbursementForm(MoneyForm):
    username = forms.CharField(label=_("Paid to (username)"), max_length=150)
    reference = forms.CharField(
        label=_("Reference (stewards only)"),
        max_length=300,
        required=False,
        help_text=_("The bank transfer's receipt."),
    )
    note = forms.CharField(
        label=_("Note (stewards only)"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReversalForm(KeyedForm):
    reason = forms.CharField(label=_("Why it is reversed (public)"), max_length=300)


class RejectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is turned down"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
