"""Sections of a page's text, numbered as MediaWiki numbers them, for section editing."""

from __future__ import annotations

import pytest

from peerwork.core.errors import Invalid
from peerwork.wiki.sections import (
    append_section,
    parse_section,
    replace_section,
    section_text,
    sections,
)

MARKDOWN = (
    "Intro line.\n"
    "\n"
    "# One\n"
    "one text\n"
    "\n"
    "## One.a\n"
    "```\n"
    "# not a heading\n"
    "```\n"
    "\n"
    "### One.a.i\n"
    "deep\n"
    "\n"
    "Two\n"
    "===\n"
    "two text\n"
    "\n"
    "> # quoted, no section\n"
    "\n"
    "Two.a\n"
    "-----\n"
    "last line\n"
)

WIKITEXT = (
    "Lead text.\n"
    "== First ==\n"
    "first\n"
    "=== Sub ===\n"
    "sub\n"
    "<nowiki>== not ==</nowiki>\n"
    "<!--\n== hidden ==\n-->\n"
    "== Second ==\n"
    "second"
)


def test_markdown_sections_numbers_levels_and_spans():
    found = sections(MARKDOWN)
    assert [(s.number, s.level, s.title, s.anchor, s.setext) for s in found] == [
        (0, 0, "", "", False),
        (1, 1, "One", "one", False),
        (2, 2, "One.a", "onea", False),
        (3, 3, "One.a.i", "oneai", False),
        (4, 1, "Two", "two", True),
        (5, 2, "Two.a", "twoa", True),
    ]
    assert section_text(MARKDOWN, "markdown", 0) == "Intro line.\n\n"
    # A section holds its subsections, up to the next heading of its level or higher.
    assert section_text(MARKDOWN, "markdown", 1) == (
        "# One\none text\n\n## One.a\n```\n# not a heading\n```\n\n### One.a.i\ndeep\n\n"
    )
    assert section_text(MARKDOWN, "markdown", 2) == (
        "## One.a\n```\n# not a heading\n```\n\n### One.a.i\ndeep\n\n"
    )
    assert section_text(MARKDOWN, "markdown", 3) == "### One.a.i\ndeep\n\n"
    assert section_text(MARKDOWN, "markdown", 4) == (
        "Two\n===\ntwo text\n\n> # quoted, no section\n\nTwo.a\n-----\nlast line\n"
    )
    assert section_text(MARKDOWN, "markdown", 5) == "Two.a\n-----\nlast line\n"


def test_sections_cover_the_text_in_order():
    found = sections(MARKDOWN)
    assert found[0].start == 0 and found[-1].end == len(MARKDOWN)
    tops = [s for s in found if s.number == 0 or s.level == 1]
    assert "".join(MARKDOWN[s.start : s.end] for s in tops) == MARKDOWN


def test_text_starting_with_a_heading_has_an_empty_section_zero():
    assert section_text("# Only\nbody\n", "markdown", 0) == ""
    assert section_text("# Only\nbody\n", "markdown", 1) == "# Only\nbody\n"
    assert [s.number for s in sections("no headings at all\n")] == [0]
    assert section_text("", "markdown", 0) == ""


def test_wikitext_sections():
    found = sections(WIKITEXT, "wikitext")
    assert [(s.number, s.level, s.title, s.anchor) for s in found] == [
        (0, 0, "", ""),
        (1, 2, "First", "First"),
        (2, 3, "Sub", "Sub"),
        (3, 2, "Second", "Second"),
    ]
    assert section_text(WIKITEXT, "wikitext", 0) == "Lead text.\n"
    assert section_text(WIKITEXT, "wikitext", 2) == (
        "=== Sub ===\nsub\n<nowiki>== not ==</nowiki>\n<!--\n== hidden ==\n-->\n"
    )
    assert section_text(WIKITEXT, "wikitext", 3) == "== Second ==\nsecond"


def test_duplicate_headings_get_the_renderers_ids():
    assert [s.anchor for s in sections("# A\n# A\n")] == ["", "a", "a-1"]
    assert [s.anchor for s in sections("== A ==\n== A ==\n", "wikitext")] == ["", "A", "A_2"]


def test_out_of_range_is_invalid_naming_section():
    for number in (6, -1):
        with pytest.raises(Invalid) as raised:
            section_text(MARKDOWN, "markdown", number)
        assert raised.value.field == "section"
        assert "sections 0 to 5" in raised.value.detail
    with pytest.raises(Invalid) as raised:
        replace_section("plain\n", "markdown", 1, "## X\n")
    assert raised.value.field == "section"
    with pytest.raises(Invalid):
        parse_section("new")
    assert parse_section(" 3 ") == 3


def test_replace_keeps_every_other_byte():
    new = replace_section(MARKDOWN, "markdown", 3, "### One.a.i\nchanged\n\n")
    assert new == MARKDOWN.replace("### One.a.i\ndeep\n", "### One.a.i\nchanged\n")
    # The same text back changes nothing; a text without its trailing blank line keeps the gap.
    assert replace_section(MARKDOWN, "markdown", 2, section_text(MARKDOWN, "markdown", 2)) == (
        MARKDOWN
    )
    assert replace_section(MARKDOWN, "markdown", 3, "### One.a.i\nchanged") == new


def test_replace_first_last_and_nested():
    assert replace_section(MARKDOWN, "markdown", 0, "New intro.") == MARKDOWN.replace(
        "Intro line.", "New intro."
    )
    last = replace_section(MARKDOWN, "markdown", 5, "Two.a\n-----\nnew end")
    assert last == MARKDOWN[: MARKDOWN.index("Two.a")] + "Two.a\n-----\nnew end\n"
    # Replacing a section replaces its subsections too.
    whole = replace_section(MARKDOWN, "markdown", 1, "# One\nflat\n")
    assert whole == "Intro line.\n\n# One\nflat\n\n" + MARKDOWN[MARKDOWN.index("Two\n===") :]
    assert [s.title for s in sections(whole)] == ["", "One", "Two", "Two.a"]


def test_replace_before_a_setext_heading_keeps_it_a_heading():
    text = "## A\nSetext\n======\nbody\n"
    new = replace_section(text, "markdown", 1, "## A\nparagraph")
    assert new == "## A\nparagraph\n\nSetext\n======\nbody\n"
    assert [s.title for s in sections(new)] == ["", "A", "Setext"]


def test_the_last_line_end_is_kept_or_taken_from_the_new_text():
    assert replace_section("", "markdown", 0, "Fresh\n") == "Fresh\n"
    assert replace_section("# A\nold", "markdown", 1, "# A\nnew\n") == "# A\nnew\n"
    assert replace_section("# A\nold\n", "markdown", 1, "# A\nnew") == "# A\nnew\n"


def test_empty_replacement_removes_the_section():
    assert replace_section("a\n# X\nx\n# Y\ny\n", "markdown", 1, "") == "a\n# Y\ny\n"


def test_wikitext_replace():
    new = replace_section(WIKITEXT, "wikitext", 1, "== First ==\nonly this\n")
    assert new == "Lead text.\n== First ==\nonly this\n== Second ==\nsecond"
    assert replace_section(WIKITEXT, "wikitext", 3, "== Second ==\n2nd") == (
        WIKITEXT.replace("second", "2nd")
    )


def test_append_section():
    assert append_section("text\n", "markdown", "New", "body") == "text\n\n## New\n\nbody\n"
    assert append_section("text", "wikitext", "New", "body\n") == "text\n\n== New ==\n\nbody\n"
    assert append_section("text\n\n", "markdown", "Line\nbreak", "") == "text\n\n## Line break\n"
    assert append_section("", "markdown", "First", "hello") == "## First\n\nhello\n"
    assert append_section("a\n", "markdown", "", "no heading") == "a\n\nno heading\n"
    appended = append_section(MARKDOWN, "markdown", "Six", "six")
    assert appended.startswith(MARKDOWN)
    assert section_text(appended, "markdown", 6) == "## Six\n\nsix\n"
