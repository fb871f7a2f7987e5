"""Checks of typed text shared by every app's actions, so the same mistake reads the same."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .errors import Invalid


def clean_text(value: str, field: str, *, limit: int, required: bool = True) -> str:
    """`value` stripped, or Invalid on `field` when it is missing (if required) or too long."""
    value = (value or "").strip()
    if required and not value:
        raise Invalid(_("This field is required."), field=field)
    if len(value) > limit:
        raise Invalid(
            ngettext(
                "At most %(limit)d character, please.",
                "At most %(limit)d characters, please.",
                limit,
            )
            % {"limit": limit},
            field=field,
        )
    return value
