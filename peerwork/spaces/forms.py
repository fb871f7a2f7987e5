"""Forms of the space pages: they read the typed text, the actions judge it."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peerwork.accounts.forms import Form

from .models import LICENCES, Space, SpaceMembership
from .presets import DEFAULT_PRESET, PRESETS, preset_choices


class PresetCards(forms.RadioSelect):
    """The presets as cards: each one's name and the sentence that explains it."""

    template_name = "spaces/_preset_cards.html"

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        for _group, options, _index in context["widget"]["optgroups"]:
            for option in options:
                preset = PRESETS.get(option["value"])
                option["summary"] = preset.summary if preset else ""
        return context


class SpaceSettingsForm(Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    visibility = forms.ChoiceField(
        label=_("Who may read"),
        choices=Space.Visibility.choices,
        initial=Space.Visibility.PUBLIC,
        widget=forms.RadioSelect,
    )
    participation = forms.ChoiceField(
        label=_("Who may contribute"),
        choices=Space.Participation.choices,
        initial=Space.Participation.ANYONE,
        widget=forms.RadioSelect,
        help_text=_("A space that only members may read takes contributions from members only."),
    )
    licence = forms.ChoiceField(
        label=_("Licence of the content"), choices=LICENCES, initial="CC-BY-SA-4.0"
    )

    @classmethod
    def initial_for(cls, space: Space) -> dict[str, Any]:
        return {name: getattr(space, name) for name in cls.base_fields}


class SpaceCreateForm(SpaceSettingsForm):
    slug = forms.CharField(
        label=_("Short name"),
        max_length=50,
        help_text=_(
            "The space's name in its address, as in /s/open-atlas/: lowercase letters, digits "
            "and hyphens."
        ),
    )
    preset = forms.ChoiceField(
        label=_("Start from"),
        choices=preset_choices,
        initial=DEFAULT_PRESET,
        required=False,
        widget=PresetCards,
        help_text=_("The policy's numbers sized to your community; you can change each later."),
    )
    field_order = [
        "slug",
        "name",
        "description",
        "visibility",
        "participation",
        "licence",
        "preset",
    ]

    def clean_preset(self) -> str:
        return self.cleaned_data.get("preset") or DEFAULT_PRESET


class PresetForm(Form):
    preset = forms.ChoiceField(
        label=_("Preset"),
        choices=preset_choices,
        initial=DEFAULT_PRESET,
        widget=PresetCards,
    )


class PolicyForm(Form):
    policy = forms.CharField(
        label=_("Policy (JSON)"),
        widget=forms.Textarea(attrs={"rows": 18, "spellcheck": "false", "class": "code"}),
        help_text=_("The numbers that govern this space. Unknown keys are refused."),
    )

    @staticmethod
    def text_of(document: dict[str, Any]) -> str:
        return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False)

    def clean_policy(self) -> Any:
        text = self.cleaned_data["policy"]
        try:
            return json.loads(text)
        except ValueError as error:
            raise forms.ValidationError(
                _("This is not valid JSON: %(problem)s"), params={"problem": str(error)}
            ) from None


class MemberAddForm(Form):
    username = forms.CharField(label=_("Person (username)"), max_length=150, required=False)
    organization = forms.CharField(
        label=_("or organization (short name)"), max_length=50, required=False
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=SpaceMembership.Role.choices, initial=SpaceMembership.Role.MEMBER
    )


class InviteForm(Form):
    username = forms.CharField(label=_("Person (username)"), max_length=150)
    role = forms.ChoiceField(
        label=_("Role"), choices=SpaceMembership.Role.choices, initial=SpaceMembership.Role.MEMBER
    )


class RoleForm(Form):
    role = forms.ChoiceField(label=_("Role"), choices=SpaceMembership.Role.choices)


class JoinRequestForm(Form):
    message = forms.CharField(
        label=_("Message to the stewards (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DecisionForm(Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])


#: How long a block lasts, as a steward picks it (MediaWiki's common choices).
BLOCK_DURATIONS = {
    "1d": timedelta(days=1),
    "1w": timedelta(weeks=1),
    "1m": timedelta(days=30),
    "3m": timedelta(days=90),
    "1y": timedelta(days=365),
    "never": None,
}


class BlockForm(Form):
    username = forms.CharField(label=_("Person (username)"), max_length=150)
    duration = forms.ChoiceField(
        label=_("For"),
        choices=[
            ("1d", _("one day")),
            ("1w", _("one week")),
            ("1m", _("one month")),
            ("3m", _("three months")),
            ("1y", _("one year")),
            ("never", _("until lifted")),
        ],
        initial="1w",
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        help_text=_("The blocked person sees it, and it goes on the public log."),
    )

    def expires_at(self) -> datetime | None:
        length = BLOCK_DURATIONS[self.cleaned_data["duration"]]
        return None if length is None else timezone.now() + length
