"""`{% url %}` that remembers what it reversed; installed as a template builtin, so every
template's `{% url %}` is this one.

A signed-in page reverses some twenty-five URLs, and Django's `reverse()` spends tens of
microseconds on each (several thread-local lookups and a pattern walk) to give the same answer
for the same arguments. peerwork's URLs carry no language prefix and no translated segment, so
the answer depends only on the view name, the arguments, the current app, the script prefix
and the URLconf: exactly the key kept here. A changed ROOT_URLCONF (tests override it) clears
the memory, and `tests/core/test_url_tag.py` fails if a language-dependent pattern appears.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

from django import template
from django.core.signals import setting_changed
from django.template import defaulttags
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape

register = template.Library()

_MAX = 8192
_REVERSED: OrderedDict[Hashable, str] = OrderedDict()
_LOCK = threading.Lock()


def reverse_remembered(
    view_name: str,
    args: list[Any] | tuple[Any, ...] = (),
    kwargs: dict[str, Any] | None = None,
    current_app: str | None = None,
) -> str:
    """`reverse()`, remembered for hashable arguments (strings and numbers are)."""
    kwargs = kwargs or {}
    key = (
        view_name,
        tuple(args),
        tuple(sorted(kwargs.items())),
        current_app,
        get_script_prefix(),
        get_urlconf(),
    )
    try:
        with _LOCK:
            found = _REVERSED.get(key)
    except TypeError:  # an unhashable argument: reverse it every time
        return reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)
    if found is not None:
        return found
    url = reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)
    with _LOCK:
        _REVERSED[key] = url
        if len(_REVERSED) > _MAX:
            _REVERSED.popitem(last=False)
    return url


def forget() -> None:
    with _LOCK:
        _REVERSED.clear()


def _on_setting_changed(*, setting: str, **_: Any) -> None:
    if setting == "ROOT_URLCONF":
        forget()


setting_changed.connect(_on_setting_changed)


class RememberedURLNode(defaulttags.URLNode):
    """Django's URLNode, reversing through `reverse_remembered`."""

    def render(self, context: template.Context) -> str:
        args = [arg.resolve(context) for arg in self.args]
        kwargs = {k: v.resolve(context) for k, v in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        try:
            current_app = context.request.current_app  # type: ignore[attr-defined]
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace  # type: ignore[attr-defined]
            except AttributeError:
                current_app = None
        url = ""
        try:
            url = reverse_remembered(view_name, args, kwargs, current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser: template.base.Parser, token: template.base.Token) -> RememberedURLNode:
    node = defaulttags.url(parser, token)
    return RememberedURLNode(node.view_name, node.args, node.kwargs, node.asvar)
