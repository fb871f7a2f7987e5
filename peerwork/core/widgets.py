"""Form widgets shared by the apps."""

from __future__ import annotations

from typing import Any

from django import forms


class MarkupTextarea(forms.Textarea):
    """A text area for Markdown (the one renderer, peerwork.core.markup) with a line saying what
    it takes, a link to the markup help and a formatting toolbar (core/_markup_editor.html)."""

    template_name = "core/widgets/markup_textarea.html"

    def __init__(self, attrs: dict[str, Any] | None = None, *, compact: bool = False) -> None:
        super().__init__({"spellcheck": "true", **(attrs or {})})
        self.compact = compact

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        if widget_attrs.get("id"):
            described = widget_attrs.get("aria-describedby", "")
            widget_attrs["aria-describedby"] = f"{widget_attrs['id']}-markup {described}".strip()
        context["widget"]["compact"] = self.compact
        return context
