"""The steward's grant form on a person's reputation page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .policy_schema import PrivilegeThresholds
from .privileges import EARNED

CHOICES = [(name, PrivilegeThresholds.model_fields[name].title) for name in EARNED] + [
    ("level", _("Trust level"))
]
EFFECTS = [
    ("grant", _("Grant")),
    ("withhold", _("Withhold")),
    ("clear", _("Take back the steward's word")),
]


class GrantForm(forms.Form):
    privilege = forms.ChoiceField(label=_("Privilege"), choices=CHOICES)
    effect = forms.ChoiceField(label=_("What to do"), choices=EFFECTS)
    level = forms.IntegerField(
        label=_("Trust level"),
        min_value=0,
        max_value=3,
        required=False,
        help_text=_("Only for a trust level: at least this (grant) or at most this (withhold)."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea)

    def allowed(self) -> bool | None:
        return {"grant": True, "withhold": False}.get(self.cleaned_data["effect"])
