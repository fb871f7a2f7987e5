"""MediaWiki's title and namespace rules (peerwork/wiki/titles.py), and that the markup
renderer follows them once the wiki registered them."""

from __future__ import annotations

import pytest

from peerwork.core import markup
from peerwork.core.markup import PlainTitles, WikiLink, register_title_rules, render_markdown
from peerwork.wiki.titles import (
    MEDIAWIKI_TITLES,
    NAMESPACES,
    TitleError,
    normalize_title,
    title_text,
)

# --------------------------------------------------------------------------- titles


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Foo", (0, "Foo")),
        ("foo bar", (0, "Foo bar")),
        ("foo_bar", (0, "Foo bar")),
        ("Foo__bar", (0, "Foo bar")),
        ("  foo \u00a0 _ bar  ", (0, "Foo bar")),
        ("Foo\u3000bar", (0, "Foo bar")),
        ("_Foo_", (0, "Foo")),
        (":Foo", (0, "Foo")),
        (" : foo", (0, "Foo")),
        ("Foo\u200ebar", (0, "Foobar")),
        ("Category:Birds", (14, "Birds")),
        ("category:birds", (14, "Birds")),
        ("CATEGORY:birds", (14, "Birds")),
        (":Category:Birds", (14, "Birds")),
        ("Category : Birds", (14, "Birds")),
        ("User_talk:Ada", (3, "Ada")),
        ("user talk:ada lovelace", (3, "Ada lovelace")),
        ("User__talk:Ada", (3, "Ada")),
        ("Talk:Foo", (1, "Foo")),
        ("Template:Infobox", (10, "Infobox")),
        ("Help talk:x", (13, "X")),
        ("Category talk:Birds", (15, "Birds")),
        ("Image:Cat.jpg", (6, "Cat.jpg")),
        ("Project:About", (4, "About")),
        ("Nonsense:Foo", (0, "Nonsense:Foo")),
        ("foo:bar", (0, "Foo:bar")),
        ("Talk:Category:Foo", (1, "Category:Foo")),
        ("ñandú", (0, "Ñandú")),
        ("über alles", (0, "Über alles")),
        ("category:éclair", (14, "Éclair")),
        ("ωmega", (0, "Ωmega")),
        ("1984", (0, "1984")),
        ("a/b/c", (0, "A/b/c")),
        ("Foo.", (0, "Foo.")),
        ("...", (0, "...")),
        ("~~Foo", (0, "~~Foo")),
    ],
)
def test_normalize_title(raw: str, expected: tuple[int, str]) -> None:
    assert normalize_title(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("foo_bar", (0, "foo bar")),
        ("ñandú", (0, "ñandú")),
        ("category:birds", (14, "birds")),
        ("user_talk:ada", (3, "ada")),
        ("iPhone", (0, "iPhone")),
    ],
)
def test_normalize_title_without_capitalization(raw: str, expected: tuple[int, str]) -> None:
    assert normalize_title(raw, capitalize=False) == expected


@pytest.mark.parametrize(
    ("raw", "named"),
    [
        ("Foo#bar", "'#'"),
        ("a<b", "'<'"),
        ("a>b", "'>'"),
        ("a[b", "'['"),
        ("a]b", "']'"),
        ("a|b", "'|'"),
        ("a{b", "'{'"),
        ("a}b", "'}'"),
        ("a\x00b", "U+0000"),
        ("a\tb", "U+0009"),
        ("a\nb", "U+000A"),
        ("a\x1fb", "U+001F"),
        ("a\x7fb", "U+007F"),
        ("a\ufffdb", "U+FFFD"),
    ],
)
def test_forbidden_characters_are_named(raw: str, named: str) -> None:
    with pytest.raises(TitleError) as error:
        normalize_title(raw)
    assert str(error.value) == f"Titles may not contain {named}."


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "Titles may not be empty."),
        ("   ", "Titles may not be empty."),
        ("___", "Titles may not be empty."),
        (":", "Titles may not be empty."),
        ("Category:", "Titles may not be empty."),
        ("User talk: _ ", "Titles may not be empty."),
        ("::Foo", "Titles may not start with ':'."),
        ("Talk::Foo", "Titles may not start with ':'."),
        (".", "Titles may not be '.' or '..'."),
        ("..", "Titles may not be '.' or '..'."),
        ("Talk:..", "Titles may not be '.' or '..'."),
        ("./Foo", "Titles may not start with './' or '../'."),
        ("../Foo", "Titles may not start with './' or '../'."),
        ("Foo/./Bar", "Titles may not contain '/./' or '/../'."),
        ("Foo/../Bar", "Titles may not contain '/./' or '/../'."),
        ("Foo/.", "Titles may not end with '/.' or '/..'."),
        ("Foo/..", "Titles may not end with '/.' or '/..'."),
        ("~~~", "Titles may not start with '~~~'."),
        ("~~~~Signed", "Titles may not start with '~~~'."),
    ],
)
def test_invalid_titles(raw: str, message: str) -> None:
    with pytest.raises(TitleError) as error:
        normalize_title(raw)
    assert str(error.value) == message


def test_title_length_is_counted_in_utf8_bytes() -> None:
    assert normalize_title("A" * 255) == (0, "A" * 255)
    assert normalize_title("Category:" + "b" * 255) == (14, "B" + "b" * 254)
    assert normalize_title("é" * 127 + "a") == (0, "É" + "é" * 126 + "a")  # 255 bytes
    with pytest.raises(TitleError) as error:
        normalize_title("A" * 256)
    assert str(error.value) == "Titles may be at most 255 bytes long in UTF-8; this one is 256."
    with pytest.raises(TitleError) as error:
        normalize_title("é" * 128)  # 128 characters, 256 bytes
    assert str(error.value) == "Titles may be at most 255 bytes long in UTF-8; this one is 256."


def test_title_error_is_a_value_error() -> None:
    assert issubclass(TitleError, ValueError)


def test_namespaces_and_title_text() -> None:
    assert NAMESPACES == {
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
    assert title_text(0, "Foo bar") == "Foo bar"
    assert title_text(14, "Foo bar") == "Category:Foo bar"
    assert title_text(3, "Ada") == "User talk:Ada"
    assert normalize_title(title_text(3, "Ada")) == (3, "Ada")


# --------------------------------------------------------------------------- the seam


def test_the_wiki_registers_its_title_rules_with_the_renderer() -> None:
    assert markup.title_rules() is MEDIAWIKI_TITLES
    rendered = render_markdown("[[category:birds]] [[user_talk:ada]]")
    assert rendered.categories == {"Birds"}
    assert rendered.links == {WikiLink(3, "Ada", "")}


def test_without_registered_rules_links_are_plain_titles() -> None:
    previous = register_title_rules(None)
    try:
        assert isinstance(markup.title_rules(), PlainTitles)
        rendered = render_markdown("[[Category:birds]] and [[foo_bar]]")
        # No namespaces and no categories: the whole target is a title in the one namespace.
        assert rendered.categories == frozenset()
        assert rendered.links == {WikiLink(0, "Category:birds", ""), WikiLink(0, "Foo bar", "")}
        assert 'href="/wiki/Category%3Abirds"' in rendered.html
        assert render_markdown("[[a<b]]").html == "<p>[[a&lt;b]]</p>\n"
    finally:
        register_title_rules(previous)
    assert markup.title_rules() is MEDIAWIKI_TITLES
