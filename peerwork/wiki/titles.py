"""MediaWiki's title and namespace rules: how peerwork's pages are named.

They belong to the wiki, not to the markup renderer: `core.markup` only needs to split a
[[link]] into a namespace and a title, and asks whatever rules were registered with
`core.markup.register_title_rules` (this module's `MEDIAWIKI_TITLES`, from `wiki/apps.py`).
"""

from __future__ import annotations

import re

__all__ = [
    "CATEGORY_NAMESPACE",
    "MAX_TITLE_BYTES",
    "MEDIAWIKI_TITLES",
    "NAMESPACES",
    "MediaWikiTitles",
    "TitleError",
    "normalize_title",
    "title_text",
]

#: MediaWiki's standard namespaces (numbers as MediaWiki has them, so imports line up).
NAMESPACES: dict[int, str] = {
    0: "",
    1: "Talk",
    2: "User",
    3: "User talk",
    4: "Project",
    5: "Project talk",
    6: "File",
    7: "File talk",
    8: "MediaWiki",
    9: "MediaWiki talk",
    10: "Template",
    11: "Template talk",
    12: "Help",
    13: "Help talk",
    14: "Category",
    15: "Category talk",
}
CATEGORY_NAMESPACE = 14
USER_NAMESPACE = 2
USER_TALK_NAMESPACE = 3
FILE_NAMESPACE = 6

# Prefix (lowercase, spaces) -> namespace number; "Image" is MediaWiki's old name for File.
_NAMESPACE_BY_PREFIX: dict[str, int] = {
    name.lower(): number for number, name in NAMESPACES.items() if name
} | {"image": 6, "image talk": 7}

MAX_TITLE_BYTES = 255

# MediaWiki's title whitespace: underscore, space and the Unicode spaces it folds together.
_WHITESPACE_RE = re.compile(r"[ _\u00a0\u1680\u180e\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")
# Directional marks are invisible and make look-alike titles; MediaWiki drops them.
_DIRECTIONAL_RE = re.compile(r"[\u200e\u200f\u202a-\u202e]")
_FORBIDDEN_RE = re.compile(r"[#<>\[\]|{}\x00-\x1f\x7f\ufffd]")


class TitleError(ValueError):
    """A page title that MediaWiki would refuse; the message says what was wrong."""


def _describe_character(char: str) -> str:
    if char.isprintable() and char != "\ufffd":
        return f"'{char}'"
    return f"U+{ord(char):04X}"


def normalize_title(raw: str, *, capitalize: bool = True) -> tuple[int, str]:
    """Split and normalize a title the way MediaWiki does, so equal titles compare equal.

    Returns ``(namespace, title)`` with spaces (not underscores) in the title. Raises
    `TitleError` for titles MediaWiki would refuse. A '#' is refused here: fragments
    belong to links, which split them off before calling this.
    """
    text = _DIRECTIONAL_RE.sub("", raw)
    forbidden = _FORBIDDEN_RE.search(text)
    if forbidden:
        raise TitleError(f"Titles may not contain {_describe_character(forbidden.group())}.")
    text = _WHITESPACE_RE.sub(" ", text).strip(" ")
    if text.startswith(":"):
        text = text[1:].lstrip(" ")

    namespace = 0
    prefix, colon, rest = text.partition(":")
    if colon:
        number = _NAMESPACE_BY_PREFIX.get(prefix.rstrip(" ").lower())
        if number is not None:
            namespace = number
            text = rest.lstrip(" ")

    if not text:
        raise TitleError("Titles may not be empty.")
    if text.startswith(":"):
        raise TitleError("Titles may not start with ':'.")
    if text in (".", ".."):
        raise TitleError("Titles may not be '.' or '..'.")
    if text.startswith(("./", "../")):
        raise TitleError("Titles may not start with './' or '../'.")
    if "/./" in text or "/../" in text:
        raise TitleError("Titles may not contain '/./' or '/../'.")
    if text.endswith(("/.", "/..")):
        raise TitleError("Titles may not end with '/.' or '/..'.")
    if text.startswith("~~~"):
        raise TitleError("Titles may not start with '~~~'.")
    if capitalize:
        text = text[0].upper() + text[1:]
    size = len(text.encode("utf-8"))
    if size > MAX_TITLE_BYTES:
        raise TitleError(
            f"Titles may be at most {MAX_TITLE_BYTES} bytes long in UTF-8; this one is {size}."
        )
    return namespace, text


def title_text(namespace: int, title: str) -> str:
    """The title as people write it: "Category:Foo bar", or "Foo bar" in the main namespace."""
    prefix = NAMESPACES[namespace]
    return f"{prefix}:{title}" if prefix else title


class MediaWikiTitles:
    """These rules in the shape `core.markup.TitleRules` asks for."""

    category_namespace: int | None = CATEGORY_NAMESPACE

    def parse(self, raw: str, *, capitalize: bool) -> tuple[int, str]:
        return normalize_title(raw, capitalize=capitalize)

    def text(self, namespace: int, title: str) -> str:
        return title_text(namespace, title)


MEDIAWIKI_TITLES = MediaWikiTitles()
