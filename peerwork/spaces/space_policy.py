"""The policy document of a space: the numbers that govern it, checked by one schema.

Documented in docs/space-policy.md. Unknown keys and wrong types are refused, naming the key.
Only keys that code reads are here: the work, decision and merit features add theirs (task
claims, votes, reputation thresholds) with the code that reads them. The apps that live in a
space add their own section (`ideas`, `challenges`) with `register_section` from their
apps.py, so this module imports none of them.
"""

from __future__ import annotations

import functools
from typing import Any

from django.utils.translation import gettext as _
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


class PrivilegeThresholds(BaseModel):
    model_config = ConfigDict(extra="forbid")

    autoconfirmed_days: StrictInt = Field(4, ge=0, le=3650)
    autoconfirmed_edits: StrictInt = Field(10, ge=0, le=100000)


class SpacePolicy(BaseModel):
    model_config = ConfigDict(extra="forbid")

    capitalize_titles: StrictBool = True
    privileges: PrivilegeThresholds = Field(default_factory=PrivilegeThresholds)


#: section key -> its schema (every field with a default), in registration order.
_SECTIONS: dict[str, type[BaseModel]] = {}


def register_section(key: str, schema: type[BaseModel]) -> None:
    """Let the policy hold `{key: {...}}`, checked by `schema`, defaults filled in."""
    if key in SpacePolicy.model_fields or _SECTIONS.get(key, schema) is not schema:
        raise RuntimeError(f"space policy section {key!r} registered twice")
    _SECTIONS[key] = schema
    _schema.cache_clear()


@functools.cache
def _schema() -> type[BaseModel]:
    """The whole document's schema: the space's own keys and every registered section."""
    sections: dict[str, Any] = {
        key: (schema, Field(default_factory=schema)) for key, schema in _SECTIONS.items()
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
