"""The policy document of a space: the numbers that govern it, checked by one schema.

Documented in docs/space-policy.md. Unknown keys and wrong types are refused, naming the key.
Only keys that code reads are here: the work, decision and merit features add theirs (task
claims, votes, reputation thresholds) with the code that reads them. The apps that live in a
space add their own section (`ideas`, `challenges`) with `register_section` from their
apps.py, so this module imports none of them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any, cast

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    ValidationError,
    create_model,
)

from peerwork.core.errors import Invalid

Text = str | Promise
#: a select's options: (value, label) pairs, or a function giving them (read when a form is made).
Choices = Sequence[tuple[str, Text]] | Callable[[], Sequence[tuple[str, Text]]]
#: how a number is shown in the settings form (spaces/policy_form.py): the value is stored as is.
UNITS = ("days", "hours", "percent", "basis_points", "bytes", "minor_units")


def setting(
    default: Any = ...,
    *,
    title: Text,
    help: Text,
    unit: str | None = None,
    choices: Choices | None = None,
    **constraints: Any,
) -> Any:
    """A policy key: pydantic's `Field` with the label and help text a steward reads (translated
    when shown), and how the settings form shows it: a `unit` of UNITS, the `choices` of a text
    key. Every key of every section is declared with this (a test walks the schema)."""
    if unit is not None and unit not in UNITS:
        raise ValueError(f"unknown unit {unit!r}; use one of {UNITS}")
    extra = cast(Any, {"unit": unit, "choices": choices})
    if "default_factory" not in constraints:
        constraints["default"] = default
    return Field(
        title=cast(str, title), description=cast(str, help), json_schema_extra=extra, **constraints
    )


WHO_CONTRIBUTES: Choices = (
    ("contributor", gettext_lazy("Anyone who may contribute to the space")),
    ("member", gettext_lazy("Members")),
    ("steward", gettext_lazy("Stewards only")),
)


class PrivilegeThresholds(BaseModel):
    model_config = ConfigDict(extra="forbid")

    autoconfirmed_days: StrictInt = setting(
        4,
        ge=0,
        le=3650,
        unit="days",
        title=gettext_lazy("Account age to be autoconfirmed"),
        help=gettext_lazy("How long a person's account must exist before it is autoconfirmed."),
    )
    autoconfirmed_edits: StrictInt = setting(
        10,
        ge=0,
        le=100000,
        title=gettext_lazy("Edits to be autoconfirmed"),
        help=gettext_lazy("How many edits a person makes in the space before being autoconfirmed."),
    )


class SpacePolicy(BaseModel):
    model_config = ConfigDict(extra="forbid")

    capitalize_titles: StrictBool = setting(
        True,
        title=gettext_lazy("Capitalize page titles"),
        help=gettext_lazy("Page titles start with a capital letter, as on Wikipedia."),
    )
    privileges: PrivilegeThresholds = setting(
        default_factory=PrivilegeThresholds,
        title=gettext_lazy("New contributors"),
        help=gettext_lazy("When a newcomer's edits stop needing review."),
    )


#: section key -> its schema (every field with a default), in registration order.
_SECTIONS: dict[str, type[BaseModel]] = {}


def register_section(key: str, schema: type[BaseModel]) -> None:
    """Let the policy hold `{key: {...}}`, checked by `schema`, defaults filled in. The schema's
    class attributes `section_title` and `section_help` head its part of the settings form."""
    if key in SpacePolicy.model_fields or _SECTIONS.get(key, schema) is not schema:
        raise RuntimeError(f"space policy section {key!r} registered twice")
    _SECTIONS[key] = schema
    _schema.cache_clear()


def policy_schema() -> type[BaseModel]:
    """The whole document's schema (for the settings form, which walks it)."""
    return _schema()


@functools.cache
def _schema() -> type[BaseModel]:
    """The whole document's schema: the space's own keys and every registered section."""
    sections: dict[str, Any] = {
        key: (
            schema,
            setting(
                default_factory=schema,
                title=getattr(schema, "section_title", key),
                help=getattr(schema, "section_help", ""),
            ),
        )
        for key, schema in _SECTIONS.items()
    }
    return create_model("SpacePolicy", __base__=SpacePolicy, **sections)


def policy_defaults() -> dict[str, Any]:
    return _schema()().model_dump()


def policy_validate(document: Any) -> dict[str, Any]:
    """The full policy (defaults filled in) or Invalid naming the first bad key."""
    if not isinstance(document, dict):
        raise Invalid(_("The policy must be a JSON object of settings."), field="policy")
    try:
        return _schema().model_validate(document).model_dump()
    except ValidationError as error:
        first = error.errors()[0]
        key = ".".join(str(part) for part in first["loc"]) or "policy"
        if first["type"] == "extra_forbidden":
            message = _(
                "Unknown policy key '%(key)s'; see the documented keys in docs/space-policy.md."
            ) % {"key": key}
        else:
            message = _("Policy key '%(key)s': %(problem)s.") % {
                "key": key,
                "problem": first["msg"],
            }
        raise Invalid(message, field="policy", key=key) from None
