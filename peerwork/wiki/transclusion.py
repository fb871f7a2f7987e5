"""Which pages a wikitext transcludes (`{{Name}}`, `{{:Main page}}`), for cascading protection.

peerwork shows templates rather than expanding them, but a cascade-protected page still
protects what it names as a template, as MediaWiki protects what it transcludes."""

from __future__ import annotations

import re
from typing import Any

from .titles import TitleError, normalize_title

TEMPLATE_NAMESPACE = 10
_TRANSCLUSION_RE = re.compile(r"\{\{\s*([^{}|#\n]+?)\s*(?:\||\}\})")


def transcluded_titles(space: Any, text: str) -> set[tuple[int, str]]:
    """(namespace, title) of each page `text` transcludes; parser functions and magic words
    (`{{#if:…}}`, `{{PAGENAME}}`, `{{lc:…}}`) name no page and are left out."""
    capitalize = space.policy.get("capitalize_titles", True)
    found: set[tuple[int, str]] = set()
    for match in _TRANSCLUSION_RE.finditer(text):
        name = match.group(1).strip()
        if not name or name.startswith("#") or name.isupper():
            continue
        try:
            if name.startswith(":"):
                found.add(normalize_title(name[1:], capitalize=capitalize))
                continue
            namespace, title = normalize_title(name, capitalize=capitalize)
            if namespace == 0:
                if ":" in name:
                    continue  # `{{lc:…}}` and other functions, not a page of the main namespace
                namespace, title = normalize_title(f"Template:{name}", capitalize=capitalize)
            found.add((namespace, title))
        except TitleError:
            continue
    return found
