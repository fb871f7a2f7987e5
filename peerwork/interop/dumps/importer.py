"""Import a MediaWiki XML dump into a space, streaming, one page per transaction.

mwxml reads the dump as a stream of pages and revisions, so memory stays flat however large
the dump. Every revision is kept, with its id where it is free, its parent, its contributor
(registered with their id on the source wiki, or an IP), timestamp, summary and minor flag.
A `<sha1>` that does not match the text never refuses a revision: the dump's value is kept
beside the text's own and the mismatches are counted and listed at the end. A revision is
known by its source wiki and revision id (docs/decisions/0023), so running an import again
adds nothing, an interrupted import resumes where it stopped, and a revert in the same second
as the revision it restores is kept. Export schemas 0.3 to 0.11 are read, under http:// or
https://, in UTF-8 or UTF-16, plain or gzip, bzip2, xz or lzma compressed (found by their
first bytes). A broken dump stops with a `DumpError`; the pages imported before it stay whole.
"""

from __future__ import annotations

import bz2
import gzip
import hashlib
import ipaddress
import lzma
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
from peerwork.spaces.actions import space_policy_update
from peerwork.spaces.models import Space
from peerwork.wiki.actions import ImportSource, PageImport
from peerwork.wiki.selectors import pages_in_space
from peerwork.wiki.titles import NAMESPACES, title_text

from . import sha1_hex_to_base36
from .progress import Progress

SCHEMA_PREFIX = "http://www.mediawiki.org/xml/export-"
SCHEMA_PREFIXES = (SCHEMA_PREFIX, "https://www.mediawiki.org/xml/export-")
#: How many SHA-1 mismatches a result lists (all are counted; the revisions keep them).
MAX_LISTED = 10_000
#: Versions of the export schema mwxml reads; 0.11 is what MediaWiki 1.36 and later write.
SCHEMA_VERSIONS = ("0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9", "0.10", "0.11")
#: MediaWiki content models and what peerwork keeps them as.
CONTENT_MODELS = {"wikitext": "wikitext", "text": "markdown", "markdown": "markdown"}


class DumpError(Exception):
    """The dump cannot be read; the message is one line saying what is wrong."""


@dataclass(frozen=True)
class Sha1Mismatch:
    """A revision kept although its `<sha1>` is not the text's: where, what, and the likely
    why (computed over CRLF line ends, written in hex, or simply another value)."""

    title: str
    source_id: int | None
    revision_id: int
    given: str
    actual: str
    why: str

    def line(self) -> str:
        return (
            f"'{self.title}' revision {self.source_id} (here {self.revision_id}): "
            f"<sha1> {self.given!r}, text {self.actual} ({self.why})"
        )


@dataclass
class ImportResult:
    pages: int = 0
    revisions: int = 0
    added: int = 0
    #: (title, why) for pages peerwork has no place for (CSS, JavaScript, Lua modules...).
    skipped: list[tuple[str, str]] = field(default_factory=list)
    #: Revisions kept whose dump SHA-1 is not their text's: all counted, MAX_LISTED listed.
    sha1_mismatches: int = 0
    mismatches: list[Sha1Mismatch] = field(default_factory=list)
    #: Things the import decided for the whole dump (the space's title case), one line each.
    notes: list[str] = field(default_factory=list)

    def sha1_summary(self) -> str:
        """The line that closes an import whose dump had SHA-1s that did not match."""
        count = self.sha1_mismatches
        if not count:
            return ""
        subject = "1 revision's SHA-1 did" if count == 1 else f"{count} revisions' SHA-1s did"
        return f"{subject} not match their text; kept, listed in the import log"


class ImportInterrupted(DumpError):
    """Ctrl-C: what was committed stays, and running the import again resumes after it."""

    def __init__(self, result: ImportResult, title: str) -> None:
        self.result = result
        where = f" in page '{title}'" if title else ""
        super().__init__(
            f"interrupted{where} after {result.revisions} revisions "
            f"({result.added} new, kept); run the same command again to resume from there"
        )


class _SkipPage(Exception):
    pass


#: First bytes -> compression, so a dump is read right whatever its file is called.
_MAGIC = (
    (b"\x1f\x8b", "gzip"),
    (b"BZh", "bzip2"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
)
_SEVEN_ZIP = (
    "{path}: 7z dumps cannot be read as a stream by a maintained Python library; "
    "pipe it instead: 7z e -so {path} | peerwork import-mediawiki - --space SLUG"
)
_SUFFIXES = {".gz": "gzip", ".bz2": "bzip2", ".xz": "xz", ".lzma": "lzma", ".7z": "7z"}


def _compression(head: bytes, suffix: str) -> str | None:
    """The compression the first bytes show; a legacy .lzma stream has no magic number, so
    it is known by its header (properties byte 0x5D, the usual) or by its name."""
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return name
    if suffix == ".lzma" or (len(head) >= 13 and head[0] == 0x5D and head[1:3] == b"\x00\x00"):
        return "lzma"
    if (
        suffix in _SUFFIXES
        and head.lstrip()[:1] != b"<"
        and head[:2] not in (b"\xff\xfe", b"\xfe\xff")
    ):
        return _SUFFIXES[suffix]
    return None


def open_dump(path: str) -> tuple[IO[bytes], IO[bytes], int | None]:
    """(the XML stream, the raw file for progress, its size): a path or '-' for standard input,
    plain or gzip, bzip2, xz or lzma compressed, whatever its name says."""
    if path == "-":
        return sys.stdin.buffer, sys.stdin.buffer, None
    file = Path(path)
    if file.suffix.lower() == ".7z":
        raise DumpError(_SEVEN_ZIP.format(path=path))
    try:
        raw = file.open("rb")
    except OSError as error:
        raise DumpError(f"cannot open {path}: {error.strerror or error}") from None
    size = file.stat().st_size
    head = raw.read(16)
    raw.seek(0)
    kind = _compression(head, file.suffix.lower())
    if kind == "7z":
        raw.close()
        raise DumpError(_SEVEN_ZIP.format(path=path))
    if kind == "gzip":
        return gzip.open(raw, "rb"), raw, size  # type: ignore[return-value]
    if kind == "bzip2":
        return bz2.open(raw, "rb"), raw, size  # type: ignore[return-value]
    if kind == "xz":
        return lzma.open(raw, "rb", format=lzma.FORMAT_XZ), raw, size  # type: ignore[return-value]
    if kind == "lzma":
        return lzma.open(raw, "rb", format=lzma.FORMAT_ALONE), raw, size  # type: ignore[return-value]
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
    if name != "mediawiki" or not namespace.startswith(SCHEMA_PREFIXES):
        found = f'<{name} xmlns="{namespace}">' if namespace else f"<{name}>"
        raise DumpError(
            f"not a MediaWiki XML dump: the root element is {found}, "
            f'expected <mediawiki xmlns="{SCHEMA_PREFIX}0.11/">'
        )
    version = namespace.partition("/xml/export-")[2].rstrip("/")
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
    # A namespace peerwork lacks (Portal:, custom ones): its name stays in the title, in the
    # main namespace. Old schemas have no <ns>, and mwxml took the prefix off: put it back.
    full = str(page.title)
    if prefix and not full.startswith(prefix + ":"):
        full = f"{prefix}:{full}"
    return full


def _timestamp(value: Any) -> datetime:
    return datetime.fromtimestamp(value.unix(), tz=UTC)


def _source_wiki(site_info: Any) -> str:
    """What names the wiki a dump comes from: its database name, else its address, else its
    name. Revisions are known by this and their revision id (docs/decisions/0023)."""
    for value in (site_info.dbname, site_info.base, site_info.name):
        if value:
            return str(value).strip()[:255]
    return ""


def _follow_markup(space: Space, user: Any, result: ImportResult) -> None:
    """An empty space filled from a MediaWiki dump writes its new pages in wikitext too, as the
    imported ones are (decision 0051); a space that already holds pages keeps its choice."""
    wiki_policy = space.policy.get("wiki") or {}
    if wiki_policy.get("default_content_model") == "wikitext":
        return
    if pages_in_space(user=user, space=space).exists():
        return
    updated = space_policy_update(
        user=user,
        space=space,
        document={**space.policy, "wiki": {**wiki_policy, "default_content_model": "wikitext"}},
    )
    space.policy = updated.policy
    result.notes.append(f"space '{space.slug}' now writes new pages in wikitext, as the dump does")


def _follow_case(space: Space, user: Any, case: str | None, result: ImportResult) -> None:
    """Honour the dump's title case: an empty space takes the source wiki's rule, so a
    case-sensitive wiki's `familia` stays `familia` and is found under that name; a space that
    already holds pages keeps its rule (as MediaWiki's importer does) and the result says so."""
    if case not in ("first-letter", "case-sensitive"):
        return
    capitalize = case == "first-letter"
    if space.policy.get("capitalize_titles", True) == capitalize:
        return
    if pages_in_space(user=user, space=space).exists():
        rule = "capitalises first letters" if not capitalize else "is case-sensitive"
        result.notes.append(
            f"the dump's titles are {case}, but space '{space.slug}' already holds pages and "
            f"its title rule {rule}: titles follow the space's rule"
        )
        return
    updated = space_policy_update(
        user=user, space=space, document={**space.policy, "capitalize_titles": capitalize}
    )
    space.policy = updated.policy
    result.notes.append(f"space '{space.slug}' now treats titles as {case}, as the dump does")


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
        wiki = _source_wiki(dump.site_info)
        # peerwork's own export of this space names it by its slug: its ids are ours.
        own_dump = wiki == space.slug and str(dump.site_info.generator or "").startswith("peerwork")
        _follow_case(space, user, dump.site_info.case, result)
        if not own_dump:
            _follow_markup(space, user, result)
        for page in dump.pages:
            current_title = str(page.title)
            try:
                _import_page(
                    page,
                    space=space,
                    user=user,
                    title=_title_of(page, namespaces),
                    wiki=wiki,
                    own_dump=own_dump,
                    authors=authors,
                    progress=progress,
                    on_revision=on_revision,
                    result=result,
                )
            except _SkipPage as skip:
                result.skipped.append((current_title, str(skip)))
            result.pages += 1
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
    except (EOFError, OSError, zlib.error, lzma.LZMAError) as error:
        raise DumpError(
            _where(current_title) + f"the compressed dump is corrupt or truncated: {error}"
        ) from None
    except UnicodeError as error:
        raise DumpError(_where(current_title) + f"the dump has a bad encoding: {error}") from None
    except ActionError as error:
        raise DumpError(_where(current_title) + error.detail) from None
    except KeyboardInterrupt:
        if progress is not None:
            progress.finish()
        raise ImportInterrupted(result, current_title) from None
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


def _why_mismatch(given: str, text: str, actual: str) -> str:
    """The likely reason a dump's `<sha1>` is not the text's, for the import log."""
    value = given.strip().lower()
    if value == actual:
        return "written in hex, not base 36"
    if "\n" in text:
        crlf = hashlib.sha1(
            text.replace("\r\n", "\n").replace("\n", "\r\n").encode(), usedforsecurity=False
        ).hexdigest()
        if value in (crlf, sha1_hex_to_base36(crlf)):
            return "computed over the text with CRLF line ends"
    if not value.strip("0") or len(set(value)) == 1:
        return "a placeholder"
    return "does not match the text"


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value) if value is not None and str(value).strip() else None
    except ValueError:
        return None


#: Revisions written per transaction inside a page: an import stopped inside a long history
#: keeps what it committed and resumes after it (revisions are known by their source id).
REVISIONS_PER_COMMIT = 500


def _import_page(
    page: Any,
    *,
    space: Space,
    user: Any,
    title: str,
    wiki: str,
    own_dump: bool,
    authors: _Authors,
    progress: Progress | None,
    on_revision: Callable[[int], None] | None,
    result: ImportResult,
) -> None:
    """Import one page's revisions, committing every REVISIONS_PER_COMMIT of them."""
    revisions = iter(page)
    first: int | None = None
    last: Any = None
    target: Any = None
    added = 0
    mismatched: list[int] = []
    finished = False
    while not finished:
        with transaction.atomic():
            appender = PageImport(user=user, space=space, title=title, own_dump=own_dump)
            batch = seen = 0
            batch_mismatched: list[Sha1Mismatch] = []
            for revision in revisions:
                seen += 1
                stored = _import_revision(
                    revision, appender, wiki=wiki, authors=authors, progress=progress
                )
                if stored is None:
                    continue
                batch += 1
                first = first or stored.pk
                if stored.source_sha1 is not None:
                    batch_mismatched.append(
                        Sha1Mismatch(
                            title=str(page.title),
                            source_id=revision.id,
                            revision_id=stored.pk,
                            given=stored.source_sha1,
                            actual=sha1_hex_to_base36(stored.sha1),
                            why=_why_mismatch(stored.source_sha1, stored.content.text, stored.sha1),
                        )
                    )
                if progress is not None:
                    progress.update(added=1)
                if on_revision is not None:
                    on_revision(result.added + batch)
                if batch >= REVISIONS_PER_COMMIT:
                    break
            else:
                finished = True
            target = appender.finish() or target
            if appender.appended:
                last = appender.last
            if finished and target is not None and first is not None and last is not None:
                mismatched += [m.revision_id for m in batch_mismatched]
                _record_import(
                    user, space, target, page, wiki, added + batch, first, last, mismatched
                )
        # Committed: count it.
        added += batch
        result.added += batch
        result.revisions += seen
        result.sha1_mismatches += len(batch_mismatched)
        room = MAX_LISTED - len(result.mismatches)
        result.mismatches += batch_mismatched[: max(room, 0)]
        if not finished:
            mismatched += [m.revision_id for m in batch_mismatched]


def _import_revision(
    revision: Any,
    appender: PageImport,
    *,
    wiki: str,
    authors: _Authors,
    progress: Progress | None,
) -> Any:
    """Append one dump revision to the page; None when it was imported before."""
    content = revision.slots.contents.get("main") if revision.slots else None
    model = (content.model if content is not None else None) or "wikitext"
    if model not in CONTENT_MODELS:
        raise _SkipPage(f"content model '{model}' has no place in peerwork")
    text_deleted = bool(revision.deleted and revision.deleted.text)
    text = (content.text if content is not None else None) or ""
    dump_sha1 = (revision.slots.sha1 if revision.slots else None) or (
        content.sha1 if content is not None else None
    )
    if progress is not None:
        progress.update(revisions=1)
    contributor = revision.user
    author_name = str(contributor.text) if contributor and contributor.text else ""
    # mwxml keeps <username>'s <id> and drops which tag held the name: a name without an
    # id came in <ip> (MediaWiki writes an <id> with every <username>).
    is_ip = bool(author_name) and contributor.id is None
    source = ImportSource(
        wiki=wiki,
        revision_id=revision.id,
        parent_id=_int_or_none(revision.parent_id),
        sha1=None if text_deleted or not dump_sha1 else str(dump_sha1),
        author_id=None if is_ip or contributor is None else contributor.id,
        author_is_ip=is_ip,
    )
    if appender.imported(source) is not None:
        return None
    author = authors.account(author_name) if author_name and not is_ip else None
    return appender.append(
        text=text,
        created_at=_timestamp(revision.timestamp),
        author_name=author.username if author is not None else author_name,
        author=author,
        summary=str(revision.comment or ""),
        minor=bool(revision.minor),
        content_model=CONTENT_MODELS[model],
        source=source,
    )


def _record_import(
    user: Any,
    space: Space,
    stored_page: Any,
    page: Any,
    wiki: str,
    added: int,
    first: int,
    last: Any,
    mismatched: list[int],
) -> None:
    """One `page:imported` event per page: the space's log of the import."""
    data: dict[str, Any] = {
        "namespace": stored_page.namespace,
        "title": stored_page.title,
        "revisions": added,
        "first_revision": first,
        "last_revision": last.pk,
        "source_page": page.id,
        "source_wiki": wiki,
    }
    if mismatched:
        data["sha1_mismatches"] = len(mismatched)
        data["sha1_mismatched_revisions"] = mismatched[:100]
    recorder.record(actor=user, verb="page:imported", target=stored_page, space=space, data=data)


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
