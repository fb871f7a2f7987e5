"""A renderer for MediaWiki wikitext: the common markup, not the whole of MediaWiki's parser.

mwparserfromhell parses (it knows templates, links, tags, headings, tables and list
bullets, but not paragraphs or nesting of lists); this module lays the nodes out in blocks
and writes HTML. Headings, bold and italic, [[internal links]] with the same red/blue logic
as Markdown pages, external links, lists, definition lists, tables, preformatted lines,
<ref> references with their list, and a few HTML tags are rendered; templates are not
expanded but shown by name. Everything ends in `markup.sanitize_html`, so raw HTML in the
source (a <script>, an onclick) is as inert here as it is in Markdown.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import mwparserfromhell
from mdit_py_plugins.anchors.index import slugify
from mwparserfromhell import nodes
from mwparserfromhell.wikicode import Wikicode

from peerwork.core.markup import Rendered, WikiLink, sanitize_html

from .titles import CATEGORY_NAMESPACE, TitleError, normalize_title, title_text

__all__ = ["extract_wikitext_links", "render_wikitext"]

_REDIRECT_RE = re.compile(r"^\s*#REDIRECT\s*\[\[([^\]|]+)(?:\|[^\]]*)?\]\]", re.I)
_BEHAVIOUR_SWITCH_RE = re.compile(
    r"__(?:NOTOC|TOC|FORCETOC|NOEDITSECTION|NEWSECTIONLINK|NONEWSECTIONLINK|NOGALLERY|"
    r"HIDDENCAT|INDEX|NOINDEX|STATICREDIRECT|DISAMBIG|NOTITLECONVERT|NOCONTENTCONVERT)__"
)
_URL_RE = re.compile(r"^(?:https?://|mailto:|//)", re.I)
_TAG_NAME_RE = re.compile(r"^[a-z][a-z0-9]*$")
_LIST_TAGS = {"*": ("ul", "li"), "#": ("ol", "li"), ";": ("dl", "dt"), ":": ("dl", "dd")}
_REFS_PLACEHOLDER = "\x00references\x00"
# Tags whose content is shown as it is written.
_LITERAL_TAGS = {"nowiki", "pre", "code", "source", "syntaxhighlight", "math"}
_VOID_TAGS = {"br", "hr", "wbr"}


@dataclass
class _Reference:
    number: int
    html: str
    name: str | None


@dataclass
class _State:
    link_exists: Callable[[int, str], bool] | None
    link_url: Callable[[int, str], str] | None
    capitalize: bool
    links: set[WikiLink] = field(default_factory=set)
    categories: set[str] = field(default_factory=set)
    references: list[_Reference] = field(default_factory=list)
    named: dict[str, _Reference] = field(default_factory=dict)
    anchors: set[str] = field(default_factory=set)
    exists_cache: dict[tuple[int, str], bool] = field(default_factory=dict)
    external_count: int = 0
    in_definition_term: bool = False


def _escape(text: str) -> str:
    return html.escape(text.replace("\x00", ""), quote=True)


def _default_link_url(namespace: int, title: str) -> str:
    from urllib.parse import quote

    return "/wiki/" + quote(title_text(namespace, title).replace(" ", "_"))


class _Renderer:
    def __init__(self, state: _State) -> None:
        self.state = state

    # ---------------------------------------------------------------- blocks

    def blocks(self, code: Wikicode) -> str:
        out: list[str] = []
        paragraph: list[str] = []
        preformatted: list[str] = []
        lists: list[str] = []  # the open list levels, as bullet characters

        def flush_paragraph() -> None:
            text = "\n".join(paragraph).strip()
            if text:
                out.append(f"<p>{text}</p>")
            paragraph.clear()

        def flush_pre() -> None:
            if preformatted:
                out.append("<pre>" + "\n".join(preformatted) + "</pre>")
            preformatted.clear()

        def close_lists(depth: int = 0) -> None:
            while len(lists) > depth:
                list_tag, item_tag = _LIST_TAGS[lists.pop()]
                out.append(f"</{item_tag}></{list_tag}>")

        def flush_all() -> None:
            flush_paragraph()
            flush_pre()
            close_lists()

        for line in _lines(code):
            if isinstance(line, nodes.Node):
                flush_all()
                out.append(self.block_node(line))
                continue
            bullets = _bullets(line)
            if bullets:
                flush_paragraph()
                flush_pre()
                prefix = "".join(bullets)
                self._list_item(out, lists, prefix)
                self.state.in_definition_term = prefix[-1] == ";"
                out.append(self.inline(line[len(bullets) :]).strip())
                self.state.in_definition_term = False
                continue
            rendered = self.inline(line)
            if not rendered.strip():
                flush_all()
                continue
            first = line[0]
            if isinstance(first, str) and first.startswith(" "):
                flush_paragraph()
                close_lists()
                preformatted.append(self.inline([first[1:], *line[1:]]))
                continue
            flush_pre()
            close_lists()
            paragraph.append(rendered)
        flush_all()
        return "\n".join(out)

    def _list_item(self, out: list[str], lists: list[str], prefix: str) -> None:
        """Open, close and continue nested lists so the open levels match `prefix`."""

        def same(a: str, b: str) -> bool:
            return a == b or {a, b} == {";", ":"}

        def close_level() -> None:
            list_tag, item_tag = _LIST_TAGS[lists.pop()]
            out.append(f"</{item_tag}></{list_tag}>")

        common = 0
        while common < min(len(lists), len(prefix)) and same(lists[common], prefix[common]):
            common += 1
        if common == len(prefix):
            while len(lists) > len(prefix):
                close_level()
            old_item, new_item = _LIST_TAGS[lists[-1]][1], _LIST_TAGS[prefix[-1]][1]
            out.append(f"</{old_item}><{new_item}>")
            lists[-1] = prefix[-1]
            return
        while len(lists) > common:
            close_level()
        for char in prefix[common:]:
            list_tag, item_tag = _LIST_TAGS[char]
            out.append(f"<{list_tag}><{item_tag}>")
            lists.append(char)

    def block_node(self, node: nodes.Node) -> str:
        if isinstance(node, nodes.Heading):
            level = max(1, min(6, node.level))
            text = node.title.strip_code().strip()
            anchor = self._anchor(text)
            inner = self.inline(list(node.title.nodes)).strip()
            return f'<h{level} id="{_escape(anchor)}">{inner}</h{level}>'
        if isinstance(node, nodes.Tag) and str(node.tag).lower() == "table":
            return self.table(node)
        if isinstance(node, nodes.Tag) and str(node.tag).lower() == "hr":
            return "<hr>"
        return self.inline([node])

    def _anchor(self, text: str) -> str:
        base = slugify(text) or "section"
        anchor, number = base, 1
        while anchor in self.state.anchors:
            number += 1
            anchor = f"{base}-{number}"
        self.state.anchors.add(anchor)
        return anchor

    def table(self, node: nodes.Tag) -> str:
        rows: list[str] = []
        caption = ""
        loose: list[str] = []  # cells before the first |-
        for child in node.contents.nodes if node.contents else []:
            if not isinstance(child, nodes.Tag):
                continue
            tag = str(child.tag).lower()
            if tag == "tr":
                rows.append(self._row(child.contents.nodes if child.contents else []))
            elif tag in ("td", "th"):
                loose.append(self._cell(child))
            elif tag == "caption":
                caption = self.inline(list(child.contents.nodes)).strip() if child.contents else ""
        if loose:
            rows.insert(0, "<tr>" + "".join(loose) + "</tr>")
        head = f"<p><strong>{caption}</strong></p>\n" if caption else ""
        return head + "<table>\n<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>"

    def _row(self, children: list[Any]) -> str:
        cells = [
            self._cell(child)
            for child in children
            if isinstance(child, nodes.Tag) and str(child.tag).lower() in ("td", "th")
        ]
        return "<tr>" + "".join(cells) + "</tr>"

    def _cell(self, node: nodes.Tag) -> str:
        tag = str(node.tag).lower()
        source = str(node.contents).strip() if node.contents else ""
        inner = self.blocks(mwparserfromhell.parse(source)).strip()
        if inner.startswith("<p>") and inner.endswith("</p>") and inner.count("<p>") == 1:
            inner = inner[3:-4]
        return f"<{tag}>{inner}</{tag}>"

    # ---------------------------------------------------------------- inline

    def inline(self, items: list[Any]) -> str:
        parts: list[str] = []
        for item in items:
            if isinstance(item, str):
                parts.append(_escape(_BEHAVIOUR_SWITCH_RE.sub("", item)))
            else:
                parts.append(self.node(item))
        return "".join(parts)

    def node(self, node: nodes.Node) -> str:  # noqa: PLR0911  (one branch per node type)
        if isinstance(node, nodes.Text):
            return _escape(_BEHAVIOUR_SWITCH_RE.sub("", str(node.value)))
        if isinstance(node, nodes.Wikilink):
            return self.wikilink(node)
        if isinstance(node, nodes.ExternalLink):
            return self.external_link(node)
        if isinstance(node, nodes.Template):
            name = str(node.name).strip()
            return f'<span class="template">{{{{{_escape(name)}}}}}</span>'
        if isinstance(node, nodes.Comment):
            return ""
        if isinstance(node, nodes.HTMLEntity):
            try:
                return _escape(node.normalize())
            except ValueError:
                return _escape(str(node))
        if isinstance(node, nodes.Tag):
            return self.tag(node)
        if isinstance(node, nodes.Heading):
            return self.block_node(node)
        return _escape(str(node))

    def _contents(self, node: nodes.Tag) -> str:
        return self.inline(list(node.contents.nodes)) if node.contents else ""

    def tag(self, node: nodes.Tag) -> str:  # noqa: PLR0911
        name = str(node.tag).strip().lower()
        markup = node.wiki_markup
        if markup == "''":
            return f"<i>{self._contents(node)}</i>"
        if markup == "'''":
            return f"<b>{self._contents(node)}</b>"
        if markup in ("*", "#", ";"):
            return _escape(markup)  # a bullet in the middle of a line is just a character
        if markup == ":":
            if self.state.in_definition_term:
                self.state.in_definition_term = False
                return "</dt><dd>"
            return ":"
        if name == "ref":
            return self.reference(node)
        if name == "references":
            return _REFS_PLACEHOLDER
        if name in ("table",) or markup == "----":
            return self.block_node(node)
        if name in _LITERAL_TAGS:
            text = _escape(str(node.contents)) if node.contents else ""
            if name in ("pre", "source", "syntaxhighlight"):
                return f"<pre>{text}</pre>"
            return f"<code>{text}</code>" if name in ("code", "math") else text
        if not _TAG_NAME_RE.match(name):
            return _escape(str(node))
        if name in _VOID_TAGS or node.self_closing:
            return f"<{name}>"
        # Attributes are dropped: nothing in them survives the sanitizer we would want.
        return f"<{name}>{self._contents(node)}</{name}>"

    def reference(self, node: nodes.Tag) -> str:
        state = self.state
        name = str(node.get("name").value).strip() if node.has("name") else None
        reference = state.named.get(name) if name else None
        if reference is None:
            reference = _Reference(len(state.references) + 1, self._contents(node).strip(), name)
            state.references.append(reference)
            if name:
                state.named[name] = reference
        elif not reference.html and node.contents:
            reference.html = self._contents(node).strip()
        number = reference.number
        return (
            f'<sup class="footnote-ref"><a href="#cite_note-{number}" '
            f'id="cite_ref-{number}">[{number}]</a></sup>'
        )

    def references_list(self) -> str:
        if not self.state.references:
            return ""
        items = "".join(
            f'<li id="cite_note-{ref.number}" class="footnote-item">{ref.html} '
            f'<a href="#cite_ref-{ref.number}" class="footnote-backref">\u21a9</a></li>'
            for ref in self.state.references
        )
        return f'<section class="footnotes"><ol class="footnotes-list">{items}</ol></section>'

    def wikilink(self, node: nodes.Wikilink) -> str:
        raw = str(node.title).strip()
        label_html = self.inline(list(node.text.nodes)).strip() if node.text is not None else ""
        link = self.link_to(raw, label_html)
        return _escape(str(node)) if link is None else link

    def link_to(self, raw: str, label_html: str) -> str | None:
        """An <a> to a wiki title (red when there is no page), "" for a category, None if
        the target is not a title."""
        state = self.state
        leading_colon = raw.startswith(":")
        page, _hash, fragment = raw.partition("#")
        fragment = fragment.strip()
        anchor = "#" + _escape(slugify(fragment)) if fragment else ""
        if not page.strip(" _:") and fragment:
            return f'<a href="{anchor}" class="wikilink">{label_html or _escape(fragment)}</a>'
        try:
            namespace, title = normalize_title(page, capitalize=state.capitalize)
        except TitleError:
            return None
        if namespace == CATEGORY_NAMESPACE and not leading_colon:
            state.categories.add(title)
            return ""
        state.links.add(WikiLink(namespace, title, ""))
        label = label_html or _escape(raw.removeprefix(":").strip())
        href = _escape((state.link_url or _default_link_url)(namespace, title)) + anchor
        if self._exists(namespace, title):
            return f'<a href="{href}" class="wikilink">{label}</a>'
        tooltip = _escape(f"{title_text(namespace, title)} (page does not exist)")
        return f'<a href="{href}" class="new" title="{tooltip}">{label}</a>'

    def _exists(self, namespace: int, title: str) -> bool:
        state = self.state
        if state.link_exists is None:
            return True
        key = (namespace, title)
        if key not in state.exists_cache:
            state.exists_cache[key] = bool(state.link_exists(namespace, title))
        return state.exists_cache[key]

    def external_link(self, node: nodes.ExternalLink) -> str:
        url = str(node.url).strip()
        if not _URL_RE.match(url):
            return _escape(str(node))
        if node.title is not None and str(node.title).strip():
            label = self.inline(list(node.title.nodes)).strip()
        elif node.brackets:
            self.state.external_count += 1
            label = f"[{self.state.external_count}]"
        else:
            label = _escape(url)
        return f'<a href="{_escape(url)}" class="external">{label}</a>'


def _lines(code: Wikicode) -> list[Any]:
    """The top-level nodes as lines: lists of nodes and strings, or one block node."""
    lines: list[Any] = []
    current: list[Any] = []
    for node in code.nodes:
        if isinstance(node, nodes.Text):
            pieces = str(node.value).split("\n")
            for index, piece in enumerate(pieces):
                if index > 0:
                    lines.append(current)
                    current = []
                if piece:
                    current.append(piece)
        elif isinstance(node, nodes.Heading) or (
            isinstance(node, nodes.Tag) and node.wiki_markup in ("{|", "----")
        ):
            if current:
                lines.append(current)
                current = []
            lines.append(node)
        else:
            current.append(node)
    if current:
        lines.append(current)
    return lines


def _bullets(line: list[Any]) -> list[str]:
    bullets: list[str] = []
    for item in line:
        if isinstance(item, nodes.Tag) and item.wiki_markup in _LIST_TAGS:
            bullets.append(item.wiki_markup)
        else:
            break
    return bullets


def render_wikitext(
    text: str,
    *,
    link_exists: Callable[[int, str], bool] | None = None,
    link_url: Callable[[int, str], str] | None = None,
    capitalize: bool = True,
) -> Rendered:
    """Render wikitext to safe HTML and report its links and categories (as Markdown does)."""
    state = _State(link_exists=link_exists, link_url=link_url, capitalize=capitalize)
    renderer = _Renderer(state)
    redirect = _REDIRECT_RE.match(text)
    if redirect:
        link = renderer.link_to(redirect.group(1).strip(), "")
        link = _escape(redirect.group(1)) if link is None else link
        body = f"<p>\u21b3 {link}</p>"
    else:
        body = renderer.blocks(mwparserfromhell.parse(text))
    references = renderer.references_list()
    if _REFS_PLACEHOLDER in body:
        body = body.replace(_REFS_PLACEHOLDER, references, 1).replace(_REFS_PLACEHOLDER, "")
    elif references:
        body += "\n" + references
    return Rendered(
        html=sanitize_html(body),
        links=frozenset(state.links),
        categories=frozenset(state.categories),
    )


def extract_wikitext_links(
    text: str, *, capitalize: bool = True
) -> tuple[frozenset[WikiLink], frozenset[str]]:
    rendered = render_wikitext(text, capitalize=capitalize)
    return rendered.links, rendered.categories


def render_page_wikitext(page: Any, text: str) -> str:
    """Render wikitext as it shows on `page`: red links for titles with no page in its space,
    asked in one query, and hrefs to the space's pages (as `rendering.render_text` does)."""
    from .models import Page
    from .policy import standing
    from .rendering import page_url

    space = page.space
    capitalize = space.policy.get("capitalize_titles", True)
    titles: set[tuple[int, str]] = set()
    for link in mwparserfromhell.parse(text).filter_wikilinks():
        target = str(link.title).strip().partition("#")[0]
        try:
            titles.add(normalize_title(target, capitalize=capitalize))
        except TitleError:
            continue
    existing: set[tuple[int, str]] = set()
    if titles:
        candidates = standing(
            Page.objects.filter(space=space, title__in={title for _ns, title in titles})
        ).values_list("namespace", "title")
        existing = set(candidates) & titles
    return render_wikitext(
        text,
        link_exists=lambda ns, title: (ns, title) in existing,
        link_url=lambda ns, title: page_url(space.slug, ns, title),
        capitalize=capitalize,
    ).html
