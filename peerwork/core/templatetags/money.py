"""`{% load money %}{{ challenge.prize_pool|money:challenge.currency }}` -> "€1,500.00"."""

from __future__ import annotations

from django import template

from peerwork.core.money import format_money

register = template.Library()


@register.filter
def money(amount: int | None, currency: str) -> str:
    if amount is None:
        return ""
    return format_money(int(amount), currency)
