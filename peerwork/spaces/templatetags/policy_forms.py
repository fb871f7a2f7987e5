"""Filters of the generated policy form (spaces/policy_form.py), whose fields have made-up names."""

from __future__ import annotations

from typing import Any

from django import forms, template

register = template.Library()


@register.filter
def field_named(form: forms.Form, name: str) -> forms.BoundField:
    return form[name]


@register.filter
def lookup(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key, "")
