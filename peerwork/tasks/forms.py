"""Forms of the task pages: they only parse what people type; the actions decide."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from peerwork.core.errors import Invalid
from peerwork.core.money import known_currency, parse_money
from peerwork.core.widgets import MarkupTextarea

from .models import Decision, Mode


def _words(text: str) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


class TaskFields(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        widget=MarkupTextarea(attrs={"rows": 6}),
        max_length=100_000,
        required=False,
        help_text=_("Markdown."),
    )
    skills = forms.CharField(
        label=_("Skills wanted"),
        required=False,
        max_length=1000,
        help_text=_("Short labels, separated by commas: cartography, translation."),
    )
    labels = forms.CharField(
        label=_("Labels"), required=False, max_length=1000, help_text=_("Separated by commas.")
    )
    language = forms.CharField(
        label=_("Language"),
        required=False,
        max_length=16,
        help_text=_("A language code such as en or es, if the work needs one."),
    )
    estimate_hours = forms.IntegerField(
        label=_("Estimate (hours)"), required=False, min_value=1, max_value=10_000
    )
    due_date = forms.DateField(
        label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    depends_on = forms.CharField(
        label=_("Depends on"),
        required=False,
        max_length=1000,
        help_text=_("Numbers of tasks of this space that must be done first, separated by commas."),
    )

    def clean_skills(self) -> list[str]:
        return _words(self.cleaned_data["skills"])

    def clean_labels(self) -> list[str]:
        return _words(self.cleaned_data["labels"])

    def clean_depends_on(self) -> list[int]:
        parts = _words(self.cleaned_data["depends_on"])
        if not all(part.lstrip("#").isdigit() for part in parts):
            raise forms.ValidationError(_("Give task numbers, such as 12, 15."))
        return [int(part.lstrip("#")) for part in parts]


class TaskForm(TaskFields):
    mode = forms.ChoiceField(label=_("Mode"), choices=Mode.choices, initial=Mode.SINGLE)
    bounty = forms.CharField(
        label=_("Bounty"),
        required=False,
        max_length=40,
        help_text=_("Stewards only: an amount such as 50 or 50.25, from the space's treasury."),
    )
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="EUR")

    def clean(self) -> dict[str, Any]:
        data = cast(dict[str, Any], super().clean())
        currency = (data.get("currency") or "").strip().upper()
        data["currency"] = currency
        raw = (data.get("bounty") or "").strip()
        if not raw:
            data["bounty"] = 0
            return data
        if not known_currency(currency):
            self.add_error("currency", _("The currency is a three-letter ISO 4217 code, like EUR."))
            return data
        try:
            data["bounty"] = parse_money(raw, currency, field="bounty")
        except Invalid as error:
            self.add_error("bounty", error.detail)
        return data


class BountyForm(forms.Form):
    bounty = forms.CharField(
        label=_("Bounty"), max_length=40, help_text=_("An amount such as 50 or 50.25.")
    )
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="EUR")

    def clean(self) -> dict[str, Any]:
        data = cast(dict[str, Any], super().clean())
        currency = (data.get("currency") or "").strip().upper()
        data["currency"] = currency
        if "bounty" not in data:
            return data
        if not known_currency(currency):
            self.add_error("currency", _("The currency is a three-letter ISO 4217 code, like EUR."))
            return data
        try:
            data["bounty"] = parse_money(data["bounty"], currency, field="bounty")
        except Invalid as error:
            self.add_error("bounty", error.detail)
        return data


class ClaimForm(forms.Form):
    share = forms.IntegerField(
        label=_("Your share"),
        min_value=1,
        max_value=100,
        initial=1,
        required=False,
        help_text=_("In a cooperative task, your weight when the bounty is split."),
    )


class DeliveryForm(forms.Form):
    text = forms.CharField(
        label=_("What you did"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=100_000,
        help_text=_("Markdown."),
    )
    links = forms.CharField(
        label=_("Links"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=40_000,
        help_text=_("One web address per line."),
    )
    revision_id = forms.IntegerField(
        label=_("Wiki revision"),
        required=False,
        min_value=1,
        help_text=_("The number of a revision of this space's wiki that holds the work."),
    )

    def clean_links(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["links"].splitlines() if line.strip()]


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=Decision.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=10_000,
        help_text=_("Required: say what is good, or what must change."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000)


class SkillsForm(forms.Form):
    skills = forms.CharField(
        label=_("Your skills"),
        required=False,
        max_length=2000,
        help_text=_("Separated by commas; tasks that want them are suggested to you first."),
    )

    def clean_skills(self) -> list[str]:
        return [word.lower() for word in _words(self.cleaned_data["skills"])]
