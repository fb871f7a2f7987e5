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
from mwparserfromhell import nodes
from mwparserfromhell.wikicode import Wikicode

from peerwork.core.markup import Rendered, WikiLink, sanitize_html

from .preprocess import Expansion, PageFacts, expand
from .titles import CATEGORY_NAMESPACE, TitleError, normalize_title, title_text

__all__ = [
    "WikitextPage",
    "expand_page_text",
    "extract_wikitext_links",
    "heading_anchor",
    "parse_tree",
    "render_page_wikitext",
    "render_wikitext",
    "render_wikitext_page",
]

_REDIRECT_RE = re.compile(r"^\s*#REDIRECT\s*\[\[([^\]|]+)(?:\|[^\]]*)?\]\]", re.I)
_BEHAVIOUR_SWITCH_RE = re.compile(
    r"__(?:NOTOC|TOC|FORCETOC|NOEDITSECTION|NEWSECTIONLINK|NONEWSECTIONLINK|NOGALLERY|"
    r"HIDDENCAT|INDEX|NOINDEX|STATICREDIRECT|DISAMBIG|NOTITLECONVERT|NOCONTENTCONVERT)__"
)
_URL_RE = re.compile(r"^(?:https?://|mailto:|//)", re.I)
_TAG_NAME_RE = re.compile(r"^[a-z][a-z0-9]*$")
_LIST_TAGS = {"*": ("ul", "li"), "#": ("ol", "li"), ";": ("dl", "dt"), ":": ("dl", "dd")}
_REFS_PLACEHOLDER = "\x00references\x00"
_TOC_PLACEHOLDER = "\x00toc\x00"  # where __TOC__ was written
_TOC_AT_FIRST_HEADING = "\x00tocfirst\x00"  # MediaWiki's place for it otherwise
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
    edit_url: Callable[[int, str], str] | None = None
    links: set[WikiLink] = field(default_factory=set)
    categories: set[str] = field(default_factory=set)
    references: list[_Reference] = field(default_factory=list)
    named: dict[str, _Reference] = field(default_factory=dict)
    anchors: set[str] = field(default_factory=set)
    exists_cache: dict[tuple[int, str], bool] = field(default_factory=dict)
    external_count: int = 0
    in_definition_term: bool = False
    #: (level, anchor, text) of each heading, for the table of contents.
    headings: list[tuple[int, str, str]] = field(default_factory=list)


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
                # As MediaWiki writes them: each line ends in its newline, inside the <p>.
                out.append(f"<p>{text}\n</p>")
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
        return _join_blocks(out)

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
            toc_mark = "" if self.state.headings else _TOC_AT_FIRST_HEADING
            self.state.headings.append((level, anchor, inner))
            return f'{toc_mark}<h{level} id="{_escape(anchor)}">{inner}</h{level}>'
        if isinstance(node, nodes.Tag) and str(node.tag).lower() == "table":
            return self.table(node)
        if isinstance(node, nodes.Tag) and str(node.tag).lower() == "hr":
            return "<hr>"
        return self.inline([node])

    def _anchor(self, text: str) -> str:
        return unique_anchor(text, self.state.anchors)

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
            inner = inner[3:-4].rstrip("\n")
        return f"<{tag}>{inner}</{tag}>"

    # ---------------------------------------------------------------- inline

    def inline(self, items: list[Any]) -> str:
        parts: list[str] = []
        for item in items:
            if isinstance(item, str):
                parts.append(_switches(item))
            else:
                parts.append(self.node(item))
        return "".join(parts)

    def node(self, node: nodes.Node) -> str:  # noqa: PLR0911  (one branch per node type)
        if isinstance(node, nodes.Text):
            return _switches(str(node.value))
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
        anchor = "#" + _escape(heading_anchor(fragment)) if fragment else ""
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
        if state.edit_url is not None:
            href = _escape(state.edit_url(namespace, title))
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


def heading_anchor(text: str) -> str:
    """A heading's id as MediaWiki gives it (HTML5 fragments): whitespace runs become one
    underscore, the rest is kept."""
    return "_".join(text.replace("\x00", "").split()) or "section"


def unique_anchor(text: str, taken: set[str]) -> str:
    """`heading_anchor`, numbered `_2`, `_3`... after the first, as MediaWiki does."""
    base = heading_anchor(text)
    anchor, number = base, 1
    while anchor in taken:
        number += 1
        anchor = f"{base}_{number}"
    taken.add(anchor)
    return anchor


def _switches(text: str) -> str:
    """Text with behaviour switches gone (and __TOC__ marking where the contents go)."""
    parts = text.split("__TOC__")
    return _TOC_PLACEHOLDER.join(_escape(_BEHAVIOUR_SWITCH_RE.sub("", part)) for part in parts)


def _join_blocks(blocks: list[str]) -> str:
    """Blocks one a line, except that paragraphs follow each other directly (`</p><p>`), as in
    MediaWiki's HTML."""
    out: list[str] = []
    for block in blocks:
        if out and not (out[-1].endswith("</p>") and block.startswith("<p>")):
            out.append("\n")
        out.append(block)
    return "".join(out)


def _table_of_contents(headings: list[tuple[int, str, str]]) -> str:
    """MediaWiki's table of contents: nested lists of numbered links to the headings."""
    from django.conf import settings
    from django.utils import translation
    from django.utils.translation import gettext

    with translation.override(settings.LANGUAGE_CODE):  # the content's language, not the reader's
        title = _escape(gettext("Contents"))
    top = min(level for level, _anchor, _text in headings)
    counters: list[int] = []
    parts: list[str] = []
    for level, anchor, text in headings:
        depth = max(1, level - top + 1)
        depth = min(depth, len(counters) + 1)
        if depth > len(counters):
            parts.append("<ul>" if counters else "")
            counters.append(0)
        else:
            parts.append("</li>")
            while len(counters) > depth:
                counters.pop()
                parts.append("</ul></li>")
        counters[-1] += 1
        number = ".".join(str(count) for count in counters)
        parts.append(
            f'<li class="toclevel-{depth}"><a href="#{_escape(anchor)}">'
            f'<span class="tocnumber">{number}</span> <span class="toctext">{text}</span></a>'
        )
    parts.append("</li>" + "</ul></li>" * (len(counters) - 1))
    return f'<div id="toc"><div><h2>{title}</h2></div><ul>{"".join(parts)}</ul></div>'


@dataclass(frozen=True)
class WikitextPage:
    """A rendering with what MediaWiki's parser reports beside it."""

    rendered: Rendered
    #: (namespace, title) -> whether that page exists, for each template the text used.
    templates: dict[tuple[int, str], bool]
    #: (level, anchor, text) of each heading.
    headings: tuple[tuple[int, str, str], ...]


def render_wikitext_page(
    text: str,
    *,
    link_exists: Callable[[int, str], bool] | None = None,
    link_url: Callable[[int, str], str] | None = None,
    edit_url: Callable[[int, str], str] | None = None,
    fetch: Callable[[int, str], str | None] | None = None,
    facts: PageFacts | None = None,
    capitalize: bool = True,
    expansion: Expansion | None = None,
) -> WikitextPage:
    """Expand templates (asking `fetch` for their text), then render to safe HTML.

    Red links go to `edit_url` when given (MediaWiki's `index.php?...&redlink=1`); an
    `expansion` already made of `text` is used as it is."""
    if expansion is None:
        expansion = expand(
            text,
            facts=facts or PageFacts(),
            fetch=fetch or (lambda namespace, title: None),
            capitalize=capitalize,
        )
    state = _State(
        link_exists=link_exists, link_url=link_url, capitalize=capitalize, edit_url=edit_url
    )
    renderer = _Renderer(state)
    redirect = _REDIRECT_RE.match(expansion.text)
    if redirect:
        link = renderer.link_to(redirect.group(1).strip(), "")
        link = _escape(redirect.group(1)) if link is None else link
        body = f"<p>\u21b3 {link}</p>"
    else:
        body = renderer.blocks(mwparserfromhell.parse(expansion.text))
    references = renderer.references_list()
    if _REFS_PLACEHOLDER in body:
        body = body.replace(_REFS_PLACEHOLDER, references, 1).replace(_REFS_PLACEHOLDER, "")
    elif references:
        body += "\n" + references
    body = _place_toc(body, expansion.text, state.headings)
    rendered = Rendered(
        html=sanitize_html(body),
        links=frozenset(state.links),
        categories=frozenset(state.categories),
    )
    return WikitextPage(rendered, expansion.templates, tuple(state.headings))


def _place_toc(body: str, text: str, headings: list[tuple[int, str, str]]) -> str:
    """MediaWiki's rule: a table of contents when there are four headings or more, or with
    __FORCETOC__ or __TOC__ (where that is written); never with __NOTOC__."""
    wanted = (
        bool(headings)
        and "__NOTOC__" not in text
        and (len(headings) >= 4 or "__FORCETOC__" in text or _TOC_PLACEHOLDER in body)
    )
    toc = _table_of_contents(headings) if wanted else ""
    alone = f"<p>{_TOC_PLACEHOLDER}\n</p>"  # __TOC__ on a line of its own: no paragraph
    if alone in body:
        body = body.replace(alone, _TOC_PLACEHOLDER)
    if _TOC_PLACEHOLDER in body:
        body = body.replace(_TOC_PLACEHOLDER, toc, 1).replace(_TOC_PLACEHOLDER, "")
        toc = ""
    return body.replace(_TOC_AT_FIRST_HEADING, toc, 1).replace(_TOC_AT_FIRST_HEADING, "")


def render_wikitext(
    text: str,
    *,
    link_exists: Callable[[int, str], bool] | None = None,
    link_url: Callable[[int, str], str] | None = None,
    capitalize: bool = True,
) -> Rendered:
    """Render wikitext to safe HTML and report its links and categories (as Markdown does)."""
    return render_wikitext_page(
        text, link_exists=link_exists, link_url=link_url, capitalize=capitalize
    ).rendered


def extract_wikitext_links(
    text: str, *, capitalize: bool = True
) -> tuple[frozenset[WikiLink], frozenset[str]]:
    rendered = render_wikitext(text, capitalize=capitalize)
    return rendered.links, rendered.categories


def _template_fetcher(page: Any) -> Callable[[int, str], str | None]:
    """Reads the current text of the pages of `page`'s space that its text includes."""
    from .models import Page
    from .policy import standing

    pages = standing(Page.objects.filter(space=page.space))

    def fetch(namespace: int, title: str) -> str | None:
        found = (
            pages.filter(namespace=namespace, title=title, current_revision__isnull=False)
            .select_related("current_revision__content")
            .first()
        )
        if found is None or found.current_revision is None:
            return None
        return str(found.current_revision.content.text)

    return fetch


def expand_page_text(
    page: Any, text: str, *, revision_id: int | None = None, revision_user: str = ""
) -> Expansion:
    """`text` with its templates (pages of `page`'s space), parser functions and variables
    expanded, as it would be on `page`."""
    facts = PageFacts(
        namespace=page.namespace,
        title=page.title,
        revision_id=revision_id,
        revision_user=revision_user,
    )
    capitalize = page.space.policy.get("capitalize_titles", True)
    return expand(text, facts=facts, fetch=_template_fetcher(page), capitalize=capitalize)


def render_page_wikitext(
    page: Any,
    text: str,
    *,
    revision_id: int | None = None,
    revision_user: str = "",
) -> WikitextPage:
    """Render wikitext as it shows on `page`: its templates from the space's pages, red links
    for titles with no page in its space (asked in one query), hrefs to the space's pages,
    and red links to MediaWiki's edit address (`index.php?title=...&redlink=1`)."""
    from urllib.parse import quote

    from .models import Page
    from .policy import standing
    from .rendering import page_url

    space = page.space
    capitalize = space.policy.get("capitalize_titles", True)
    expansion = expand_page_text(page, text, revision_id=revision_id, revision_user=revision_user)
    titles: set[tuple[int, str]] = set()
    for link in mwparserfromhell.parse(expansion.text).filter_wikilinks():
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

    def edit_url(namespace: int, title: str) -> str:
        name = quote(title_text(namespace, title).replace(" ", "_"), safe="/:,()!*'@$;")
        return f"/s/{space.slug}/w/index.php?title={name}&action=edit&redlink=1"

    return render_wikitext_page(
        expansion.text,
        link_exists=lambda ns, title: (ns, title) in existing,
        link_url=lambda ns, title: page_url(space.slug, ns, title),
        edit_url=edit_url,
        capitalize=capitalize,
        expansion=expansion,
    )


# --------------------------------------------------------------------------- parse tree

_EXTENSION_TAGS = {"nowiki", "pre", "ref", "references", "source", "syntaxhighlight", "math"}


def parse_tree(text: str) -> str:
    """The preprocessor's XML tree of `text`, as MediaWiki's expandtemplates gives it, for the
    common nodes: templates, their parts, arguments, comments, extension tags, headings."""
    heading_index = [0]

    def xml(value: str) -> str:
        return html.escape(value, quote=False)

    def tree(code: Wikicode) -> str:
        return "".join(node_xml(node) for node in code.nodes)

    def parts(params: list[Any]) -> str:
        out: list[str] = []
        position = 0
        for param in params:
            if param.showkey:
                out.append(
                    f"<part><name>{tree(param.name)}</name><equals>=</equals>"
                    f"<value>{tree(param.value)}</value></part>"
                )
            else:
                position += 1
                out.append(
                    f'<part><name index="{position}"/><value>{tree(param.value)}</value></part>'
                )
        return "".join(out)

    def node_xml(node: nodes.Node) -> str:  # noqa: PLR0911  (one branch per node type)
        if isinstance(node, nodes.Template):
            return f"<template><title>{tree(node.name)}</title>{parts(node.params)}</template>"
        if isinstance(node, nodes.Argument):
            default = (
                f'<part><name index="1"/><value>{tree(node.default)}</value></part>'
                if node.default is not None
                else ""
            )
            return f"<tplarg><title>{tree(node.name)}</title>{default}</tplarg>"
        if isinstance(node, nodes.Comment):
            return f"<comment>{xml(str(node))}</comment>"
        if isinstance(node, nodes.Heading):
            heading_index[0] += 1
            marks = "=" * node.level
            return (
                f'<h level="{node.level}" i="{heading_index[0]}">'
                f"{marks}{tree(node.title)}{marks}</h>"
            )
        if isinstance(node, nodes.Tag) and str(node.tag).strip().lower() in _EXTENSION_TAGS:
            name = str(node.tag).strip()
            attributes = "".join(str(attribute) for attribute in node.attributes)
            attr = f"<attr>{xml(attributes)}</attr>" if attributes else "<attr/>"
            if node.self_closing:
                return f"<ext><name>{xml(name)}</name>{attr}</ext>"
            inner = str(node.contents) if node.contents is not None else ""
            return (
                f"<ext><name>{xml(name)}</name>{attr}<inner>{xml(inner)}</inner>"
                f"<close>{xml(f'</{name}>')}</close></ext>"
            )
        if isinstance(node, nodes.Wikilink):
            label = "|" + tree(node.text) if node.text is not None else ""
            return f"[[{tree(node.title)}{label}]]"
        return xml(str(node))

    code = mwparserfromhell.parse(text, skip_style_tags=True)
    return f"<root>{tree(code)}</root>"
