"""A page's text cut into sections, numbered the way MediaWiki numbers them.

Section 0 is the text before the first heading; then each heading in order, its section
running until the next heading of the same or a higher level, so it holds its subsections.
Section editing and the MediaWiki API's `section=`/`rvsection=` read and write through here.

Markdown headings (ATX and setext) are found by the project's one parser, so a `#` inside a
fenced code block is no heading; only headings at the top level of the document count (one
inside a quote or a list item cannot start a section). Wikitext headings are
mwparserfromhell's top-level `== h ==` nodes, so one inside a template, a comment or
`<nowiki>` is none either. Texts have '\\n' line ends (`actions.clean_text`); replacing a
section keeps every other byte of the text as it was.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

import mwparserfromhell
from django.utils.translation import gettext as _
from mwparserfromhell import nodes

from peerwork.core.errors import Invalid
from peerwork.core.markup import _MARKDOWN

from .wikitext import unique_anchor

__all__ = [
    "Section",
    "append_section",
    "new_section_heading",
    "parse_section",
    "replace_section",
    "section_at",
    "section_text",
    "sections",
    "sections_of_stored",
]


@dataclass(frozen=True)
class Section:
    """One section: its number, heading (level 0 and "" for section 0) and where it lies."""

    number: int
    level: int
    title: str
    #: The id the renderer gives the heading (what `#fragment` links reach); "" for section 0.
    anchor: str
    start: int
    end: int
    #: A Markdown heading underlined with === or --- (it needs a blank line before it).
    setext: bool = False


@dataclass(frozen=True)
class _Heading:
    level: int
    title: str
    anchor: str
    start: int
    setext: bool = False


def _markdown_headings(text: str) -> list[_Heading]:
    tokens = _MARKDOWN.parse(text, {})
    line_starts = [0]
    for index, char in enumerate(text):
        if char == "\n":
            line_starts.append(index + 1)
    headings: list[_Heading] = []
    for index, token in enumerate(tokens):
        if token.type != "heading_open" or token.level != 0 or token.map is None:
            continue
        inline = tokens[index + 1] if index + 1 < len(tokens) else None
        headings.append(
            _Heading(
                level=int(token.tag[1]),
                title=inline.content.strip() if inline is not None else "",
                anchor=str(token.attrs.get("id", "")),
                start=line_starts[token.map[0]],
                setext=token.markup in ("=", "-"),
            )
        )
    return headings


def _wikitext_headings(text: str) -> list[_Heading]:
    headings: list[_Heading] = []
    anchors: set[str] = set()
    offset = 0
    for node in mwparserfromhell.parse(text).nodes:
        if isinstance(node, nodes.Heading):
            title = node.title.strip_code().strip()
            # The same ids as wikitext.py's renderer gives its headings (MediaWiki's).
            anchor = unique_anchor(title, anchors)
            headings.append(_Heading(max(1, min(6, node.level)), title, anchor, offset))
        offset += len(str(node))
    return headings


def sections(text: str, content_model: str = "markdown") -> list[Section]:
    """Every section of the text, section 0 first (possibly empty)."""
    if content_model == "wikitext":
        headings = _wikitext_headings(text)
    else:
        headings = _markdown_headings(text)
    first = headings[0].start if headings else len(text)
    found = [Section(0, 0, "", "", 0, first)]
    for index, heading in enumerate(headings):
        end = len(text)
        for later in headings[index + 1 :]:
            if later.level <= heading.level:
                end = later.start
                break
        found.append(
            Section(
                number=index + 1,
                level=heading.level,
                title=heading.title,
                anchor=heading.anchor,
                start=heading.start,
                end=end,
                setext=heading.setext,
            )
        )
    return found


_STORED: OrderedDict[tuple[str, str], tuple[Section, ...]] = OrderedDict()
_STORED_LOCK = threading.Lock()
_STORED_MAX = 1024


def sections_of_stored(sha1: str, text: str, content_model: str) -> tuple[Section, ...]:
    """`sections()` of a stored text, remembered by its SHA-1: a page view with [edit] links
    would otherwise parse the whole text on every request, though a stored text never changes.
    Only the small section list is kept (the most recent 1024 texts per process), never the
    text."""
    key = (sha1, content_model)
    with _STORED_LOCK:
        found = _STORED.get(key)
        if found is not None:
            _STORED.move_to_end(key)
            return found
    found = tuple(sections(text, content_model))
    with _STORED_LOCK:
        _STORED[key] = found
        if len(_STORED) > _STORED_MAX:
            _STORED.popitem(last=False)
    return found


def parse_section(value: str | int) -> int:
    """A section number as a form or URL sends it; anything else is refused naming `section`."""
    text = str(value).strip()
    if not text.isdigit() or len(text) > 9:
        raise Invalid(
            _("The section must be a number: 0 for the text before the first heading."),
            field="section",
        )
    return int(text)


def _section(text: str, content_model: str, number: int) -> tuple[Section, list[Section]]:
    found = sections(text, content_model)
    if number < 0 or number >= len(found):
        raise Invalid(
            _("There is no section %(section)s: this text has sections 0 to %(last)s.")
            % {"section": number, "last": len(found) - 1},
            field="section",
        )
    return found[number], found


def section_at(text: str, content_model: str, number: int) -> Section:
    """Section `number` of the text; a number the text has no section for is refused."""
    return _section(text, content_model, number)[0]


def section_text(text: str, content_model: str, number: int) -> str:
    """The text of section `number`, its heading line included (section 0 has none)."""
    section, _found = _section(text, content_model, number)
    return text[section.start : section.end]


def replace_section(text: str, content_model: str, number: int, new_text: str) -> str:
    """The text with section `number` replaced by `new_text`; every other byte stays.

    The blank lines that ended the old section stay between it and the next one (an editor
    often drops trailing line ends), and an empty `new_text` removes the section, as
    MediaWiki does.
    """
    section, found = _section(text, content_model, number)
    before, old, after = (
        text[: section.start],
        text[section.start : section.end],
        text[section.end :],
    )
    if new_text == old:
        return text
    body = new_text.rstrip("\n")
    if not body.strip():
        return before + after
    trailing = old[len(old.rstrip("\n")) :]
    if not after and not trailing:
        trailing = new_text[len(body) :]  # the end of a text without a final line end: theirs
    if after:
        following = next((s for s in found if s.start == section.end and s.number), None)
        # A paragraph line right above "Title\n===" would become part of that heading.
        needed = 2 if following is not None and following.setext else 1
        if len(trailing) < needed:
            trailing = "\n" * needed
    return before + body + trailing + after


def new_section_heading(content_model: str, title: str) -> str:
    """A level-2 heading, as MediaWiki writes a new section's."""
    title = " ".join(title.split())
    return f"== {title} ==" if content_model == "wikitext" else f"## {title}"


def append_section(text: str, content_model: str, title: str, body: str) -> str:
    """The text with a new section at its end (`section=new`): a level-2 heading with `title`
    (none when it is empty), then `body`. The existing text stays byte for byte."""
    body = body.strip("\n")
    parts = [new_section_heading(content_model, title)] if title.strip() else []
    if body:
        parts.append(body)
    block = "\n\n".join(parts) + "\n" if parts else ""
    if not text.strip():
        return block
    if text.endswith("\n\n"):
        return text + block
    return text + ("\n" if text.endswith("\n") else "\n\n") + block
