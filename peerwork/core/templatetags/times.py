"""`{% load times %}{{ challenge.closes_at|when }}` -> "Dec. 7, 2026, 4:30 p.m. (Europe/Madrid)"."""

from __future__ import annotations

from datetime import datetime

from django import template

from peerwork.core.times import format_when

register = template.Library()


@register.filter
def when(value: datetime | None) -> str:
    if not isinstance(value, datetime):
        return ""
    return format_when(value)
