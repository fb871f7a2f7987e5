"""The one markup renderer: Markdown with MediaWiki-style [[links]], always sanitized.

Wiki pages and comments both come through here, so there is one place to get safety
and speed right. The pipeline is: markdown-it-py parses (CommonMark + tables,
strikethrough, footnotes, task lists, heading ids, and a `[[...]]` inline rule), the
renderer writes HTML, and nh3 (ammonia) cuts it down to a strict allowlist. Raw HTML in
the source is allowed only because nh3 cleans *everything* afterwards.

Parsing happens once per call; links and categories are collected during the parse, so
`extract_links` costs no more than a parse and `render_markdown` asks `link_exists` at
most once per distinct target.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import unescape
from typing import Any, Protocol
from urllib.parse import quote, unquote

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markdown_it.utils import OptionsDict
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.anchors.index import slugify
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

__all__ = [
    "PlainTitles",
    "Rendered",
    "TitleRules",
    "WikiLink",
    "extract_links",
    "html_text",
    "plain_text",
    "register_title_rules",
    "render_comment",
    "render_markdown",
    "sanitize_html",
    "title_rules",
]

# --------------------------------------------------------------------------- titles
#
# How a [[link]] target splits into a namespace and a title is the wiki's business
# (peerwork/wiki/titles.py, registered from wiki/apps.py); core imports no domain app, so
# it asks whatever rules were registered here, and knows a plain fallback.


class TitleRules(Protocol):
    """What the renderer needs to know about titles; `parse` raises ValueError for a title
    that is not one (the link then renders literally)."""

    #: The namespace whose links are categories rather than links; None: no categories.
    category_namespace: int | None

    def parse(self, raw: str, *, capitalize: bool) -> tuple[int, str]: ...

    def text(self, namespace: int, title: str) -> str: ...


_PLAIN_WHITESPACE_RE = re.compile(r"[\s_]+")
_PLAIN_FORBIDDEN_RE = re.compile(r"[#<>\[\]|{}\x00-\x1f\x7f]")


class PlainTitles:
    """The neutral fallback while no app registered rules: one namespace, no categories,
    underscores and runs of whitespace folded to one space."""

    category_namespace: int | None = None

    def parse(self, raw: str, *, capitalize: bool) -> tuple[int, str]:
        if _PLAIN_FORBIDDEN_RE.search(raw):
            raise ValueError("Titles may not contain #<>[]|{} or control characters.")
        text = _PLAIN_WHITESPACE_RE.sub(" ", raw).strip(" ").removeprefix(":").lstrip(" ")
        if not text:
            raise ValueError("Titles may not be empty.")
        return 0, (text[0].upper() + text[1:]) if capitalize else text

    def text(self, namespace: int, title: str) -> str:
        return title


_title_rules: TitleRules = PlainTitles()


def register_title_rules(rules: TitleRules | None) -> TitleRules:
    """Make `rules` the ones [[links]] follow (None: back to the plain fallback).

    Returns the rules they replace, so a test can put them back.
    """
    global _title_rules
    previous = _title_rules
    _title_rules = rules if rules is not None else PlainTitles()
    return previous


def title_rules() -> TitleRules:
    """The registered title rules (the wiki's MediaWiki rules once the apps are ready)."""
    return _title_rules


def _default_link_url(namespace: int, title: str) -> str:
    # ':' is percent-encoded too, so no href we make can ever look like it has a scheme.
    return "/wiki/" + quote(_title_rules.text(namespace, title).replace(" ", "_"))


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class WikiLink:
    """One link target. `fragment` is "" in the sets `Rendered` and `extract_links` return."""

    namespace: int
    title: str
    fragment: str


@dataclass(frozen=True)
class Rendered:
    """Sanitized HTML plus what the text links to, for the link tables and category lists."""

    html: str
    links: frozenset[WikiLink]
    categories: frozenset[str]


# --------------------------------------------------------------------------- [[links]]

# A [[...]] longer than this is not a link; bounding the search keeps "[[[[..." linear.
_MAX_LINK_CHARS = 2048


@dataclass(frozen=True)
class _Target:
    namespace: int | None  # None: a link to a section of the same page, [[#Section]]
    title: str
    fragment: str
    is_category: bool


def _parse_target(target: str, capitalize: bool) -> _Target | None:
    """The link target, or None when it is not a valid title (then it renders literally)."""
    stripped = target.strip()
    leading_colon = stripped.startswith(":")
    page, _hash, fragment = stripped.partition("#")
    fragment = fragment.strip()
    if not page.strip(" _:") and fragment and not leading_colon:
        return _Target(None, "", fragment, is_category=False)
    rules = _title_rules
    try:
        namespace, title = rules.parse(page, capitalize=capitalize)
    except ValueError:
        return None
    is_category = namespace == rules.category_namespace and not leading_colon
    return _Target(namespace, title, fragment, is_category)


def _wikilink_rule(state: StateInline, silent: bool) -> bool:
    """Inline rule for [[Target]], [[Target|label]], [[Target#Section]], [[Category:X]]."""
    src = state.src
    start = state.pos
    if not src.startswith("[[", start) or state.linkLevel > 0:
        return False
    end = src.find("]]", start + 2, start + 2 + _MAX_LINK_CHARS)
    if end < 0:
        return False
    inner = src[start + 2 : end]
    target, pipe, label = inner.partition("|")
    if "[[" in inner or "\n" in target or not target.strip():
        return False
    if silent:
        state.pos = end + 2
        return True

    env = state.env
    parsed = _parse_target(target, env.get("capitalize", True))
    if parsed is None:
        token = state.push("text", "", 0)
        token.content = src[start : end + 2]
    elif parsed.is_category:
        env.setdefault("categories", set()).add(parsed.title)
        state.push("wikilink_category", "", 0).meta = {"title": parsed.title}
    else:
        if parsed.namespace is not None:
            env.setdefault("links", set()).add(WikiLink(parsed.namespace, parsed.title, ""))
        label = label.strip() if pipe else ""
        opening = state.push("wikilink_open", "a", 1)
        opening.meta = {
            "namespace": parsed.namespace,
            "title": parsed.title,
            "fragment": parsed.fragment,
        }
        opening.markup = "[["
        text = state.push("text", "", 0)
        text.content = label or target.strip().removeprefix(":").strip()
        state.push("wikilink_close", "a", -1).markup = "]]"
    state.pos = end + 2
    return True


def _drop_category_only_paragraphs(state: StateCore) -> None:
    """A line holding only [[Category:...]] renders nothing, not an empty <p></p>."""
    tokens = state.tokens
    kept: list[Token] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if (
            token.type == "paragraph_open"
            and index + 2 < len(tokens)
            and _only_categories(tokens[index + 1])
        ):
            index += 3
            continue
        kept.append(token)
        index += 1
    state.tokens = kept


def _only_categories(inline: Token) -> bool:
    children = inline.children or []
    has_category = False
    for child in children:
        if child.type == "wikilink_category":
            has_category = True
        elif child.type not in ("softbreak", "hardbreak") and not (
            child.type == "text" and not child.content.strip()
        ):
            return False
    return has_category


def _table_align_attribute(state: StateCore) -> None:
    """Tables align cells with style="text-align:..."; we allow no style, so use align."""
    for token in state.tokens:
        if token.type in ("th_open", "td_open") and token.attrs:
            style = str(token.attrs.pop("style", ""))
            if style.startswith("text-align:"):
                token.attrs["align"] = style.removeprefix("text-align:")


def _fragment_href(fragment: str) -> str:
    # Heading ids come from the anchors plugin's slugify, so [[Page#My Section]] finds them.
    return "#" + quote(slugify(fragment), safe="") if fragment else ""


def _render_wikilink_open(
    renderer: RendererHTML,
    tokens: Sequence[Token],
    idx: int,
    options: OptionsDict,
    env: dict[str, Any],
) -> str:
    meta = tokens[idx].meta
    namespace, title = meta["namespace"], meta["title"]
    anchor = _fragment_href(meta["fragment"])
    if namespace is None:
        return f'<a href="{escapeHtml(anchor)}" class="wikilink">'
    link_url: Callable[[int, str], str] = env.get("link_url") or _default_link_url
    href = escapeHtml(link_url(namespace, title) + anchor)
    if _exists(env, namespace, title):
        return f'<a href="{href}" class="wikilink">'
    tooltip = escapeHtml(f"{_title_rules.text(namespace, title)} (page does not exist)")
    return f'<a href="{href}" class="new" title="{tooltip}">'


def _exists(env: dict[str, Any], namespace: int, title: str) -> bool:
    link_exists: Callable[[int, str], bool] | None = env.get("link_exists")
    if link_exists is None:
        return True
    cache: dict[tuple[int, str], bool] = env.setdefault("exists_cache", {})
    key = (namespace, title)
    if key not in cache:
        cache[key] = bool(link_exists(namespace, title))
    return cache[key]


def _render_wikilink_close(
    renderer: RendererHTML,
    tokens: Sequence[Token],
    idx: int,
    options: OptionsDict,
    env: dict[str, Any],
) -> str:
    return "</a>"


def _render_nothing(
    renderer: RendererHTML,
    tokens: Sequence[Token],
    idx: int,
    options: OptionsDict,
    env: dict[str, Any],
) -> str:
    return ""


def _render_fence(
    renderer: RendererHTML,
    tokens: Sequence[Token],
    idx: int,
    options: OptionsDict,
    env: dict[str, Any],
) -> str:
    """Keep the language class only for languages the sanitizer lets through."""
    token = tokens[idx]
    language = token.info.strip().split(maxsplit=1)[0] if token.info.strip() else ""
    if language and language not in _CODE_LANGUAGES:
        token = token.copy(info="")
    return RendererHTML.fence(renderer, [token], 0, options, env)


def _wikilinks_plugin(md: MarkdownIt) -> None:
    md.inline.ruler.before("link", "wikilink", _wikilink_rule)
    md.core.ruler.after("inline", "wikilink_category_paragraphs", _drop_category_only_paragraphs)
    md.core.ruler.push("table_align_attribute", _table_align_attribute)
    md.add_render_rule("wikilink_open", _render_wikilink_open)
    md.add_render_rule("wikilink_close", _render_wikilink_close)
    md.add_render_rule("wikilink_category", _render_nothing)


# Fenced-code languages kept as class="language-..." for client-side highlighting.
_CODE_LANGUAGES = frozenset(
    """
    asm bash bat c clojure cpp cs csharp css csv dart diff django docker dockerfile elixir
    erlang fortran fsharp go graphql groovy haskell hcl html http ini java javascript jinja js
    json jsx julia kotlin latex less lisp lua make makefile markdown matlab md mermaid nginx
    objectivec ocaml patch perl php plaintext powershell proto protobuf ps1 py python r rb
    rst ruby rust scala scheme scss sh shell sql svelte swift terraform tex text toml ts tsx
    twig txt typescript vue xml yaml yml zig zsh
""".split()
)

# Browsers ignore ASCII whitespace and control characters inside a URL's scheme.
_URL_IGNORED_RE = re.compile(r"[\x00-\x20\x7f]+")
_SCRIPT_SCHEMES = ("javascript:", "vbscript:", "file:")


def _make_link_validator(default: Callable[[str], bool]) -> Callable[[str], bool]:
    """markdown-it's check, plus refusing schemes hidden by entities or percent-encoding.

    `[x](jav&#x09;ascript:...)` would otherwise become href="jav%09ascript:...": harmless
    to browsers, but refusing it keeps every href we write plainly safe.
    """

    def validate(url: str) -> bool:
        decoded = _URL_IGNORED_RE.sub("", unquote(url)).lower()
        return not decoded.startswith(_SCRIPT_SCHEMES) and default(url)

    return validate


def _build_markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True})
    md.validateLink = _make_link_validator(md.validateLink)  # type: ignore[method-assign,assignment]
    md.enable(["table", "strikethrough"])
    md.use(footnote_plugin)
    md.use(tasklists_plugin)
    md.use(anchors_plugin, min_level=1, max_level=6)
    md.use(_wikilinks_plugin)
    md.add_render_rule("fence", _render_fence)
    return md


# Built once: constructing MarkdownIt and its rule chains costs more than a small render.
_MARKDOWN = _build_markdown()


# --------------------------------------------------------------------------- sanitizing

_ALLOWED_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6",
    "strong", "em", "b", "i", "u", "s", "del", "ins", "sub", "sup", "code", "pre", "kbd",
    "blockquote", "ul", "ol", "li", "dl", "dt", "dd",
    "table", "thead", "tbody", "tr", "th", "td",
    "a", "img", "span", "div", "section", "details", "summary", "input", "abbr",
}  # fmt: skip
# Dropped together with their content, not just unwrapped.
_DROPPED_WITH_CONTENT = {
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "svg",
    "math", "form", "textarea", "select", "button", "noscript", "template", "title",
    "xmp", "noembed", "noframes",
}  # fmt: skip
_ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "id"},
    "img": {"src", "alt", "title"},
    "abbr": {"title"},
    "ol": {"start"},
    "li": {"id"},
    "sup": {"id"},
    "details": {"open"},
    **{f"h{level}": {"id"} for level in range(1, 7)},
}
_ALIGN = {"left", "right", "center"}
_ATTRIBUTE_VALUES = {
    # Only wikitext's table of contents has an id: MediaWiki's `id="toc"`, which clients look for.
    "div": {"id": {"toc"}},
    "th": {"align": _ALIGN},
    "td": {"align": _ALIGN},
    # Task-list checkboxes; forced to a disabled checkbox below, whatever the source says.
    "input": {"type": {"checkbox"}, "checked": {"checked", ""}, "disabled": {"disabled", ""}},
}
_FORCED_ATTRIBUTES = {"input": {"type": "checkbox", "disabled": "disabled"}}
# Only the classes our own renderer writes, so pasted HTML cannot borrow the site's styles.
_ALLOWED_CLASSES = {
    "a": {"wikilink", "new", "footnote-backref", "external"},
    "sup": {"footnote-ref"},
    # Wikitext (peerwork/wiki/wikitext.py): a template left unexpanded, a template loop, the
    # parts of a table of contents.
    "span": {"template", "error", "tocnumber", "toctext"},
    "ul": {"contains-task-list"},
    "ol": {"footnotes-list"},
    "li": {"task-list-item", "footnote-item", *(f"toclevel-{level}" for level in range(1, 7))},
    "section": {"footnotes"},
    "hr": {"footnotes-sep"},
    # Fenced code's language, for client-side highlighting. A fixed list, because nh3 has
    # no class patterns and a Python attribute_filter callback doubled the cleaning time.
    "code": {f"language-{name}" for name in _CODE_LANGUAGES},
}

_CLEANER = nh3.Cleaner(
    tags=_ALLOWED_TAGS,
    clean_content_tags=_DROPPED_WITH_CONTENT,
    attributes=_ALLOWED_ATTRIBUTES,
    tag_attribute_values=_ATTRIBUTE_VALUES,
    set_tag_attribute_values=_FORCED_ATTRIBUTES,
    allowed_classes=_ALLOWED_CLASSES,
    url_schemes={"http", "https", "mailto"},
    link_rel="nofollow noopener",
    strip_comments=True,
)


def sanitize_html(html: str) -> str:
    """Cut HTML down to the project's allowlist; every renderer's output ends here."""
    return _CLEANER.clean(html)


# --------------------------------------------------------------------------- public API


def render_markdown(
    text: str,
    *,
    link_exists: Callable[[int, str], bool] | None = None,
    link_url: Callable[[int, str], str] | None = None,
    capitalize: bool = True,
) -> Rendered:
    """Render page or comment Markdown to safe HTML and report its links and categories.

    `link_exists(namespace, title)` decides red links (None: every page exists) and is
    asked once per distinct target; `link_url(namespace, title)` makes hrefs.
    """
    env: dict[str, Any] = {"capitalize": capitalize}
    tokens = _MARKDOWN.parse(text, env)
    links = frozenset(env.get("links", ()))
    categories = frozenset(env.get("categories", ()))
    env["link_exists"] = link_exists
    env["link_url"] = link_url
    html = _MARKDOWN.renderer.render(tokens, _MARKDOWN.options, env)
    return Rendered(html=sanitize_html(html), links=links, categories=categories)


def extract_links(
    text: str, *, capitalize: bool = True
) -> tuple[frozenset[WikiLink], frozenset[str]]:
    """The links and categories `render_markdown` would report, without rendering HTML.

    Parses with the same rules, so links in code stay out exactly as they do in HTML.
    """
    if "[[" not in text:  # every link and category starts so: no need to parse (saves do this)
        return frozenset(), frozenset()
    env: dict[str, Any] = {"capitalize": capitalize}
    _MARKDOWN.parse(text, env)
    return frozenset(env.get("links", ())), frozenset(env.get("categories", ()))


def render_comment(text: str) -> str:
    """Discussion comments: the same Markdown and sanitizer, with no red-link lookups."""
    return render_markdown(text).html


# Tags that end a line of text on the page: a space keeps the words on either side apart.
_BLOCK_TAG_RE = re.compile(
    r"</?(?:p|br|hr|h[1-6]|pre|blockquote|ul|ol|li|dl|dt|dd|table|thead|tbody|tr|th|td"
    r"|div|section|details|summary)\b[^>]*>"
)
_TAG_RE = re.compile(r"<[^>]*>")
_SPACE_RE = re.compile(r"\s+")


def html_text(html: str) -> str:
    """The text of sanitized HTML as a reader sees it: tags gone, entities read, one space
    between words. Only for HTML from this module's renderers (attribute values escaped)."""
    text = _TAG_RE.sub("", _BLOCK_TAG_RE.sub(" ", html))
    return _SPACE_RE.sub(" ", unescape(text)).strip()


def plain_text(text: str) -> str:
    """The words a reader sees of Markdown, without markup: for search and its snippets."""
    return html_text(render_markdown(text).html)
