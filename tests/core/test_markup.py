"""The markup renderer: [[links]] (with the wiki's title rules), the Markdown flavour, and its
safety. The title rules themselves are tested in tests/wiki/test_titles.py."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest

from peerwork.core.markup import (
    Rendered,
    WikiLink,
    extract_links,
    render_comment,
    render_markdown,
    sanitize_html,
)

# --------------------------------------------------------------------------- links


def _p(inner: str) -> str:
    return f"<p>{inner}</p>\n"


def test_plain_link() -> None:
    rendered = render_markdown("See [[foo_bar]].")
    assert rendered == Rendered(
        html=_p(
            'See <a href="/wiki/Foo_bar" class="wikilink" rel="nofollow noopener">foo_bar</a>.'
        ),
        links=frozenset({WikiLink(0, "Foo bar", "")}),
        categories=frozenset(),
    )


def test_link_with_label() -> None:
    rendered = render_markdown("[[Foo bar|the foo]]")
    assert rendered.html == _p(
        '<a href="/wiki/Foo_bar" class="wikilink" rel="nofollow noopener">the foo</a>'
    )
    assert rendered.links == {WikiLink(0, "Foo bar", "")}


def test_empty_label_falls_back_to_target() -> None:
    assert render_markdown("[[Foo|]]").html == _p(
        '<a href="/wiki/Foo" class="wikilink" rel="nofollow noopener">Foo</a>'
    )


def test_label_is_plain_text() -> None:
    assert render_markdown("[[Foo|*not emphasis* <b>x</b>]]").html == _p(
        '<a href="/wiki/Foo" class="wikilink" rel="nofollow noopener">'
        "*not emphasis* &lt;b&gt;x&lt;/b&gt;</a>"
    )


def test_link_with_fragment_points_at_the_heading_id() -> None:
    rendered = render_markdown("[[Foo#My Section]] and [[Foo#Other|there]]")
    assert rendered.html == _p(
        '<a href="/wiki/Foo#my-section" class="wikilink" rel="nofollow noopener">'
        "Foo#My Section</a> and "
        '<a href="/wiki/Foo#other" class="wikilink" rel="nofollow noopener">there</a>'
    )
    assert rendered.links == {WikiLink(0, "Foo", "")}


def test_section_link_on_the_same_page() -> None:
    rendered = render_markdown("# Big Idea\n\n[[#Big Idea|up]]")
    assert rendered.html == (
        '<h1 id="big-idea">Big Idea</h1>\n'
        + _p('<a href="#big-idea" class="wikilink" rel="nofollow noopener">up</a>')
    )
    assert rendered.links == frozenset()


def test_category_is_collected_and_not_rendered() -> None:
    rendered = render_markdown("Birds fly.\n\n[[Category:Birds]]\n[[category:flying_things|sort]]")
    assert rendered.html == _p("Birds fly.")
    assert rendered.categories == {"Birds", "Flying things"}
    assert rendered.links == frozenset()


def test_category_inside_a_paragraph_leaves_the_text() -> None:
    rendered = render_markdown("Birds fly.[[Category:Birds]]")
    assert rendered.html == _p("Birds fly.")
    assert rendered.categories == {"Birds"}


def test_leading_colon_links_to_the_category_page() -> None:
    rendered = render_markdown("[[:Category:Birds]] and [[:Category:Birds|all birds]]")
    assert rendered.html == _p(
        '<a href="/wiki/Category%3ABirds" class="wikilink" rel="nofollow noopener">'
        "Category:Birds</a> and "
        '<a href="/wiki/Category%3ABirds" class="wikilink" rel="nofollow noopener">all birds</a>'
    )
    assert rendered.links == {WikiLink(14, "Birds", "")}
    assert rendered.categories == frozenset()


def test_namespaced_link() -> None:
    rendered = render_markdown("[[user_talk:ada]]")
    assert rendered.html == _p(
        '<a href="/wiki/User_talk%3AAda" class="wikilink" rel="nofollow noopener">user_talk:ada</a>'
    )
    assert rendered.links == {WikiLink(3, "Ada", "")}


def test_non_ascii_link_is_percent_encoded() -> None:
    assert render_markdown("[[ñandú]]").html == _p(
        '<a href="/wiki/%C3%91and%C3%BA" class="wikilink" rel="nofollow noopener">ñandú</a>'
    )


def test_red_links() -> None:
    asked: list[tuple[int, str]] = []

    def link_exists(namespace: int, title: str) -> bool:
        asked.append((namespace, title))
        return title == "Here"

    rendered = render_markdown(
        "[[Here]] [[Gone]] [[gone|again]] [[Talk:Gone]]", link_exists=link_exists
    )
    assert rendered.html == _p(
        '<a href="/wiki/Here" class="wikilink" rel="nofollow noopener">Here</a> '
        '<a href="/wiki/Gone" class="new" title="Gone (page does not exist)" '
        'rel="nofollow noopener">Gone</a> '
        '<a href="/wiki/Gone" class="new" title="Gone (page does not exist)" '
        'rel="nofollow noopener">again</a> '
        '<a href="/wiki/Talk%3AGone" class="new" title="Talk:Gone (page does not exist)" '
        'rel="nofollow noopener">Talk:Gone</a>'
    )
    assert asked == [(0, "Here"), (0, "Gone"), (1, "Gone")]  # once per distinct target


def test_link_url_is_used() -> None:
    def link_url(namespace: int, title: str) -> str:
        return f"/s/atlas/{namespace}/{title}"

    rendered = render_markdown(
        "[[Foo bar]] [[Help:Intro#Start]]",
        link_url=link_url,
        link_exists=lambda namespace, title: namespace == 0,
    )
    assert rendered.html == _p(
        '<a href="/s/atlas/0/Foo bar" class="wikilink" rel="nofollow noopener">Foo bar</a> '
        '<a href="/s/atlas/12/Intro#start" class="new" title="Help:Intro (page does not exist)"'
        ' rel="nofollow noopener">Help:Intro#Start</a>'
    )


def test_link_url_output_is_still_sanitized() -> None:
    rendered = render_markdown("[[Foo]]", link_url=lambda namespace, title: "javascript:alert(1)")
    assert rendered.html == _p('<a class="wikilink" rel="nofollow noopener">Foo</a>')


def test_links_in_code_stay_literal() -> None:
    text = "`[[Foo]]` and\n\n```\n[[Bar]]\n```\n\n    [[Indented]]\n"
    rendered = render_markdown(text)
    assert rendered.html == (
        _p("<code>[[Foo]]</code> and")
        + "<pre><code>[[Bar]]\n</code></pre>\n<pre><code>[[Indented]]\n</code></pre>\n"
    )
    assert rendered.links == frozenset()
    assert extract_links(text) == (frozenset(), frozenset())


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("[[a<b]]", "[[a&lt;b]]"),
        ("[[Foo{x}|label]]", "[[Foo{x}|label]]"),
        ("[[..]]", "[[..]]"),
        ("[[Category:]]", "[[Category:]]"),
        ("[[~~~x]]", "[[~~~x]]"),
        ('[["><img src=x onerror=alert(1)>]]', "[[&quot;&gt;&lt;img src=x onerror=alert(1)&gt;]]"),
    ],
)
def test_invalid_target_renders_literally(text: str, html: str) -> None:
    rendered = render_markdown(text)
    assert rendered.html.replace("&quot;", '"') == _p(html).replace("&quot;", '"')
    assert rendered.links == frozenset()


@pytest.mark.parametrize(
    "text",
    ["[[]]", "[[ ]]", "[[Foo", "[[Foo\nBar]]", "\\[[Foo]]", "[Foo]]"],
)
def test_not_a_link(text: str) -> None:
    assert render_markdown(text).links == frozenset()


def test_nested_brackets_link_the_inner_one() -> None:
    rendered = render_markdown("[[a [[Inner]] b]]")
    assert rendered.links == {WikiLink(0, "Inner", "")}


def test_wikilink_inside_markdown_link_is_not_nested() -> None:
    rendered = render_markdown("[see [[Inner]]](https://example.org/)")
    assert rendered.html.count("<a ") == 1
    assert rendered.links == {WikiLink(0, "Inner", "")}


def test_link_in_table_cell_with_escaped_pipe() -> None:
    rendered = render_markdown("| a |\n|---|\n| [[Foo\\|bar]] |")
    assert '<td><a href="/wiki/Foo" class="wikilink" rel="nofollow noopener">bar</a></td>' in (
        rendered.html
    )


def test_capitalize_off_keeps_case() -> None:
    rendered = render_markdown("[[iPhone]] [[category:lower]]", capitalize=False)
    assert rendered.links == {WikiLink(0, "iPhone", "")}
    assert rendered.categories == {"lower"}
    assert 'href="/wiki/iPhone"' in rendered.html


def test_extract_links_matches_render() -> None:
    text = (
        "# [[Heading link]]\n\n"
        "Text [[foo]] [[Foo#x|again]] [[:Category:A]] [[Category:b]] [[bad<]] `[[code]]`\n\n"
        "- [[User:Ada|Ada]]\n\n"
        "> [[Quoted]][^1]\n\n"
        "[^1]: [[In footnote]] [[Category:c_d]]\n"
    )
    rendered = render_markdown(text)
    assert extract_links(text) == (rendered.links, rendered.categories)
    assert rendered.links == {
        WikiLink(0, "Heading link", ""),
        WikiLink(0, "Foo", ""),
        WikiLink(14, "A", ""),
        WikiLink(2, "Ada", ""),
        WikiLink(0, "Quoted", ""),
        WikiLink(0, "In footnote", ""),
    }
    assert rendered.categories == {"B", "C d"}


def test_extract_links_without_capitalization() -> None:
    assert extract_links("[[foo]] [[Category:bar]]", capitalize=False) == (
        frozenset({WikiLink(0, "foo", "")}),
        frozenset({"bar"}),
    )


# --------------------------------------------------------------------------- markdown


def test_commonmark_basics() -> None:
    text = (
        'Some *em*, **strong**, `code`, ~~gone~~ and a [link](https://example.org/ "t").\n'
        "Line two  \nhard break.\n\n"
        "> quoted\n\n"
        "1. one\n2. two\n\n"
        "Then:\n\n"
        "3. three\n\n"
        "***\n\n"
        "![pic](/media/a.png)\n"
    )
    assert render_markdown(text).html == (
        "<p>Some <em>em</em>, <strong>strong</strong>, <code>code</code>, <s>gone</s> and a "
        '<a href="https://example.org/" title="t" rel="nofollow noopener">link</a>.\n'
        "Line two<br>\nhard break.</p>\n"
        "<blockquote>\n<p>quoted</p>\n</blockquote>\n"
        "<ol>\n<li>one</li>\n<li>two</li>\n</ol>\n"
        "<p>Then:</p>\n"
        '<ol start="3">\n<li>three</li>\n</ol>\n'
        "<hr>\n"
        '<p><img src="/media/a.png" alt="pic"></p>\n'
    )


def test_fenced_code_keeps_language_class_only() -> None:
    assert render_markdown("```python\nprint(1 < 2)\n```").html == (
        '<pre><code class="language-python">print(1 &lt; 2)\n</code></pre>\n'
    )
    assert render_markdown("```brainfudge\n+\n```").html == "<pre><code>+\n</code></pre>\n"
    # nh3 keeps an emptied class attribute; harmless, and not worth a pass of our own.
    assert render_markdown('<code class="evil">x</code>').html == _p('<code class="">x</code>')


def test_simple_raw_html_is_kept() -> None:
    assert render_markdown("H<sub>2</sub>O<br>x<sup>2</sup> <kbd>Ctrl</kbd>").html == _p(
        "H<sub>2</sub>O<br>x<sup>2</sup> <kbd>Ctrl</kbd>"
    )
    assert render_markdown('<abbr title="HyperText">HTML</abbr>').html == _p(
        '<abbr title="HyperText">HTML</abbr>'
    )


def test_table_alignment_uses_align_not_style() -> None:
    text = "| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n"
    assert render_markdown(text).html == (
        "<table>\n<thead>\n<tr>\n"
        '<th align="left">a</th>\n<th align="center">b</th>\n<th align="right">c</th>\n'
        "</tr>\n</thead>\n<tbody>\n<tr>\n"
        '<td align="left">1</td>\n<td align="center">2</td>\n<td align="right">3</td>\n'
        "</tr>\n</tbody>\n</table>\n"
    )


def test_footnotes() -> None:
    assert render_markdown("Claim.[^src]\n\n[^src]: The source.\n").html == (
        '<p>Claim.<sup class="footnote-ref">'
        '<a href="#fn1" id="fnref1" rel="nofollow noopener">[1]</a></sup></p>\n'
        '<hr class="footnotes-sep">\n'
        '<section class="footnotes">\n<ol class="footnotes-list">\n'
        '<li id="fn1" class="footnote-item"><p>The source. '
        '<a href="#fnref1" class="footnote-backref" rel="nofollow noopener">↩︎</a></p>\n'
        "</li>\n</ol>\n</section>\n"
    )


def test_task_list_checkboxes_are_disabled() -> None:
    assert render_markdown("- [ ] todo\n- [x] done\n").html == (
        '<ul class="contains-task-list">\n'
        '<li class="task-list-item"><input disabled="disabled" type="checkbox"> todo</li>\n'
        '<li class="task-list-item">'
        '<input checked="checked" disabled="disabled" type="checkbox"> done</li>\n'
        "</ul>\n"
    )


def test_raw_input_becomes_a_disabled_checkbox() -> None:
    parser = _Tags()
    parser.feed(sanitize_html('<input type="text" value="x" name="q" onfocus="alert(1)">'))
    # nh3 adds forced attributes in no fixed order, so compare them as a set.
    assert [(tag, set(attributes)) for tag, attributes in parser.tags] == [
        ("input", {("type", "checkbox"), ("disabled", "disabled")})
    ]


def test_heading_ids_are_unique() -> None:
    text = "# Intro\n## Intro\n### Intro\n#### Ñandú *salvaje*\n##### [[Foo|See also]]\n###### End"
    assert render_markdown(text).html == (
        '<h1 id="intro">Intro</h1>\n'
        '<h2 id="intro-1">Intro</h2>\n'
        '<h3 id="intro-2">Intro</h3>\n'
        '<h4 id="ñandú-salvaje">Ñandú <em>salvaje</em></h4>\n'
        '<h5 id="see-also">'
        '<a href="/wiki/Foo" class="wikilink" rel="nofollow noopener">See also</a></h5>\n'
        '<h6 id="end">End</h6>\n'
    )


def test_render_comment() -> None:
    assert render_comment("Agree with **this**, see [[no such page]].<script>x</script>") == (
        "<p>Agree with <strong>this</strong>, see "
        '<a href="/wiki/No_such_page" class="wikilink" rel="nofollow noopener">no such page</a>.'
        "</p>\n"
    )


def test_render_is_repeatable() -> None:
    text = "# A\n\n[[B]] x[^1]\n\n[^1]: n\n"
    assert render_markdown(text) == render_markdown(text)


# --------------------------------------------------------------------------- safety

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<<script>script>alert(1)<</script>/script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=x OnErRoR=alert(1)>",
    '<img src="x" onerror="alert(1)" />',
    "<img src=javascript:alert(1)>",
    '<img src="x" srcset="javascript:alert(1)">',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    "<iframe src=javascript:alert(1)></iframe>",
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<p style="color:red">x</p>',
    '<span style="x:expression(alert(1))">x</span>',
    "<details open ontoggle=alert(1)>x</details>",
    "<body onload=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="  javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="jav\tascript:alert(1)">x</a>',
    '<a href="java\nscript:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="&#x6A;avascript&colon;alert(1)">x</a>',
    '<a href="&#0000106avascript:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="x" onclick="alert(1)">x</a>',
    '<a href="x" onmouseover=alert(1)>x</a>',
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x]( javascript:alert(1) )",
    "[x](<javascript:alert(1)>)",
    "[x](jav&#x09;ascript:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](%6Aavascript:alert(1))",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '[x](https://example.org/"onmouseover="alert(1))',
    "[ref]: javascript:alert(1)\n\n[x][ref]",
    "<javascript:alert(1)>",
    "<JAVASCRIPT:alert(1)>",
    "<vbscript:msgbox(1)>",
    "[[javascript:alert(1)]]",
    "[[Foo|javascript:alert(1)]]",
    '[[Foo|"><script>alert(1)</script>]]',
    '[["><script>alert(1)</script>]]',
    "[[Foo|<img src=x onerror=alert(1)>]]",
    '[[Foo#"><svg onload=alert(1)>]]',
    '[[Foo" onmouseover="alert(1)]]',
    "[[<iframe src=javascript:alert(1)>]]",
    '# Heading <img src=x onerror=alert(1)>\n\n[[#"><script>x</script>]]',
    "<!-- --><script>alert(1)</script><!-- -->",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<table><tr><td style="x" onclick="alert(1)">x</td></tr></table>',
    '<a href="https://example.org/" target="_blank" rel="opener">x</a>',
    '<base href="javascript:alert(1)//">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel="stylesheet" href="javascript:alert(1)">',
    "<textarea><script>alert(1)</script></textarea>",
    "<template><script>alert(1)</script></template>",
    "```\n</code></pre><script>alert(1)</script>\n```",
    "`<script>alert(1)</script>`",
    "- [ ] <img src=x onerror=alert(1)>",
    "x[^1]\n\n[^1]: <script>alert(1)</script>",
]


class _Tags(HTMLParser):
    """Collects every start tag with its attributes, values entity-decoded by the parser."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag


_FORBIDDEN_TAGS = {
    "script", "style", "iframe", "object", "embed", "svg", "math", "form", "base", "meta",
    "link", "textarea", "template", "button", "body", "frame", "noscript",
}  # fmt: skip
_URL_IGNORED = re.compile(r"[\x00-\x20\x7f]+")


_URL_ATTRIBUTES = {
    "href", "src", "srcset", "action", "formaction", "data", "xlink:href", "background",
    "poster", "cite", "longdesc", "dynsrc", "lowsrc",
}  # fmt: skip


def assert_safe(output: str) -> None:
    """No executable markup. Text may show a refused payload, escaped; that is inert."""
    lowered = output.lower()
    for raw in ("<script", "<iframe", "<svg", "<math", "<style", "<object", "<embed", "<form"):
        assert raw not in lowered, output
    parser = _Tags()
    parser.feed(output)
    parser.close()
    for tag, attributes in parser.tags:
        assert tag not in _FORBIDDEN_TAGS, output
        for name, value in attributes:
            assert not re.fullmatch(r"on\w+", name), output
            assert name not in {"style", "srcset", "srcdoc", "action", "formaction", "target"}
            if name in _URL_ATTRIBUTES and value is not None:
                # The parser has already decoded entities; browsers skip whitespace/controls.
                url = _URL_IGNORED.sub("", html.unescape(value)).lower()
                for scheme in ("javascript:", "vbscript:", "data:"):
                    assert scheme not in url, output
                assert re.match(r"(https?:|mailto:|/|#|[\w.~%-]+(/|$|#|\?))", url), output
            if name == "rel":
                assert value == "nofollow noopener", output


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_xss_payload_is_neutralized(payload: str) -> None:
    assert_safe(render_markdown(payload).html)
    assert_safe(render_markdown(payload, link_exists=lambda namespace, title: False).html)
    assert_safe(render_comment(payload))
    assert_safe(sanitize_html(payload))


def test_xss_payloads_inside_markdown_structures() -> None:
    for payload in XSS_PAYLOADS:
        for text in (
            f"> {payload}",
            f"- {payload}",
            f"| a |\n|---|\n| {payload} |",
            f"# {payload}",
        ):
            assert_safe(render_markdown(text).html)


def test_there_are_enough_payloads() -> None:
    assert len(XSS_PAYLOADS) >= 40


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('<a href="javascript:alert(1)">x</a>', '<a rel="nofollow noopener">x</a>'),
        ('<a href="jav&#x09;ascript:alert(1)">x</a>', '<a rel="nofollow noopener">x</a>'),
        ("<img src=x onerror=alert(1)>", '<img src="x">'),
        ("<details open ontoggle=alert(1)>x</details>", '<details open="">x</details>'),
        ("<script>alert(1)</script>after", "after"),
        ("<svg><text>inside</text></svg>after", "after"),
        ('<p style="color:red">x</p>', "<p>x</p>"),
        (
            '<a href="mailto:ada@example.org">m</a>',
            '<a href="mailto:ada@example.org" rel="nofollow noopener">m</a>',
        ),
        ('<a href="../Relative">r</a>', '<a href="../Relative" rel="nofollow noopener">r</a>'),
        ('<a href="ftp://example.org/">f</a>', '<a rel="nofollow noopener">f</a>'),
        (
            '<a class="wikilink btn-danger" id="x">c</a>',
            '<a class="wikilink" id="x" rel="nofollow noopener">c</a>',
        ),
        ('<div class="modal" id="y">d</div>', "<div>d</div>"),
        ('<img src="data:image/png;base64,AAAA" alt="a">', '<img alt="a">'),
    ],
)  # fmt: skip
def test_sanitize_html(source: str, expected: str) -> None:
    assert sanitize_html(source) == expected


@pytest.mark.parametrize(
    "text",
    [
        "[x](javascript:alert(1))",
        "[x](jav&#x09;ascript:alert(1))",
        "[x](%6Aavascript:alert(1))",
        "[x](file:///etc/passwd)",
    ],
)
def test_dangerous_markdown_links_are_not_links(text: str) -> None:
    assert "<a" not in render_markdown(text).html


def test_markdown_data_image_keeps_alt_without_src() -> None:
    assert render_markdown("![dot](data:image/png;base64,AAAA)").html == _p('<img alt="dot">')


@pytest.mark.parametrize(
    "unsafe",
    [
        "<script>x</script>",
        '<a href="jav&#x09;ascript:alert(1)">x</a>',
        '<a href=" JAVASCRIPT:alert(1)">x</a>',
        '<img src="data:image/png;base64,AAAA">',
        '<img src="x" onerror="alert(1)">',
        '<p style="color:red">x</p>',
        "<svg></svg>",
        '<a href="https://example.org/" rel="opener">x</a>',
    ],
)
def test_the_safety_check_catches_unsafe_markup(unsafe: str) -> None:
    with pytest.raises(AssertionError):
        assert_safe(unsafe)
