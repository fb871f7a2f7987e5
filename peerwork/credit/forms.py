"""Forms of the credit pages: they only parse what people type; the actions decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from peerwork.ledger.forms import MoneyForm

from .models import Method
from .policy_schema import EDGE_KINDS, NODE_KINDS, CreditPolicy

CREDIT_METHODS = [(m.value, m.label) for m in Method if m != Method.PEER]


class PeriodForm(forms.Form):
    """Which period and method the credit page shows (a GET form)."""

    method = forms.ChoiceField(label=_("Method"), choices=CREDIT_METHODS, required=False)
    period_end = forms.DateField(
        label=_("Last day of the period"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class DistributionForm(MoneyForm):
    """A budget of the treasury to split; its key (made when the form is drawn) pays once."""

    method = forms.ChoiceField(label=_("Method"), choices=Method.choices)
    period_end = forms.DateField(
        label=_("Last day of the period"),
        required=False,
        help_text=_("Today when left empty."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    epoch = forms.TypedChoiceField(
        label=_("Peer epoch (for points)"), coerce=int, required=False, empty_value=None
    )
    memo = forms.CharField(label=_("What it is (public)"), max_length=300, required=False)

    def __init__(self, *args: Any, epochs: list[tuple[int, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["epoch"].choices = [("", "—"), *epochs]  # type: ignore[attr-defined]


class WhatIfForm(forms.Form):
    """Every weight of the credit policy, filled with the space's; a GET form."""

    def __init__(self, *args: Any, policy: CreditPolicy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for section, kinds in (("nodes", NODE_KINDS), ("edges", EDGE_KINDS)):
            current = getattr(policy, section)
            for key, label in kinds:
                self.fields[f"{section}.{key}"] = forms.IntegerField(
                    label=str(label),
                    min_value=0,
                    max_value=1000,
                    initial=getattr(current, key),
                    required=False,
                )

    def changes(self, policy: CreditPolicy) -> dict[str, int]:
        """The weights typed that differ from the space's."""
        found: dict[str, int] = {}
        for name, value in (self.cleaned_data or {}).items():
            section, _dot, key = name.partition(".")
            if value is not None and value != getattr(getattr(policy, section), key):
                found[name] = value
        return found


class EpochForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)


class PointsForm(forms.Form):
    username = forms.ChoiceField(label=_("To"))
    points = forms.IntegerField(label=_("Points"), min_value=0)
    note = forms.CharField(label=_("Why (public)"), max_length=500, required=False)

    def __init__(self, *args: Any, people: list[str] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["username"].choices = [(name, name) for name in people]  # type: ignore[attr-defined]
