"""The markup help page's examples: each one's source, rendered live by the one renderer
(peerwork.core.markup), so the page always shows what the renderer really does."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .markup import render_markdown


@dataclass(frozen=True)
class Example:
    slug: str
    title: str
    note: str
    source: str
    html: str


def _sources() -> list[tuple[str, str, str, str]]:
    """(slug, title, note, source) of each example, in the reader's language."""
    return [
        (
            "headings",
            _("Headings"),
            _("One # per level; a page's sections start at ##. Each heading gets an anchor."),
            "## " + _("Where we meet") + "\n\n### " + _("In winter"),
        ),
        (
            "emphasis",
            _("Bold, italic and code"),
            _("Two stars for bold, one for italic, two tildes to strike, backquotes for code."),
            _("**Bold**, *italic*, ~~struck out~~ and `code`."),
        ),
        (
            "links",
            _("Links"),
            _(
                "Two square brackets link to a page of the same space: after a bar, the words "
                "shown; after #, a section. A web address goes in round brackets."
            ),
            "[["
            + _("Meeting notes")
            + "]], [["
            + _("Meeting notes")
            + "|"
            + _("the notes")
            + "]], [["
            + _("Meeting notes")
            + "#"
            + _("Decisions")
            + "]]\n\n["
            + _("A web page")
            + "](https://example.org)",
        ),
        (
            "lists",
            _("Lists"),
            _("A dash starts an item, a number a numbered one; [ ] and [x] make a checklist."),
            "- "
            + _("Bread")
            + "\n- "
            + _("Milk")
            + "\n\n1. "
            + _("First")
            + "\n2. "
            + _("Second")
            + "\n\n- [x] "
            + _("Room booked")
            + "\n- [ ] "
            + _("Agenda sent"),
        ),
        (
            "categories",
            _("Categories"),
            _(
                "A link to the Category namespace shows nothing where it is written: it files "
                "the page in that category, listed at the foot of the page."
            ),
            _("A page about the budget.") + "\n\n[[" + _("Category:Budgets") + "]]",
        ),
        (
            "tables",
            _("Tables"),
            _("Cells between bars; a line of dashes under the header, a colon to align."),
            "| "
            + _("Item")
            + " | "
            + _("Cost")
            + " |\n|---|---:|\n| "
            + _("Lamps")
            + " | 300 |\n| "
            + _("Benches")
            + " | 1200 |",
        ),
        (
            "quotes",
            _("Quotes, code blocks and footnotes"),
            _("> quotes a paragraph; three backquotes fence a block of code; [^1] a footnote."),
            "> "
            + _("A quoted sentence.")
            + '\n\n```\nprint("hello")\n```\n\n'
            + _("A claim.")
            + "[^1]\n\n[^1]: "
            + _("Its source."),
        ),
    ]


def markup_examples() -> list[Example]:
    return [
        Example(slug, title, note, source, render_markdown(source).html)
        for slug, title, note, source in _sources()
    ]
