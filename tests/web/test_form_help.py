"""Help texts are shown as HTML by Django's field template, so one written with angle brackets
("/s/<short name>/") would lose its words to an unknown tag."""

from __future__ import annotations

import importlib
import pkgutil

from django import forms

import peerwork


def _all_form_classes() -> list[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(peerwork.__path__, "peerwork."):
        if module.name.endswith(".forms"):
            importlib.import_module(module.name)
    found: list[type[forms.BaseForm]] = []
    pending: list[type] = [forms.BaseForm]
    while pending:
        cls = pending.pop()
        for sub in cls.__subclasses__():
            pending.append(sub)
            if sub.__module__.startswith("peerwork."):
                found.append(sub)
    return found


def test_no_help_text_holds_markup() -> None:
    classes = _all_form_classes()
    assert len(classes) > 10
    offenders = [
        f"{cls.__module__}.{cls.__name__}.{name}"
        for cls in classes
        for name, field in cls.base_fields.items()
        if "<" in str(field.help_text) or ">" in str(field.help_text)
    ]
    assert offenders == []
