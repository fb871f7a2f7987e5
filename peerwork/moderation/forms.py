"""The forms of moderation's pages (the same checks as the API happen in the actions)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from peerwork.accounts.forms import Form

from .models import FILTER_ACTIONS, FILTER_KINDS, MAX_PATTERN_CHARS, REPORT_REASONS


class FilterForm(Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(label=_("Description"), max_length=500, required=False)
    kinds = forms.MultipleChoiceField(
        label=_("Looks at"),
        choices=FILTER_KINDS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every kind of contribution."),
    )
    added_pattern = forms.CharField(
        label=_("Text added matches"),
        max_length=MAX_PATTERN_CHARS,
        required=False,
        help_text=_("A regular expression, case-insensitive. Example: (buy|cheap) pills"),
    )
    title_pattern = forms.CharField(
        label=_("Title matches"), max_length=MAX_PATTERN_CHARS, required=False
    )
    summary_pattern = forms.CharField(
        label=_("Summary matches"), max_length=MAX_PATTERN_CHARS, required=False
    )
    account_age_below_days = forms.IntegerField(
        label=_("Account younger than (days)"), min_value=1, required=False
    )
    edit_count_below = forms.IntegerField(
        label=_("Fewer contributions in this space than"), min_value=1, required=False
    )
    match = forms.ChoiceField(
        label=_("Conditions"),
        choices=[("all", _("All must hold")), ("any", _("Any one is enough"))],
        initial="all",
    )
    action = forms.ChoiceField(label=_("Then"), choices=FILTER_ACTIONS, initial="tag")
    block_hours = forms.IntegerField(label=_("Block for (hours)"), min_value=1, required=False)
    tag = forms.CharField(label=_("Tag"), max_length=60, required=False)
    message = forms.CharField(
        label=_("Message to the person"),
        max_length=500,
        required=False,
        help_text=_("What the person reads when the filter stops or holds their words."),
    )
    is_enabled = forms.BooleanField(label=_("Enabled"), required=False)


class TestForm(Form):
    last = forms.IntegerField(
        label=_("Try on the last contributions"), min_value=1, max_value=200, initial=50
    )


class ReportForm(Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=REPORT_REASONS)
    note = forms.CharField(
        label=_("Note for the moderators (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DecisionForm(Form):
    decision = forms.ChoiceField(
        choices=[
            ("dismiss", _("Dismiss")),
            ("release", _("Release")),
            ("remove", _("Remove")),
            ("warn", _("Warn")),
            ("block", _("Block")),
        ]
    )
    note = forms.CharField(max_length=500, required=False)
    is_spam = forms.BooleanField(required=False)
    block_hours = forms.IntegerField(min_value=1, max_value=24 * 366, required=False)
