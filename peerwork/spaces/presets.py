"""Starting policies sized to a community: each preset is a partial policy document.

A preset names only the keys it sizes; every other key keeps its default (docs/space-policy.md
lists each preset's values). A space is created from one and a steward may reset to one later;
both go through the policy actions, so the activity log records the preset by its key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from peerwork.core.errors import Invalid

from .space_policy import policy_validate


@dataclass(frozen=True)
class Preset:
    key: str
    name: str | Promise
    summary: str | Promise
    document: dict[str, Any] = field(default_factory=dict)


PRESETS: dict[str, Preset] = {
    preset.key: preset
    for preset in (
        Preset(
            "small-team",
            _("Small team"),
            _(
                "For a team of up to about thirty people who know each other: a handful of "
                "supporters moves an idea on, and half the members make a quorum."
            ),
            {
                "privileges": {"autoconfirmed_days": 0, "autoconfirmed_edits": 3},
                "ideas": {
                    "support_milestones": [
                        {"supporters": 3, "days": 14},
                        {"supporters": 6, "days": 30},
                    ]
                },
                "tasks": {"claim_days": 7, "warn_days_before": 2, "max_claims_per_person": 3},
                "governance": {"voting_days": 5, "quorum_percent": 50},
                "challenges": {"daily_submissions": 3, "final_submissions": 1},
            },
        ),
        Preset(
            "open-community",
            _("Open community"),
            _(
                "For an open community of a few hundred to a few thousand people: ideas need "
                "tens, then hundreds of supporters, and a tenth of the members make a quorum."
            ),
            {
                "ideas": {
                    "support_milestones": [
                        {"supporters": 10, "days": 30},
                        {"supporters": 50, "days": 90},
                        {"supporters": 250, "days": 180},
                    ]
                },
                "governance": {"voting_days": 7, "quorum_percent": 10},
            },
        ),
        Preset(
            "lego-scale",
            _("LEGO scale"),
            _(
                "For a crowd of many thousands, as on LEGO Ideas: an idea needs 10,000 "
                "supporters to reach review, and there is no quorum."
            ),
            {},
        ),
    )
}

#: The preset a space starts from when none is chosen (docs/decisions/0045).
DEFAULT_PRESET = "open-community"


def preset_choices() -> list[tuple[str, str | Promise]]:
    return [(preset.key, preset.name) for preset in PRESETS.values()]


def preset_get(key: str) -> Preset:
    """The preset called `key`, or Invalid naming the ones there are."""
    try:
        return PRESETS[key]
    except KeyError:
        raise Invalid(
            gettext("Unknown preset '%(preset)s'; choose one of %(choices)s.")
            % {"preset": key, "choices": ", ".join(PRESETS)},
            field="preset",
        ) from None


def merged(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """`base` with `over`'s keys put in, section by section (a list or value replaces)."""
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict) and value:
            out[key] = merged(out[key], value)
        else:
            out[key] = value
    return out


def preset_policy(key: str, document: dict[str, Any] | None = None) -> dict[str, Any]:
    """The full policy of preset `key`, with `document`'s keys put over it, checked."""
    return policy_validate(merged(preset_get(key).document, document or {}))
