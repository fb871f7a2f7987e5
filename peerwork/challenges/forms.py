"""Forms of the challenge pages: they only parse what people type; the actions decide."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from peerwork.accounts.names import person_name
from peerwork.core.errors import Invalid
from peerwork.core.money import amount_example, known_currency, parse_money

from .models import METRIC_CHOICES, IpTerms, Kind


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


#: The order people fill a challenge in: what it is, then the money, the dates and the judges.
FIELD_ORDER = [
    "title",
    "statement",
    "kind",
    "metric",
    "leaderboard_public",
    "currency",
    "prize_pool",
    "prize_split",
    "opens_at",
    "closes_at",
    "judges",
    "criteria",
    "ip_terms",
    "eligibility",
    "organization",
]


def read_in_zone(form: forms.BaseForm, *names: str) -> None:
    """Say on each date and time field which time zone it is read in ("Times in Europe/Madrid")."""
    zone = timezone.get_current_timezone_name()
    for name in names:
        if name in form.fields:
            form.fields[name].help_text = gettext("Times in %(zone)s.") % {"zone": zone}


def judge_choices(people: Any) -> list[tuple[str, str]]:
    """Whom the judges are picked from, by display name (the value sent is the username)."""
    return [(person.username, person_name(person)) for person in people]


class PrizeFields(forms.Form):
    """The prize pool and its split as people write amounts ("1500", "1.500,50" in Spanish),
    turned into the integer minor units the actions take. One place per line, since a comma
    is the decimal mark in many languages."""

    prize_pool = forms.CharField(
        label=_("Prize pool"), max_length=40, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    prize_split = forms.CharField(
        label=_("Prize of each place"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        example = amount_example(getattr(self, "currency", None) or "EUR")
        self.fields["prize_pool"].help_text = gettext(
            "An amount as you write it, such as %(example)s."
        ) % {"example": example}
        self.fields["prize_split"].help_text = gettext(
            "One amount per line, such as %(example)s, first place first; they add up to the pool."
        ) % {"example": example}

    def prize_currency(self) -> str | None:
        raise NotImplementedError

    def clean(self) -> dict[str, Any]:
        data = cast(dict[str, Any], super().clean())  # Form.clean returns cleaned_data
        currency = self.prize_currency()
        if not currency or not known_currency(currency):
            return data  # the currency field says what is wrong
        for field in ("prize_pool", "prize_split"):
            if field not in data:
                continue
            try:
                if field == "prize_pool":
                    data[field] = parse_money(data[field], currency, field=field)
                else:
                    lines = [line for line in data[field].splitlines() if line.strip()]
                    data[field] = [parse_money(line, currency, field=field) for line in lines]
            except Invalid as error:
                self.add_error(
                    field,
                    gettext("%(field)s: %(problem)s")
                    % {"field": self.fields[field].label, "problem": error.detail},
                )
        return data


class ChallengeForm(PrizeFields):
    title = forms.CharField(label=_("Title"), max_length=200)
    statement = forms.CharField(
        label=_("Problem statement"), widget=forms.Textarea(attrs={"rows": 8}), max_length=100_000
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    metric = forms.ChoiceField(
        label=_("Metric (scored challenges)"),
        choices=[("", "—"), *METRIC_CHOICES],
        required=False,
    )
    leaderboard_public = forms.BooleanField(
        label=_("Show the live leaderboard to everyone (scored challenges)"), required=False
    )
    currency = forms.CharField(
        label=_("Currency"), max_length=3, initial="EUR", help_text=_("Its code: EUR, USD, JPY.")
    )
    opens_at = forms.DateTimeField(label=_("Opens at"), widget=LocalDateTimeInput())
    closes_at = forms.DateTimeField(
        label=_("Closes at (the deadline)"), widget=LocalDateTimeInput()
    )
    ip_terms = forms.ChoiceField(
        label=_("IP terms"), choices=IpTerms.choices, widget=forms.RadioSelect
    )
    criteria = forms.CharField(
        label=_("Judging criteria"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line, as 'name: weight', e.g. 'Feasibility: 3'."),
    )
    eligibility = forms.CharField(
        label=_("Eligibility"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    judges = forms.MultipleChoiceField(
        label=_("Judges"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Members of the space; you can change them later."),
    )
    organization = forms.CharField(
        label=_("Post for an organization"),
        required=False,
        help_text=_(
            "The organization's short name, the last part of its page's address; you must be "
            "one of its admins. Leave empty to post as yourself."
        ),
    )

    def __init__(self, *args: Any, judges_from: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(FIELD_ORDER)
        self.fields["judges"].choices = judge_choices(judges_from)  # type: ignore[attr-defined]
        read_in_zone(self, "opens_at", "closes_at")

    def clean_currency(self) -> str:
        return self.cleaned_data["currency"].strip().upper()

    def prize_currency(self) -> str | None:
        return self.cleaned_data.get("currency")

    def clean_criteria(self) -> list[tuple[str, int]]:
        criteria = []
        for line in self.cleaned_data["criteria"].splitlines():
            if not line.strip():
                continue
            name, sep, weight = line.rpartition(":")
            try:
                criteria.append((name.strip(), int(weight)))
            except ValueError:
                raise forms.ValidationError(
                    _("Write each criterion as 'name: weight', e.g. 'Feasibility: 3'.")
                ) from None
            if not sep or not name.strip():
                raise forms.ValidationError(
                    _("Write each criterion as 'name: weight', e.g. 'Feasibility: 3'.")
                )
        return criteria


class ChallengeEditForm(PrizeFields):
    title = forms.CharField(label=_("Title"), max_length=200)
    statement = forms.CharField(
        label=_("Problem statement"), widget=forms.Textarea(attrs={"rows": 8}), max_length=100_000
    )
    eligibility = forms.CharField(
        label=_("Eligibility"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    opens_at = forms.DateTimeField(label=_("Opens at"), widget=LocalDateTimeInput())
    closes_at = forms.DateTimeField(
        label=_("Closes at (the deadline)"), widget=LocalDateTimeInput()
    )
    leaderboard_public = forms.BooleanField(
        label=_("Show the live leaderboard to everyone (scored challenges)"), required=False
    )

    def __init__(self, *args: Any, currency: str, **kwargs: Any) -> None:
        self.currency = currency
        super().__init__(*args, **kwargs)
        self.order_fields(FIELD_ORDER)
        read_in_zone(self, "opens_at", "closes_at")

    def prize_currency(self) -> str | None:
        return self.currency


class JudgesForm(forms.Form):
    judges = forms.MultipleChoiceField(
        label=_("Judges"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Members of the space."),
    )

    def __init__(self, *args: Any, judges_from: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["judges"].choices = judge_choices(judges_from)  # type: ignore[attr-defined]


class TruthForm(forms.Form):
    truth_file = forms.FileField(label=_("Answers CSV file"), required=False)
    truth_text = forms.CharField(
        label=_("…or paste the CSV"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def data_bytes(self, limit: int) -> bytes | None:
        """At most one byte over the limit is read: enough for the action to refuse it."""
        upload = self.cleaned_data.get("truth_file")
        if upload:
            return upload.read(limit + 1)
        text = self.cleaned_data.get("truth_text") or ""
        return text.encode("utf-8") if text.strip() else None


class SubmissionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Your solution"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    file = forms.FileField(label=_("Attach a file (optional)"), required=False)
    predictions_file = forms.FileField(label=_("Predictions CSV file"), required=False)
    predictions_text = forms.CharField(
        label=_("…or paste the predictions CSV"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, scored: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if scored:
            del self.fields["file"]
            self.fields["description"].label = _("Notes (optional)")
        else:
            del self.fields["predictions_file"]
            del self.fields["predictions_text"]

    def predictions(self, limit: int) -> bytes | None:
        if "predictions_file" not in self.fields:
            return None
        upload = self.cleaned_data.get("predictions_file")
        if upload:
            return upload.read(limit + 1)
        text = self.cleaned_data.get("predictions_text") or ""
        return text.encode("utf-8") if text.strip() else None


class InviteForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=1000)
