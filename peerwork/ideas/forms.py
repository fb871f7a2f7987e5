"""Forms of the idea pages: they read what was typed; the actions judge it."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from peerwork.accounts.forms import Form
from peerwork.core.errors import Invalid
from peerwork.core.money import known_currency, parse_money
from peerwork.core.widgets import MarkupTextarea

from . import extensions
from .models import Status


def split_tags(raw: str) -> list[str]:
    return [part for part in (piece.strip() for piece in raw.split(",")) if part]


class IdeaForm(Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "off", "data-testid": "idea-title"}),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        strip=False,
        max_length=60_000,
        help_text=_("Say what the idea is, who it is for and why."),
        widget=MarkupTextarea(attrs={"rows": 12, "spellcheck": "true"}),
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=600,
        help_text=_("Separated by commas, up to 10."),
    )


class NewIdeaForm(IdeaForm):
    share = forms.IntegerField(
        label=_("Your share"),
        min_value=1,
        max_value=1_000_000,
        initial=1,
        help_text=_(
            "Your weight in the creators' revenue share; each co-creator you invite gets "
            "their own, and the split is in proportion."
        ),
    )


class InviteForm(Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    share = forms.IntegerField(label=_("Their share"), min_value=1, max_value=1_000_000, initial=1)


class ReviewForm(Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=20_000,
        strip=False,
        help_text=_(
            "Against the space's published criteria; everyone who can see the idea reads it."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class ReasonForm(Form):
    reason = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class FlagForm(Form):
    duplicate_of = forms.IntegerField(
        label=_("Number of the idea this duplicates"), min_value=1, max_value=2**62
    )
    reason = forms.CharField(label=_("Why (optional)"), required=False, max_length=5000)


class MergeForm(Form):
    into = forms.IntegerField(label=_("Merge into idea number"), min_value=1, max_value=2**62)
    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=5000)


class ListForm(Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("any"))] + list(Status.choices)
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("newest", _("newest")),
            ("supporters", _("most supporters")),
            ("closest", _("closest to the next milestone")),
        ],
    )
    tag = forms.CharField(label=_("Tag"), required=False, max_length=40)
    mine = forms.BooleanField(label=_("Only mine"), required=False)
    start = forms.IntegerField(
        required=False, min_value=0, max_value=10_000_000, widget=forms.HiddenInput
    )
    #: numbered pages of old bookmarks (`?page=3`), read as where that page started
    page = forms.IntegerField(
        required=False, min_value=1, max_value=100_000, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sort = self.fields["sort"]
        assert isinstance(sort, forms.ChoiceField)
        sort.choices = [
            *cast(list[tuple[str, Any]], sort.choices),
            *((key, added.label) for key, added in extensions.sorts().items()),
        ]

    def values(self, page_size: int = 25) -> dict[str, Any]:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "status": data.get("status") or "",
            "sort": data.get("sort") or "newest",
            "tag": (data.get("tag") or "").strip().lower(),
            "mine": bool(data.get("mine")),
            "start": data.get("start") or ((data.get("page") or 1) - 1) * page_size,
        }


class RevenueForm(Form):
    """Net revenue as people write it ("1500", "1.500,50" in Spanish), turned into minor units;
    the hidden key makes a resent form record it once."""

    amount = forms.CharField(
        label=_("Net revenue"), max_length=40, help_text=_("An amount such as 1500 or 1500.50.")
    )
    currency = forms.CharField(
        label=_("Currency"), max_length=3, initial="EUR", help_text=_("Its code: EUR, USD, JPY.")
    )
    reference = forms.CharField(
        label=_("Reference (stewards only)"),
        required=False,
        max_length=300,
        help_text=_("An invoice or a statement, to find the money again."),
    )
    note = forms.CharField(
        label=_("Note (stewards only)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    key = forms.CharField(widget=forms.HiddenInput, max_length=200)

    def clean(self) -> dict[str, Any]:
        data = cast(dict[str, Any], super().clean())
        currency = (data.get("currency") or "").strip().upper()
        if not known_currency(currency):
            self.add_error("currency", _("A currency code such as EUR or USD."))
            return data
        data["currency"] = currency
        if "amount" in data:
            try:
                data["amount"] = parse_money(data["amount"], currency, field="amount")
            except Invalid as error:
                self.add_error("amount", error.detail)
        return data
