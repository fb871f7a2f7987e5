"""`{% can "ledger.view" space as visible %}`: the one permission door, asked from a template,
so a link to what the reader may not open is not shown at all."""

from __future__ import annotations

from typing import Any

from django import template

from peerwork.core import policy

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context: Any, action: str, obj: Any = None) -> bool:
    request = context.get("request")
    return policy.can(getattr(request, "user", None), action, obj)
