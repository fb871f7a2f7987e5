"""`{% load people %}{{ challenge.posted_by|person }}` -> "Ada Lovelace" (the display name, with
the username beside it only where two people share it; peerwork.accounts.names)."""

from __future__ import annotations

from typing import Any

from django import template

from peerwork.accounts.names import person_name

register = template.Library()


@register.filter
def person(someone: Any) -> str:
    if someone is None or someone == "":
        return ""
    if not hasattr(someone, "display_name"):
        return str(someone)
    return person_name(someone)
