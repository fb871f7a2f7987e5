"""A privilege by the name its policy setting gives it, not its key."""

from __future__ import annotations

from django import template

from peerwork.reputation.policy_schema import privilege_label as label

register = template.Library()


@register.filter
def privilege_label(key: str) -> str:
    return label(key)
