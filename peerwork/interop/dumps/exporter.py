"""A space's pages as a MediaWiki XML dump (export schema 0.11), written as a stream.

What MediaWiki 1.39's importDump.php reads: <siteinfo> with the namespaces, then each page
with every revision (id, parentid, timestamp, contributor, minor, comment, model, format,
text with bytes and sha1, sha1 in base 36). Only what anyone who may read the space may see
is written: deleted pages stay out. Markdown pages go out as MediaWiki's plain `text` model
(MediaWiki has no Markdown), which the importer here reads back as Markdown.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from itertools import groupby
from operator import attrgetter

from django.db.models import Q

from peerwork.spaces.models import Space
from peerwork.wiki.actions import REDIRECT_RE
from peerwork.wiki.models import Page, Revision
from peerwork.wiki.policy import standing
from peerwork.wiki.titles import NAMESPACES, title_text

from . import sha1_hex_to_base36, software_version

SCHEMA_VERSION = "0.11"
XMLNS = f"http://www.mediawiki.org/xml/export-{SCHEMA_VERSION}/"
#: peerwork content model -> (MediaWiki model, format)
MODELS = {"wikitext": ("wikitext", "text/x-wiki"), "markdown": ("text", "text/plain")}
BATCH = 200

# Characters XML 1.0 cannot hold at all, not even as references.
_NOT_XML_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\r": "&#13;"})


def escape(text: str) -> str:
    """Text for XML content or a double-quoted attribute; a \\r survives the parser's line-end
    normalization as &#13;, so texts come back byte for byte."""
    return _NOT_XML_RE.sub("\ufffd", text).translate(_ESCAPES)


def timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _page_batches(space: Space, *related: str) -> Iterator[list[Page]]:
    last = 0
    while True:
        batch = list(
            standing(Page.objects.filter(space=space, pk__gt=last))
            .exclude(current_revision=None)
            .select_related(*related)
            .order_by("pk")[:BATCH]
        )
        if not batch:
            return
        yield batch
        last = batch[-1].pk


def exported_pages(space: Space) -> Iterator[Page]:
    """The space's pages that anyone who may read it may see, oldest first, in batches."""
    for batch in _page_batches(space):
        yield from batch


def _revisions_of(page_ids: list[int]) -> Iterator[Revision]:
    """Every revision of these pages, by page then oldest first, BATCH rows a query."""
    last_page, last = 0, 0
    while True:
        batch = list(
            Revision.objects.filter(page_id__in=page_ids)
            .filter(Q(page_id__gt=last_page) | Q(page_id=last_page, pk__gt=last))
            .select_related("content", "author")
            .order_by("page_id", "pk")[:BATCH]
        )
        yield from batch
        if len(batch) < BATCH:
            return
        last_page, last = batch[-1].page_id, batch[-1].pk


def exported_history(space: Space, *related: str) -> Iterator[tuple[Page, Iterator[Revision]]]:
    """Each exported page with its revisions, oldest first: the revisions of a batch of pages
    are read together, BATCH at a time, so the queries do not grow with the pages and memory
    stays flat however long a history is. Consume each page's revisions before the next."""
    for pages in _page_batches(space, *related):
        by_id = {page.pk: page for page in pages}
        stream = _revisions_of(list(by_id))
        for page_id, revisions in groupby(stream, key=attrgetter("page_id")):
            yield by_id[page_id], revisions


def _siteinfo(space: Space, base_url: str) -> str:
    case = "first-letter" if space.policy.get("capitalize_titles", True) else "case-sensitive"
    namespaces = {-2: "Media", -1: "Special", **NAMESPACES}
    rows = "".join(
        f'      <namespace key="{key}" case="{case}" />\n'
        if not name
        else f'      <namespace key="{key}" case="{case}">{escape(name)}</namespace>\n'
        for key, name in sorted(namespaces.items())
    )
    base = f"    <base>{escape(base_url)}</base>\n" if base_url else ""
    return (
        "  <siteinfo>\n"
        f"    <sitename>{escape(space.name)}</sitename>\n"
        f"    <dbname>{escape(space.slug)}</dbname>\n"
        f"{base}"
        f"    <generator>peerwork {software_version()}</generator>\n"
        f"    <case>{case}</case>\n"
        "    <namespaces>\n"
        f"{rows}"
        "    </namespaces>\n"
        "  </siteinfo>\n"
    )


def _contributor(revision: Revision) -> str:
    if revision.author is not None:
        return (
            "      <contributor>\n"
            f"        <username>{escape(revision.author.username)}</username>\n"
            f"        <id>{revision.author.pk}</id>\n"
            "      </contributor>\n"
        )
    name = revision.author_name
    if not name:
        return '      <contributor deleted="deleted" />\n'
    # As it came: an <ip> stays an <ip> whatever it holds, a registered contributor keeps
    # their id on the wiki the dump came from.
    if revision.author_is_ip or (revision.author_source_id is None and _is_ip(name)):
        return f"      <contributor>\n        <ip>{escape(name)}</ip>\n      </contributor>\n"
    return (
        "      <contributor>\n"
        f"        <username>{escape(name)}</username>\n"
        f"        <id>{revision.author_source_id or 0}</id>\n"
        "      </contributor>\n"
    )


def _is_ip(name: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def _revision(revision: Revision) -> str:
    model, content_format = MODELS[revision.content_model]
    text = _NOT_XML_RE.sub("\ufffd", revision.content.text)
    size, sha1_hex = revision.size, revision.sha1
    if text != revision.content.text:
        # XML 1.0 cannot carry these characters: describe the text actually written, or the
        # importer (MediaWiki's recomputes it) ends up with a sha1 that disagrees with the dump.
        data = text.encode()
        size, sha1_hex = len(data), hashlib.sha1(data, usedforsecurity=False).hexdigest()
    sha1 = sha1_hex_to_base36(sha1_hex)
    parent = f"      <parentid>{revision.parent_id}</parentid>\n" if revision.parent_id else ""
    minor = "      <minor />\n" if revision.is_minor else ""
    comment = f"      <comment>{escape(revision.summary)}</comment>\n" if revision.summary else ""
    return (
        "    <revision>\n"
        f"      <id>{revision.pk}</id>\n"
        f"{parent}"
        f"      <timestamp>{timestamp(revision.created_at)}</timestamp>\n"
        f"{_contributor(revision)}"
        f"{minor}"
        f"{comment}"
        f"      <model>{model}</model>\n"
        f"      <format>{content_format}</format>\n"
        f'      <text bytes="{size}" sha1="{sha1}" xml:space="preserve">'
        f"{escape(text)}</text>\n"
        f"      <sha1>{sha1}</sha1>\n"
        "    </revision>\n"
    )


def _page_open(page: Page) -> str:
    redirect = ""
    revision = page.current_revision
    if page.is_redirect and revision is not None:
        match = REDIRECT_RE.match(revision.content.text)
        if match:
            redirect = f'    <redirect title="{escape(match.group(1).strip())}" />\n'
    return (
        "  <page>\n"
        f"    <title>{escape(title_text(page.namespace, page.title))}</title>\n"
        f"    <ns>{page.namespace}</ns>\n"
        f"    <id>{page.pk}</id>\n"
        f"{redirect}"
    )


def mediawiki_xml(space: Space, *, base_url: str = "") -> Iterator[str]:
    """The dump, piece by piece: a few kilobytes of memory per revision, whatever the size."""
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield (
        f'<mediawiki xmlns="{XMLNS}" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'xsi:schemaLocation="{XMLNS} http://www.mediawiki.org/xml/export-{SCHEMA_VERSION}.xsd" '
        f'version="{SCHEMA_VERSION}" xml:lang="en">\n'
    )
    yield _siteinfo(space, base_url)
    for page, revisions in exported_history(space, "current_revision__content"):
        yield _page_open(page)
        for revision in revisions:
            yield _revision(revision)
        yield "  </page>\n"
    yield "</mediawiki>\n"
