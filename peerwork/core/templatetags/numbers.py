"""Counts as the reader's language writes them: `{{ n|number }}` -> "1,000,000" or "1.000.000".

Django groups digits only when USE_THOUSAND_SEPARATOR is on, and then the same way for every
language; CLDR (through Babel) knows each language's separators and its minimum grouping
(Spanish writes 1000 but 10.000)."""

from __future__ import annotations

from babel.numbers import format_decimal, format_percent
from django import template
from django.utils.translation import get_language, to_locale

register = template.Library()

#: A header badge shows at most this number, then "99+"; the full count is in its label.
BADGE_LIMIT = 99


@register.filter
def number(value: int | None) -> str:
    if value is None:
        return ""
    return format_decimal(int(value), locale=to_locale(get_language() or "en"))


@register.filter
def badge(value: int | None) -> str:
    """A count short enough for a badge in a phone-sized header."""
    if value is None:
        return ""
    count = int(value)
    return f"{number(BADGE_LIMIT)}+" if count > BADGE_LIMIT else number(count)


@register.filter
def basis_points(value: int | None) -> str:
    """A share kept in basis points (10,000 make the whole), as the reader's language writes a
    percentage: 4993 -> "49.93%" or "49,93 %"."""
    if value is None:
        return ""
    return format_percent(
        int(value) / 10000, format="#,##0.00%", locale=to_locale(get_language() or "en")
    )
