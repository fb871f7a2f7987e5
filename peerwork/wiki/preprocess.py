"""MediaWiki's preprocessor for wikitext: templates, their parameters, parser functions,
variables, and the pre-save transform (signatures).

Expansion runs before rendering (wikitext.py), as MediaWiki's does: `{{Name|a|b=c}}`
becomes the text of the page Template:Name with `{{{1}}}`, `{{{b}}}` and their defaults
filled in. A page must not be able to make the renderer hang, so expansion stops at
MediaWiki's limits: a template may not include itself (a loop shows an error), nesting
deeper than 40 shows an error, and once the expanded text passes 2 MB, or 5,000 templates
were expanded, the rest is left as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import quote

import mwparserfromhell
from mwparserfromhell import nodes
from mwparserfromhell.wikicode import Wikicode

from .titles import NAMESPACES, TitleError, normalize_title, title_text

__all__ = ["Expansion", "PageFacts", "expand", "pre_save_transform"]

TEMPLATE_NAMESPACE = 10
MAX_DEPTH = 40
MAX_EXPANDED_BYTES = 2 * 1024 * 1024
MAX_TEMPLATE_CALLS = 5000
# Tags whose content the preprocessor leaves as written.
_VERBATIM_TAGS = {"nowiki", "pre", "source", "syntaxhighlight", "math", "ref", "references"}


@dataclass(frozen=True)
class PageFacts:
    """What variables such as {{PAGENAME}} and {{REVISIONID}} read."""

    namespace: int = 0
    title: str = "API"
    revision_id: int | None = None
    revision_user: str = ""
    now: datetime | None = None
    site_name: str = "peerwork"


@dataclass
class Expansion:
    """The expanded text and the templates it used (namespace, title, whether found)."""

    text: str
    templates: dict[tuple[int, str], bool] = field(default_factory=dict)


class _LimitReached(Exception):
    pass


class _Expander:
    def __init__(
        self,
        facts: PageFacts,
        fetch: Callable[[int, str], str | None],
        capitalize: bool,
    ) -> None:
        self.facts = facts
        self.fetch = fetch
        self.capitalize = capitalize
        self.templates: dict[tuple[int, str], bool] = {}
        self.calls = 0
        self.size = 0
        self.cache: dict[tuple[int, str], str | None] = {}
        self.parsed: dict[str, Wikicode] = {}

    def expand(
        self, text: str, args: dict[str, str] | None, stack: tuple[tuple[int, str], ...]
    ) -> str:
        if "{" not in text and "<!--" not in text:
            return text
        code = mwparserfromhell.parse(text, skip_style_tags=True)
        return "".join(self.node(node, args, stack) for node in code.nodes)

    def expand_template(
        self, source: str, args: dict[str, str], stack: tuple[tuple[int, str], ...]
    ) -> str:
        """A template's text expanded with `args`; each template is parsed once per render
        (the tree is left as it was parsed, so the next call reads it again)."""
        code = self.parsed.get(source)
        if code is None:
            code = self.parsed[source] = mwparserfromhell.parse(source, skip_style_tags=True)
        return "".join(self.node(node, args, stack) for node in code.nodes)

    def node(  # noqa: PLR0911  (one branch per node type)
        self, node: nodes.Node, args: dict[str, str] | None, stack: tuple[tuple[int, str], ...]
    ) -> str:
        if isinstance(node, nodes.Text):
            return str(node.value)
        if isinstance(node, nodes.Comment):
            return ""
        if isinstance(node, nodes.Argument):
            return self.argument(node, args, stack)
        if isinstance(node, nodes.Template):
            return self.template(node, args, stack)
        source = str(node)
        if "{" not in source and "<!--" not in source:
            return source  # nothing inside to expand: spare a parse
        if isinstance(node, nodes.Tag):
            name = str(node.tag).strip().lower()
            if name in _VERBATIM_TAGS or node.contents is None:
                return source
            written = node.contents
            node.contents = mwparserfromhell.parse(self.expand(str(written), args, stack))
            expanded = str(node)
            node.contents = written  # a template's tree is read again by its next call
            return expanded
        if isinstance(node, nodes.Wikilink):
            label = "" if node.text is None else "|" + self.expand(str(node.text), args, stack)
            return f"[[{self.expand(str(node.title), args, stack)}{label}]]"
        if isinstance(node, nodes.Heading):
            marks = "=" * node.level
            return f"{marks}{self.expand(str(node.title), args, stack)}{marks}"
        if isinstance(node, nodes.ExternalLink) and node.brackets:
            url = self.expand(str(node.url), args, stack)
            title = "" if node.title is None else " " + self.expand(str(node.title), args, stack)
            return f"[{url}{title}]"
        return source

    def argument(
        self, node: nodes.Argument, args: dict[str, str] | None, stack: tuple[tuple[int, str], ...]
    ) -> str:
        name = self.expand(str(node.name), args, stack).strip()
        if args is not None and name in args:
            return args[name]
        if node.default is not None:
            return self.expand(str(node.default), args, stack)
        return "{{{" + name + "}}}"

    def template(
        self, node: nodes.Template, args: dict[str, str] | None, stack: tuple[tuple[int, str], ...]
    ) -> str:
        name = self.expand(str(node.name), args, stack).strip()
        head, colon, first = name.partition(":")
        function = _FUNCTIONS.get(head.strip().lower()) if colon else None
        if function is not None:
            values = [first] + [self.expand(str(param), args, stack) for param in node.params]
            return function(self, values)
        if not node.params:
            variable = _VARIABLES.get(name) or _VARIABLES.get(name.upper())
            if variable is not None and (name.isupper() or name.upper() in _ANY_CASE):
                return variable(self.facts)
        return self.transclude(name, node, args, stack)

    def transclude(
        self,
        name: str,
        node: nodes.Template,
        args: dict[str, str] | None,
        stack: tuple[tuple[int, str], ...],
    ) -> str:
        try:
            namespace, title = normalize_title(name, capitalize=self.capitalize)
        except TitleError:
            return str(node)
        if namespace == 0 and not name.startswith(":"):
            try:
                namespace, title = normalize_title(f"Template:{name}", capitalize=self.capitalize)
            except TitleError:
                return str(node)
        key = (namespace, title)
        full = title_text(namespace, title)
        if key in stack:
            return f'<span class="error">Template loop detected: [[:{full}]]</span>'
        if len(stack) >= MAX_DEPTH:
            limit = f"Template depth limit ({MAX_DEPTH}) reached"
            return f'<span class="error">{limit}: [[:{full}]]</span>'
        self.calls += 1
        if self.calls > MAX_TEMPLATE_CALLS or self.size > MAX_EXPANDED_BYTES:
            raise _LimitReached
        if key not in self.cache:
            self.cache[key] = self.fetch(namespace, title)
        source = self.cache[key]
        self.templates[key] = source is not None
        if source is None:
            return f"[[:{full}]]"
        frame: dict[str, str] = {}
        position = 0
        for param in node.params:
            value = self.expand(str(param.value), args, stack)
            if param.showkey:
                frame[self.expand(str(param.name), args, stack).strip()] = value.strip()
            else:
                position += 1
                frame[str(position)] = value
        expanded = self.expand_template(_transcluded_part(source), frame, (*stack, key))
        self.size += len(expanded)
        return expanded


_INCLUDEONLY_RE = re.compile(r"</?includeonly\s*>", re.I)
_NOINCLUDE_RE = re.compile(r"<noinclude\s*>.*?(?:</noinclude\s*>|$)", re.I | re.S)
_ONLYINCLUDE_RE = re.compile(r"<onlyinclude\s*>(.*?)</onlyinclude\s*>", re.I | re.S)
_INCLUDEONLY_BLOCK_RE = re.compile(r"<includeonly\s*>.*?(?:</includeonly\s*>|$)", re.I | re.S)
_NOINCLUDE_TAG_RE = re.compile(r"</?noinclude\s*>", re.I)


def _transcluded_part(source: str) -> str:
    """What a page gives when transcluded: <onlyinclude> parts, else all but <noinclude>."""
    only = _ONLYINCLUDE_RE.findall(source)
    if only:
        return "".join(only)
    return _INCLUDEONLY_RE.sub("", _NOINCLUDE_RE.sub("", source))


def own_part(source: str) -> str:
    """What a page shows itself: <includeonly> parts gone, <noinclude> tags dropped."""
    return _NOINCLUDE_TAG_RE.sub("", _INCLUDEONLY_BLOCK_RE.sub("", source))


# --------------------------------------------------------------------------- parser functions


def _ns(expander: _Expander, values: list[str]) -> str:
    raw = values[0].strip()
    if raw.lstrip("-").isdigit():
        return NAMESPACES.get(int(raw), "")
    wanted = raw.replace("_", " ").lower()
    for name in NAMESPACES.values():
        if name.lower() == wanted:
            return name
    return ""


def _plural(expander: _Expander, values: list[str]) -> str:
    forms = [value.strip() for value in values[1:]]
    if not forms:
        return ""
    try:
        number = float(values[0].strip().replace(",", ""))
    except ValueError:
        number = 2
    index = 0 if number == 1 else 1
    return forms[min(index, len(forms) - 1)]


def _if(expander: _Expander, values: list[str]) -> str:
    branch = 1 if values[0].strip() else 2
    return values[branch].strip() if len(values) > branch else ""


def _ifeq(expander: _Expander, values: list[str]) -> str:
    if len(values) < 2:
        return ""
    left, right = values[0].strip(), values[1].strip()
    try:
        equal = float(left) == float(right)
    except ValueError:
        equal = left == right
    branch = 2 if equal else 3
    return values[branch].strip() if len(values) > branch else ""


def _switch(expander: _Expander, values: list[str]) -> str:
    wanted = values[0].strip()
    cases = values[1:]
    matched = False  # a value without "=" that matched falls through to the next result
    default: str | None = None
    for index, case in enumerate(cases):
        key, equals, result = case.partition("=")
        key = key.strip()
        if not equals:
            if index == len(cases) - 1:
                return key  # a last value without "=" is the default
            matched = matched or key == wanted
            continue
        if matched or key == wanted:
            return result.strip()
        if key == "#default":
            default = result.strip()
    return default or ""


def _case(transform: Callable[[str], str]) -> Callable[[_Expander, list[str]], str]:
    return lambda expander, values: transform(values[0].strip())


def _urlencode(expander: _Expander, values: list[str]) -> str:
    return quote(values[0].strip().replace(" ", "+"), safe="+")


_FUNCTIONS: dict[str, Callable[[_Expander, list[str]], str]] = {
    "ns": _ns,
    "plural": _plural,
    "uc": _case(str.upper),
    "lc": _case(str.lower),
    "ucfirst": _case(lambda text: text[:1].upper() + text[1:]),
    "lcfirst": _case(lambda text: text[:1].lower() + text[1:]),
    "urlencode": _urlencode,
    "#if": _if,
    "#ifeq": _ifeq,
    "#switch": _switch,
}


# --------------------------------------------------------------------------- variables


def _encoded(text: str) -> str:
    """MediaWiki's wfUrlencode of a title: underscores for spaces, a few characters kept."""
    return quote(text.replace(" ", "_"), safe=";@$!*(),/~:")


def _now(facts: PageFacts) -> datetime:
    from django.utils import timezone

    return facts.now or timezone.now()


_VARIABLES: dict[str, Callable[[PageFacts], str]] = {
    "PAGENAME": lambda facts: facts.title,
    "PAGENAMEE": lambda facts: _encoded(facts.title),
    "FULLPAGENAME": lambda facts: title_text(facts.namespace, facts.title),
    "FULLPAGENAMEE": lambda facts: _encoded(title_text(facts.namespace, facts.title)),
    "NAMESPACE": lambda facts: NAMESPACES.get(facts.namespace, ""),
    "NAMESPACEE": lambda facts: _encoded(NAMESPACES.get(facts.namespace, "")),
    "NAMESPACENUMBER": lambda facts: str(facts.namespace),
    "REVISIONID": lambda facts: str(facts.revision_id) if facts.revision_id else "",
    "REVISIONUSER": lambda facts: facts.revision_user,
    "SITENAME": lambda facts: facts.site_name,
    "CURRENTYEAR": lambda facts: _now(facts).strftime("%Y"),
    "CURRENTMONTH": lambda facts: _now(facts).strftime("%m"),
    "CURRENTMONTHNAME": lambda facts: _now(facts).strftime("%B"),
    "CURRENTDAY": lambda facts: str(_now(facts).day),
    "CURRENTDAY2": lambda facts: _now(facts).strftime("%d"),
    "CURRENTDAYNAME": lambda facts: _now(facts).strftime("%A"),
    "CURRENTTIME": lambda facts: _now(facts).strftime("%H:%M"),
    "CURRENTHOUR": lambda facts: _now(facts).strftime("%H"),
    "CURRENTTIMESTAMP": lambda facts: _now(facts).strftime("%Y%m%d%H%M%S"),
    "!": lambda facts: "|",
}
# Variables MediaWiki knows in any case (the rest only in capitals).
_ANY_CASE = {"!"}


def expand(
    text: str,
    *,
    facts: PageFacts,
    fetch: Callable[[int, str], str | None],
    capitalize: bool = True,
) -> Expansion:
    """Expand templates, parameters, parser functions and variables in `text`.

    `fetch(namespace, title)` gives a page's text, or None when there is none (the template
    then shows as a red link, as MediaWiki shows it)."""
    expander = _Expander(facts, fetch, capitalize)
    try:
        expanded = expander.expand(own_part(text), None, ())
    except _LimitReached:
        expanded = text  # past the limits: the page as written, rather than half expanded
    return Expansion(expanded, expander.templates)


# --------------------------------------------------------------------------- pre-save transform

_SIGNATURE_RE = re.compile(r"~{3,5}")
_PROTECTED_RE = re.compile(r"<(nowiki|pre)\b[^>]*>.*?</\1\s*>|<!--.*?-->", re.I | re.S)


def pre_save_transform(text: str, *, username: str, now: datetime) -> str:
    """MediaWiki's pre-save transform of signatures: `~~~` the author's name, `~~~~` name and
    time, `~~~~~` the time alone; not inside <nowiki>, <pre> or comments."""
    if "~~~" not in text:
        return text
    name = f"[[User:{username}|{username}]] ([[User talk:{username}|talk]])"
    stamp = f"{now:%H:%M}, {now.day} {now:%B %Y} (UTC)"
    signatures = {3: name, 4: f"{name} {stamp}", 5: stamp}

    def sign(part: str) -> str:
        return _SIGNATURE_RE.sub(lambda match: signatures[len(match.group())], part)

    out: list[str] = []
    position = 0
    for protected in _PROTECTED_RE.finditer(text):
        out.append(sign(text[position : protected.start()]))
        out.append(protected.group())
        position = protected.end()
    out.append(sign(text[position:]))
    return "".join(out)
