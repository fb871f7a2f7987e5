"""Amounts of money: stored as integers in the currency's minor unit (cents, or yen itself), and
shown and typed as people write them, in their language (Babel's CLDR data)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from babel.numbers import (
    NumberFormatError,
    format_currency,
    format_decimal,
    get_currency_precision,
    is_currency,
    parse_decimal,
)
from django.utils.translation import get_language, ngettext, to_locale
from django.utils.translation import gettext as _

from .errors import Invalid


def _locale() -> str:
    return to_locale(get_language() or "en")


def known_currency(code: str) -> bool:
    """An ISO 4217 code that CLDR knows (EUR, USD, JPY ...)."""
    return bool(code) and is_currency(code)


def minor_digits(currency: str) -> int:
    """Digits after the decimal point: 2 for EUR, 0 for JPY, 3 for KWD."""
    return get_currency_precision(currency)


def to_major(amount: int, currency: str) -> Decimal:
    return Decimal(amount).scaleb(-minor_digits(currency))


def format_money(amount: int, currency: str) -> str:
    """`30000, "EUR"` -> "€300.00" in English, "300,00 €" in Spanish."""
    return format_currency(to_major(amount, currency), currency, locale=_locale())


def amount_example(currency: str = "EUR") -> str:
    """An amount as the reader's language writes it, for help texts: "1,234.50" in English,
    "1.234,50" in Spanish ("1,234" for a currency without decimals)."""
    digits = minor_digits(currency) if known_currency(currency) else 2
    pattern = "#,##0." + "0" * digits if digits else "#,##0"
    return format_decimal(Decimal("1234.5"), format=pattern, locale=_locale())


def parse_money(text: str, currency: str, *, field: str = "amount") -> int:
    """What a person typed ("1,000.50" in English, "1.000,50" in Spanish) in minor units.

    Refuses negative amounts and more decimals than the currency has, rather than rounding
    someone's prize away, and a separator in the wrong place ("1,50" in English, "1.5" in
    Spanish) rather than guessing which mark was meant. Spaces between digit groups are read
    as grouping ("1 500")."""
    cleaned = "".join((text or "").split()).replace("\u00a0", "").replace("\u202f", "")
    example = amount_example(currency)
    if not cleaned:
        raise Invalid(_("Give an amount, such as %(example)s.") % {"example": example}, field=field)
    try:
        value = parse_decimal(cleaned, locale=_locale(), strict=True)
    except (NumberFormatError, InvalidOperation):
        raise Invalid(
            _("“%(text)s” is not an amount; write it as %(example)s.")
            % {"text": text.strip(), "example": example},
            field=field,
        ) from None
    if value < 0:
        raise Invalid(_("An amount cannot be negative."), field=field)
    digits = minor_digits(currency)
    minor = value.scaleb(digits)
    if minor != minor.to_integral_value():
        raise Invalid(_decimals_refused(currency, digits), field=field)
    return int(minor)


def _decimals_refused(currency: str, digits: int) -> str:
    """Why an amount with more decimals than its currency has is refused (JPY has none)."""
    if not digits:
        return _("%(currency)s amounts are whole numbers, without decimals.") % {
            "currency": currency
        }
    return ngettext(
        "%(currency)s amounts have at most %(digits)s decimal.",
        "%(currency)s amounts have at most %(digits)s decimals.",
        digits,
    ) % {"currency": currency, "digits": digits}


def money_input(amount: int, currency: str) -> str:
    """An amount as a form shows it for editing: the number alone, in the reader's language
    ("1500.50", "1500,50"), which `parse_money` reads back to the same minor units."""
    digits = minor_digits(currency)
    pattern = "0." + "0" * digits if digits else "0"
    return format_decimal(to_major(amount, currency), format=pattern, locale=_locale())


def split_exact(amount: int, weights: Sequence[int]) -> list[int]:
    """`amount` split in proportion to `weights` by largest remainder; shares sum to amount.

    Remainder units go to the largest fractional parts, ties to the earlier position.
    """
    if amount < 0:
        raise ValueError("amount must not be negative")
    if not weights or any(weight < 0 for weight in weights) or sum(weights) == 0:
        raise ValueError("weights must be non-negative and not all zero")
    total = sum(weights)
    exact = [Fraction(amount * weight, total) for weight in weights]
    shares = [int(part) for part in exact]  # floor: all parts are non-negative
    left = amount - sum(shares)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - shares[i]), i))
    for index in order[:left]:
        shares[index] += 1
    return shares
