"""Import a MediaWiki XML dump into a space, streaming, one page per transaction.

mwxml reads the dump as a stream of pages and revisions, so memory stays flat however large
the dump. Every revision is kept, with its author, timestamp, summary, minor flag and SHA-1
(checked against the dump's). A revision already in the page (same second, same SHA-1) is
skipped, so running an import again adds nothing and an interrupted import resumes where it
stopped. A broken dump stops with a `DumpError`; the pages imported before it stay whole.
"""

from __future__ import annotations

import bz2
import gzip
import hashlib
import ipaddress
import sys
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any
from xml.etree.ElementTree import ParseError

import mwxml
from django.db import transaction
from mwxml.element_iterator import ElementIterator, EventPointer
from mwxml.errors import MalformedXML

from peerwork.accounts.models import User
from peerwork.accounts.selectors import user_by_username
from peerwork.activity import recorder
from peerwork.core import policy
from peerwork.core.errors import ActionError
from peerwork.spaces.models import Space
from peerwork.wiki.actions import PageImport
from peerwork.wiki.models import Page, Revision
from peerwork.wiki.titles import NAMESPACES, title_text

from . import sha1_base36_to_hex
from .progress import Progress

SCHEMA_PREFIX = "http://www.mediawiki.org/xml/export-"
#: Versions of the export schema mwxml reads; 0.11 is what MediaWiki 1.36 and later write.
SCHEMA_VERSIONS = ("0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9", "0.10", "0.11")
#: MediaWiki content models and what peerwork keeps them as.
CONTENT_MODELS = {"wikitext": "wikitext", "text": "markdown", "markdown": "markdown"}


class DumpError(Exception):
    """The dump cannot be read; the message is one line saying what is wrong."""


@dataclass
class ImportResult:
    pages: int = 0
    revisions: int = 0
    added: int = 0
    #: (title, why) for pages peerwork has no place for (CSS, JavaScript, Lua modules...).
    skipped: list[tuple[str, str]] = field(default_factory=list)


class _SkipPage(Exception):
    pass


def open_dump(path: str) -> tuple[IO[bytes], IO[bytes], int | None]:
    """(the XML stream, the raw file for progress, its size): .xml, .xml.bz2, .xml.gz or '-'."""
    if path == "-":
        return sys.stdin.buffer, sys.stdin.buffer, None
    file = Path(path)
    if file.suffix == ".7z":
        raise DumpError(
            f"{path}: 7z dumps cannot be read as a stream by a maintained Python library; "
            f"pipe it instead: 7z e -so {path} | peerwork import-mediawiki - --space SLUG"
        )
    try:
        raw = file.open("rb")
    except OSError as error:
        raise DumpError(f"cannot open {path}: {error.strerror or error}") from None
    size = file.stat().st_size
    if file.suffix == ".bz2":
        return bz2.open(raw, "rb"), raw, size  # type: ignore[return-value]
    if file.suffix == ".gz":
        return gzip.open(raw, "rb"), raw, size  # type: ignore[return-value]
    return raw, raw, size


def _describe_parse_error(error: ParseError) -> str:
    message = str(error)
    if message.startswith(("no element found", "unclosed token")):
        return f"the dump ends early (truncated?): {message}"
    if message.startswith("not well-formed"):
        return f"the dump is not well-formed XML (bad encoding or a broken tag?): {message}"
    return f"the dump is not valid XML: {message}"


def _open_root(stream: IO[bytes]) -> tuple[Any, EventPointer]:
    pointer = EventPointer.from_file(stream)
    try:
        _event, root = next(pointer)
    except ParseError as error:
        raise DumpError(_describe_parse_error(error)) from None
    except StopIteration:
        raise DumpError("the dump is empty") from None
    namespace, _brace, name = root.tag.lstrip("{").rpartition("}")
    if name != "mediawiki" or not namespace.startswith(SCHEMA_PREFIX):
        found = f'<{name} xmlns="{namespace}">' if namespace else f"<{name}>"
        raise DumpError(
            f"not a MediaWiki XML dump: the root element is {found}, "
            f'expected <mediawiki xmlns="{SCHEMA_PREFIX}0.11/">'
        )
    version = namespace.removeprefix(SCHEMA_PREFIX).rstrip("/")
    if version not in SCHEMA_VERSIONS:
        raise DumpError(
            f"export schema {version} is not one this importer reads "
            f"({SCHEMA_VERSIONS[0]} to {SCHEMA_VERSIONS[-1]})"
        )
    return root, pointer


class _Authors:
    """Dump contributors -> accounts with the same name, remembered for the run (bounded)."""

    def __init__(self) -> None:
        self.cache: dict[str, User | None] = {}

    def account(self, name: str) -> User | None:
        if name in self.cache:
            return self.cache[name]
        if len(self.cache) > 10_000:
            self.cache.clear()
        account = None
        if not _is_ip(name):
            # MediaWiki writes "Ada Lovelace" where a username has "Ada_Lovelace".
            account = user_by_username(name, include_inactive=True) or user_by_username(
                name.replace(" ", "_"), include_inactive=True
            )
        self.cache[name] = account
        return account


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def _title_of(page: Any, namespaces: dict[int, str]) -> str:
    """The page's title as peerwork writes it: the dump's namespace name swapped for ours."""
    title = str(page.title)
    namespace = page.namespace or 0
    prefix = namespaces.get(namespace, "")
    if namespace and prefix and title.startswith(prefix + ":"):
        title = title[len(prefix) + 1 :]
    elif namespace in NAMESPACES and NAMESPACES[namespace] and ":" in title:
        head, _colon, rest = title.partition(":")
        if head.replace("_", " ") == NAMESPACES[namespace]:
            title = rest
    if namespace in NAMESPACES:
        return title_text(namespace, title)
    return str(page.title)  # a namespace peerwork lacks (Portal:, Module:): kept in the title


def _timestamp(value: Any) -> datetime:
    return datetime.fromtimestamp(value.unix(), tz=UTC)


def _seconds(moment: datetime) -> int:
    return int(moment.timestamp())


def import_dump(
    source: str | IO[bytes],
    *,
    space: Space,
    user: Any,
    progress: Progress | None = None,
    on_revision: Callable[[int], None] | None = None,
) -> ImportResult:
    """Import every page of the dump at `source` (a path, or a binary stream) into `space`."""
    policy.require_person(user, "space.update", space)
    if isinstance(source, str):
        stream, raw, size = open_dump(source)
    else:
        stream, raw, size = source, source, None
    if progress is not None and size:
        progress.total_bytes = size
    result = ImportResult()
    authors = _Authors()
    current_title = ""
    try:
        root, pointer = _open_root(stream)
        dump = mwxml.Dump.from_element(ElementIterator(root, pointer))
        namespaces = {
            namespace.id: namespace.name or "" for namespace in dump.site_info.namespaces or []
        }
        for page in dump.pages:
            current_title = str(page.title)
            try:
                with transaction.atomic():
                    added, seen = _import_page(
                        page,
                        space=space,
                        user=user,
                        title=_title_of(page, namespaces),
                        authors=authors,
                        progress=progress,
                        on_revision=on_revision,
                        result=result,
                    )
            except _SkipPage as skip:
                result.skipped.append((current_title, str(skip)))
                added, seen = 0, 0
            result.pages += 1
            result.revisions += seen
            result.added += added
            root.clear()  # drop finished pages from the tree, so memory stays flat
            if progress is not None:
                position = raw.tell() if raw.seekable() else None
                progress.update(pages=1, bytes_read=position)
    except ParseError as error:
        raise DumpError(_where(current_title) + _describe_parse_error(error)) from None
    except MalformedXML as error:
        raise DumpError(
            _where(current_title) + f"the dump does not follow the export schema: {error}"
        ) from None
    except (EOFError, OSError, zlib.error) as error:
        raise DumpError(
            _where(current_title) + f"the compressed dump is damaged or truncated: {error}"
        ) from None
    except UnicodeError as error:
        raise DumpError(_where(current_title) + f"the dump has a bad encoding: {error}") from None
    except ActionError as error:
        raise DumpError(_where(current_title) + error.detail) from None
    except (ValueError, TypeError) as error:
        raise DumpError(_where(current_title) + f"the dump has a bad value: {error}") from None
    finally:
        if raw is not sys.stdin.buffer and isinstance(source, str):
            stream.close()
            raw.close()
    if progress is not None:
        progress.finish()
    return result


def _where(title: str) -> str:
    return f"in page '{title}': " if title else ""


def _import_page(
    page: Any,
    *,
    space: Space,
    user: Any,
    title: str,
    authors: _Authors,
    progress: Progress | None,
    on_revision: Callable[[int], None] | None,
    result: ImportResult,
) -> tuple[int, int]:
    appender = PageImport(user=user, space=space, title=title)
    existing_page = Page.objects.filter(
        space=space, namespace=appender.namespace, title=appender.title
    ).first()
    known: set[tuple[int, str]] = set()
    if existing_page is not None:
        known = {
            (_seconds(created_at), sha1)
            for created_at, sha1 in Revision.objects.filter(page=existing_page).values_list(
                "created_at", "sha1"
            )
        }
    added = seen = 0
    first = last = None
    for revision in page:
        seen += 1
        content = revision.slots.contents.get("main") if revision.slots else None
        model = (content.model if content is not None else None) or "wikitext"
        if model not in CONTENT_MODELS:
            raise _SkipPage(f"content model '{model}' has no place in peerwork")
        text_deleted = bool(revision.deleted and revision.deleted.text)
        text = (content.text if content is not None else None) or ""
        dump_sha1 = (revision.slots.sha1 if revision.slots else None) or (
            content.sha1 if content is not None else None
        )
        sha1 = None if text_deleted or not dump_sha1 else sha1_base36_to_hex(dump_sha1)
        created_at = _timestamp(revision.timestamp)
        if progress is not None:
            progress.update(revisions=1)
        actual = sha1 or hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()
        if (_seconds(created_at), actual) in known:
            continue
        contributor = revision.user
        author_name = str(contributor.text) if contributor and contributor.text else ""
        author = authors.account(author_name) if author_name else None
        stored = appender.append(
            text=text,
            created_at=created_at,
            author_name=author.username if author is not None else author_name,
            author=author,
            summary=str(revision.comment or ""),
            minor=bool(revision.minor),
            content_model=CONTENT_MODELS[model],
            sha1=sha1,
        )
        known.add((_seconds(created_at), stored.sha1))
        added += 1
        first = first or stored
        last = stored
        if progress is not None:
            progress.update(added=1)
        if on_revision is not None:
            on_revision(result.added + added)
    stored_page = appender.finish()
    if last is not None and first is not None and stored_page is not None:
        recorder.record(
            actor=user,
            verb="page:imported",
            target=stored_page,
            space=space,
            data={
                "namespace": stored_page.namespace,
                "title": stored_page.title,
                "revisions": added,
                "first_revision": first.pk,
                "last_revision": last.pk,
                "source_page": page.id,
            },
        )
    return added, seen


def default_importer(space: Space) -> User | None:
    """The space's first steward in person: who a command-line import acts as by default."""
    from peerwork.spaces.models import SpaceMembership

    membership = (
        SpaceMembership.objects.filter(space=space, role="steward", user__isnull=False)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership is not None else None
