"""What the data of the verbs this app registers says (people, organizations, spaces, pages,
comments, webhooks): see sentences.py. Imported from ActivityConfig.ready, once models load."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from peerwork.accounts.models import EMAIL_NOTIFICATIONS, ApiToken, OrganizationMembership, User
from peerwork.spaces.models import LICENCES, Space, SpaceMembership
from peerwork.spaces.presets import preset_choices
from peerwork.spaces.space_policy import policy_schema

from .sentences import Field, You, address, describe, describe_target, join_words

PERSON = Field(_("person"), "person")
SPACE_ROLE = Field(_("role"), "status", choices=SpaceMembership.Role.choices)
ORGANIZATION_ROLE = Field(_("role"), "status", choices=OrganizationMembership.Role.choices)
REASON = Field(_("reason"), "quote")
SUMMARY = Field(_("summary"), "quote")


def _settings_changed(section: str) -> Any:
    """A policy change names the settings of a section it changed, by their labels on the
    policy form; their values are too many and too nested to list in a line (the space's
    policy page shows them)."""

    def render(value: Any, data: Any, names: Any) -> str:
        if not (isinstance(value, dict) and isinstance(value.get("old"), dict)):
            return ""
        old, new = value["old"], value.get("new") or {}
        changed = [key for key in {**old, **new} if old.get(key) != new.get(key)]
        # In the form's order: PostgreSQL's jsonb keeps keys in an order of its own.
        order = list(_section_fields(section))
        changed.sort(key=lambda key: (order.index(key) if key in order else len(order), key))
        return join_words(_setting_title(section, key) for key in changed)

    return render


def _section_fields(section: str) -> dict[str, Any]:
    schema = policy_schema().model_fields.get(section)
    return getattr(schema.annotation, "model_fields", {}) if schema else {}


def _setting_title(section: str, key: str) -> str:
    fields = _section_fields(section)
    title = fields[key].title if key in fields else None
    return str(title).lower() if title else key.replace("_", " ")


POLICY_SECTIONS = {
    "ideas": _("ideas policy"),
    "tasks": _("tasks policy"),
    "challenges": _("challenges policy"),
    "governance": _("governance policy"),
    "ledger": _("ledger policy"),
    "wiki": _("wiki policy"),
    "discussions": _("discussions policy"),
}


describe_target("accounts.user", _("person"))
describe_target("accounts.organization", _("organization"))
describe_target("accounts.apitoken", _("API token"))
describe_target("spaces.space", _("space"))

describe("user:signed_up")
describe("user:password_changed")
describe(
    "user:profile_updated",
    display_name=Field(_("display name")),
    bio=Field(_("about"), "quote"),
    skills=Field(_("skills"), "words"),
)
describe(
    "user:settings_changed",
    languages=Field(_("languages"), "words"),
    language=Field(_("interface language"), "status", choices=settings.LANGUAGES),
    time_zone=Field(_("time zone")),
    time_zone_visibility=Field(
        _("who sees the time zone"), "status", choices=User.Visibility.choices
    ),
    languages_visibility=Field(
        _("who sees the languages"), "status", choices=User.Visibility.choices
    ),
)
describe(
    "token:created",
    name=Field(_("name"), "quote"),
    scope=Field(_("access"), "status", choices=ApiToken.Scope.choices),
)
describe("token:revoked", name=Field(_("name"), "quote"))
describe("user:password_reset")
describe("user:email_changed")
describe("user:email_verified")
describe(
    "user:email_notifications_changed",
    email_notifications=Field(
        _("notifications by email"),
        "status",
        choices=EMAIL_NOTIFICATIONS,
    ),
)
describe("organization:created", name=Field(_("name")))
describe(
    "organization:updated", name=Field(_("name")), description=Field(_("description"), "quote")
)
describe("organization:member_added", user=PERSON, role=ORGANIZATION_ROLE)
describe("organization:member_role_changed", user=PERSON, role=ORGANIZATION_ROLE)
describe("organization:member_removed", user=PERSON)
for _what in ("sent", "accepted", "declined", "cancelled"):
    describe(f"organization:invitation_{_what}", user=PERSON, role=ORGANIZATION_ROLE)
    describe(f"space:invitation_{_what}", user=PERSON, role=SPACE_ROLE)

SPACE_SETTINGS = {
    "name": Field(_("name")),
    "description": Field(_("description"), "quote"),
    "visibility": Field(_("who may read"), "status", choices=Space.Visibility.choices),
    "participation": Field(_("who may contribute"), "status", choices=Space.Participation.choices),
    "licence": Field(_("licence"), "status", choices=LICENCES),
}
PRESET = Field(_("preset"), "status", choices=preset_choices())
describe("space:created", **SPACE_SETTINGS, preset=PRESET)
describe("space:updated", **SPACE_SETTINGS)
describe(
    "space:policy_updated",
    preset=PRESET,
    **{
        key: Field(label, "custom", render=_settings_changed(key))
        for key, label in POLICY_SECTIONS.items()
    },
)
describe("space:member_added", user=PERSON, organization=Field(_("organization")), role=SPACE_ROLE)
describe(
    "space:member_role_changed", user=PERSON, organization=Field(_("organization")), role=SPACE_ROLE
)
describe(
    "space:member_bot_changed",
    user=PERSON,
    bot=Field(
        _("bot account"),
        "custom",
        render=lambda value, data, names: (
            str(_("yes") if value.get("new") else _("no")) if isinstance(value, dict) else ""
        ),
    ),
)
describe(
    "space:member_removed", user=PERSON, organization=Field(_("organization")), role=SPACE_ROLE
)
describe("space:member_left")
describe("space:blocked", user=PERSON, reason=REASON, expires_at=Field(_("until")))
describe("space:unblocked", user=PERSON, reason=REASON)
describe("space:joined")
describe("space:join_requested")
describe("space:join_approved", user=PERSON)
describe("space:join_rejected", user=PERSON)
describe("space:join_withdrawn")

PAGE = {
    "summary": SUMMARY,
    "size_delta": Field(_("bytes changed"), "count"),
    "minor": Field(
        _("minor edit"), "custom", render=lambda value, data, names: str(_("yes")) if value else ""
    ),
}
describe("page:created", **PAGE)
describe("page:edited", **PAGE)
describe("page:moved", summary=SUMMARY, reason=REASON)
describe("page:deleted", reason=REASON)
describe("page:restored", reason=REASON)
describe("page:protected", reason=REASON)
describe("title:protected", reason=REASON)
describe("page:imported", summary=SUMMARY)
describe("revision:reviewed")
describe("tag:created", reason=REASON)
describe("tag:activated", reason=REASON)
describe("tag:deactivated", reason=REASON)
describe("tag:deleted", reason=REASON)
describe("change:tagged", reason=REASON)
describe("page:watched")
describe("page:unwatched")
describe("comment:posted")
describe("comment:edited")
describe("comment:deleted", reason=REASON)
describe("webhook:created", host=Field(_("address")), verbs=Field(_("events"), "words"))
describe("webhook:deleted", host=Field(_("address")))
describe("webhook:redelivered")


# What the people told of a page's change read: they watch the page.
address(
    "page:created",
    lambda event, you, names, loaded: You(_("%(actor)s created %(object)s, which you watch")),
)
address(
    "page:edited",
    lambda event, you, names, loaded: You(_("%(actor)s edited %(object)s, which you watch")),
)
