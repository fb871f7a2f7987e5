"""Money is stored in minor units and shown and typed as people write it in their language."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation

from peerwork.core.errors import Invalid
from peerwork.core.money import format_money, known_currency, parse_money


def test_amounts_show_in_the_reader_s_language() -> None:
    with translation.override("en"):
        assert format_money(150000, "EUR") == "€1,500.00"
        assert format_money(1500, "JPY") == "¥1,500"
        assert format_money(1234, "KWD") == "KWD1.234"
    with translation.override("es"):
        assert format_money(150000, "EUR") == "1.500,00\xa0€"
        assert format_money(12345678, "USD") == "123.456,78\xa0US$"


def test_the_template_filter_formats_minor_units() -> None:
    template = Template("{% load money %}{{ amount|money:currency }}")
    with translation.override("en"):
        assert template.render(Context({"amount": 50000, "currency": "EUR"})) == "€500.00"


@pytest.mark.parametrize(
    ("language", "text", "currency", "minor"),
    [
        ("en", "1,000.50", "EUR", 100050),
        ("en", "1000", "EUR", 100000),
        ("es", "1.000,50", "EUR", 100050),
        ("en", "1500", "JPY", 1500),
        ("en", "0.125", "KWD", 125),
        ("en", " 7 ", "USD", 700),
    ],
)
def test_typed_amounts_become_minor_units(
    language: str, text: str, currency: str, minor: int
) -> None:
    with translation.override(language):
        assert parse_money(text, currency) == minor


@pytest.mark.parametrize(
    ("text", "currency", "message"),
    [
        ("", "EUR", "Give an amount"),
        ("ten", "EUR", "is not an amount"),
        ("-5", "EUR", "cannot be negative"),
        ("10.005", "EUR", "at most 2 decimals"),
        ("10.5", "JPY", "JPY amounts are whole numbers, without decimals."),
    ],
)
def test_bad_amounts_are_refused_with_a_reason(text: str, currency: str, message: str) -> None:
    with translation.override("en"), pytest.raises(Invalid) as refused:
        parse_money(text, currency, field="prize_pool")
    assert message in refused.value.detail and refused.value.field == "prize_pool"


@pytest.mark.parametrize(
    ("language", "text", "currency", "message"),
    [
        ("en", "10.005", "EUR", "EUR amounts have at most 2 decimals."),
        ("es", "10,005", "EUR", "Los importes en EUR tienen como máximo 2 decimales."),
        ("en", "0.1234", "KWD", "KWD amounts have at most 3 decimals."),
        ("en", "10.5", "JPY", "JPY amounts are whole numbers, without decimals."),
        ("es", "10,5", "JPY", "Los importes en JPY son números enteros, sin decimales."),
    ],
)
def test_too_many_decimals_are_counted_in_the_reader_s_language(
    language: str, text: str, currency: str, message: str
) -> None:
    with translation.override(language), pytest.raises(Invalid) as refused:
        parse_money(text, currency)
    assert refused.value.detail == message


def test_only_real_currency_codes_are_known() -> None:
    assert known_currency("EUR") and known_currency("JPY")
    assert not known_currency("ABC") and not known_currency("")
