"""The refusals of the pure decision methods and tally engine, in the reader's language.

The methods and the engine raise errors that carry an English template and its params (they
import no Django); the app translates the template here and fills the params in afterwards, so
the Spanish catalog holds one entry per message rather than one per option id or number.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext


def translated(error: Any) -> str:
    """The error's message in the active language; its English text if it has no template
    or the translation does not fit the params (a catalog mistake must not hide the refusal)."""
    template = getattr(error, "template", None)
    params = getattr(error, "params", None)
    if not isinstance(template, str) or not isinstance(params, dict):
        return str(error)
    try:
        return gettext(template) % params
    except (KeyError, TypeError, ValueError):
        return str(error)
