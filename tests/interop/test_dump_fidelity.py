"""MediaWiki dumps import exactly: every revision, its id and parent, its contributor as it came,
sha1s as recorded, namespaces and title case, every schema and compression. Each class of
fault found on real dumps has its own small dump here, read back through api.php field by field
and through the XML export."""

from __future__ import annotations

import bz2
import gzip
import hashlib
import io
import lzma
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from peerwork.activity.models import Event
from peerwork.cli import main
from peerwork.interop.dumps import sha1_hex_to_base36
from peerwork.interop.dumps.exporter import mediawiki_xml
from peerwork.interop.dumps.importer import DumpError, import_dump
from peerwork.interop.dumps.progress import Progress
from peerwork.wiki import actions as wiki
from peerwork.wiki.models import Page, Revision

FIXTURES = Path(__file__).parent / "fixtures"
API = "/s/{slug}/w/api.php"
NS11 = {"mw": "http://www.mediawiki.org/xml/export-0.11/"}


def _hex(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@dataclass
class Rev:
    id: int
    timestamp: str
    text: str
    user: str = ""
    #: None for an <ip> contributor.
    user_id: int | None = None
    parent: int | None = None
    comment: str = ""
    minor: bool = False
    #: What <sha1> says: "" writes none, None the right base-36 value.
    sha1: str | None = None

    @property
    def anon(self) -> bool:
        """As MediaWiki's API says it: an IP, or a name with no id on that wiki."""
        return not self.user_id


@dataclass
class PageSpec:
    title: str
    ns: int
    id: int
    revisions: list[Rev] = field(default_factory=list)


def _version_at_least(version: str, minimum: str) -> bool:
    return tuple(map(int, version.split("."))) >= tuple(map(int, minimum.split(".")))


def dump_xml(
    pages: list[PageSpec],
    *,
    version: str = "0.11",
    scheme: str = "http",
    case: str = "first-letter",
    dbname: str = "oldwiki",
    namespaces: dict[int, str] | None = None,
) -> str:
    """A dump in the given export schema with the fields that schema has: <ns> from 0.6,
    <parentid> and <sha1> from 0.7, <model> and <format> from 0.8."""
    xmlns = f"{scheme}://www.mediawiki.org/xml/export-{version}/"
    names = namespaces or {0: "", 1: "Talk", 2: "User", 8: "MediaWiki", 14: "Category"}
    rows = "".join(
        f'<namespace key="{key}" case="{case}">{_esc(name)}</namespace>\n'
        if name
        else f'<namespace key="{key}" case="{case}" />\n'
        for key, name in sorted(names.items())
    )
    dbname_row = f"<dbname>{dbname}</dbname>\n" if _version_at_least(version, "0.5") else ""
    out = [
        '<?xml version="1.0" encoding="utf-8"?>\n',
        f'<mediawiki xmlns="{xmlns}" version="{version}" xml:lang="en">\n',
        f"<siteinfo>\n<sitename>Old Wiki</sitename>\n{dbname_row}"
        "<base>https://old.example.org/wiki/Main_Page</base>\n"
        f"<generator>MediaWiki 1.5</generator>\n<case>{case}</case>\n"
        f"<namespaces>\n{rows}</namespaces>\n</siteinfo>\n",
    ]
    for page in pages:
        out.append(f"<page>\n<title>{_esc(page.title)}</title>\n")
        if _version_at_least(version, "0.6"):
            out.append(f"<ns>{page.ns}</ns>\n")
        out.append(f"<id>{page.id}</id>\n")
        for rev in page.revisions:
            out.append(f"<revision>\n<id>{rev.id}</id>\n")
            if rev.parent and _version_at_least(version, "0.7"):
                out.append(f"<parentid>{rev.parent}</parentid>\n")
            out.append(f"<timestamp>{rev.timestamp}</timestamp>\n")
            if rev.user_id is None:
                out.append(f"<contributor><ip>{_esc(rev.user)}</ip></contributor>\n")
            else:
                out.append(
                    f"<contributor><username>{_esc(rev.user)}</username>"
                    f"<id>{rev.user_id}</id></contributor>\n"
                )
            if rev.minor:
                out.append("<minor/>\n")
            if rev.comment:
                out.append(f"<comment>{_esc(rev.comment)}</comment>\n")
            if _version_at_least(version, "0.8"):
                out.append("<model>wikitext</model>\n<format>text/x-wiki</format>\n")
            size = len(rev.text.encode())
            out.append(f'<text xml:space="preserve" bytes="{size}">{_esc(rev.text)}</text>\n')
            if _version_at_least(version, "0.7"):
                sha1 = sha1_hex_to_base36(_hex(rev.text)) if rev.sha1 is None else rev.sha1
                out.append(f"<sha1>{sha1}</sha1>\n")
            out.append("</revision>\n")
        out.append("</page>\n")
    out.append("</mediawiki>\n")
    return "".join(out)


def _import(source: Any, space: Any, user: Any) -> Any:
    return import_dump(str(source), space=space, user=user, progress=Progress(io.StringIO()))


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def api_history(slug: str, title: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The page (ns, title) and its revisions, oldest first, as api.php answers them."""
    answer = (
        Client()
        .get(
            API.format(slug=slug),
            {
                "format": "json",
                "formatversion": "2",
                "action": "query",
                "prop": "revisions",
                "titles": title,
                "rvprop": "ids|flags|timestamp|user|userid|size|sha1|comment|content",
                "rvslots": "main",
                "rvlimit": "max",
                "rvdir": "newer",
            },
        )
        .json()
    )
    page = answer["query"]["pages"][0]
    assert "missing" not in page, (title, answer)
    return {"ns": page["ns"], "title": page["title"]}, page["revisions"]


def expected_rows(revisions: list[Rev], ids: dict[int, int] | None = None) -> list[dict]:
    """What api.php must answer for these dump revisions (ids through `ids` when mapped)."""
    ids = ids or {}
    rows = []
    previous = 0
    for rev in revisions:
        parent = rev.parent if rev.parent is not None else previous
        rows.append(
            {
                "revid": ids.get(rev.id, rev.id),
                "parentid": ids.get(parent, parent) if parent else 0,
                "user": rev.user,
                "userid": rev.user_id or 0,
                "anon": rev.anon,
                "timestamp": rev.timestamp,
                "comment": rev.comment,
                "minor": rev.minor,
                "sha1": _hex(rev.text),
                "size": len(rev.text.encode()),
                "text": rev.text,
            }
        )
        previous = rev.id
    return rows


def answered_rows(revisions: list[dict[str, Any]]) -> list[dict]:
    return [
        {
            "revid": r["revid"],
            "parentid": r["parentid"],
            "user": r["user"],
            "userid": r["userid"],
            "anon": r.get("anon", False),
            "timestamp": r["timestamp"],
            "comment": r["comment"],
            "minor": r["minor"],
            "sha1": r["sha1"],
            "size": r["size"],
            "text": r["slots"]["main"]["content"],
        }
        for r in revisions
    ]


def exported_rows(space: Any, title: str) -> list[dict]:
    """The same fields as the XML export writes them."""
    root = ET.fromstring("".join(mediawiki_xml(space)))
    for page in root.findall("mw:page", NS11):
        if page.findtext("mw:title", namespaces=NS11) != title:
            continue
        rows = []
        for revision in page.findall("mw:revision", NS11):
            contributor = revision.find("mw:contributor", NS11)
            assert contributor is not None
            ip = contributor.findtext("mw:ip", namespaces=NS11)
            text = revision.findtext("mw:text", namespaces=NS11) or ""
            rows.append(
                {
                    "revid": int(revision.findtext("mw:id", namespaces=NS11) or 0),
                    "parentid": int(revision.findtext("mw:parentid", namespaces=NS11) or 0),
                    "user": ip if ip is not None else contributor.findtext("mw:username", "", NS11),
                    "userid": int(contributor.findtext("mw:id", "0", NS11)),
                    "anon": ip is not None or contributor.findtext("mw:id", "0", NS11) == "0",
                    "timestamp": revision.findtext("mw:timestamp", namespaces=NS11),
                    "comment": revision.findtext("mw:comment", "", NS11),
                    "minor": revision.find("mw:minor", NS11) is not None,
                    "sha1": revision.findtext("mw:sha1", namespaces=NS11),
                    "size": len(text.encode()),
                    "text": text,
                }
            )
        return rows
    raise AssertionError(f"{title} is not in the export")


def as_exported(rows: list[dict]) -> list[dict]:
    """api rows as the export writes them: sha1 in base 36."""
    return [{**row, "sha1": sha1_hex_to_base36(row["sha1"])} for row in rows]


@pytest.fixture
def world(make_user: Any, make_space: Any) -> Any:
    steward = make_user("stew")
    space = make_space(steward, "old")
    return steward, space


# ------------------------------------------------------------- 1. sha1 never refuses


CRLF_TEXT = "First line\nsecond line\n"
SHA1_HISTORY = PageSpec(
    "Old page",
    0,
    1,
    [
        Rev(
            11,
            "2003-05-01T10:00:00Z",
            CRLF_TEXT,
            "Ada",
            7,
            comment="computed over CRLF",
            sha1=sha1_hex_to_base36(_hex(CRLF_TEXT.replace("\n", "\r\n"))),
        ),
        Rev(12, "2003-05-02T10:00:00Z", "placeholder\n", "Ada", 7, 11, sha1="0" * 31),
        Rev(13, "2003-05-03T10:00:00Z", "in hex\n", "Ada", 7, 12, sha1=_hex("in hex\n")),
        Rev(14, "2003-05-04T10:00:00Z", "no sha1\n", "192.0.2.1", None, 13, sha1=""),
        Rev(15, "2003-05-05T10:00:00Z", "right\n", "Ada", 7, 14, minor=True),
    ],
)


@pytest.mark.django_db
def test_sha1_mismatches_keep_every_revision_and_are_counted_and_listed(world, tmp_path, capsys):
    steward, space = world
    path = _write(tmp_path, "sha1.xml", dump_xml([SHA1_HISTORY]))
    log = tmp_path / "sha1.log"
    assert main(["import-mediawiki", str(path), "--space", "old", "--log", str(log)]) == 0
    out = capsys.readouterr().out
    assert "Imported 5 new revisions of 5 in 1 pages into 'old'." in out
    assert f"3 revisions' SHA-1s did not match their text; kept, listed in {log}." in out
    listed = log.read_text().splitlines()
    assert len(listed) == 3
    assert "revision 11 (here 11)" in listed[0] and "CRLF line ends" in listed[0]
    assert "revision 12" in listed[1] and "a placeholder" in listed[1]
    assert "revision 13" in listed[2] and "written in hex" in listed[2]

    # Each revision keeps the dump's value beside its own; an empty <sha1> records nothing.
    recorded = dict(Revision.objects.filter(page__space=space).values_list("pk", "source_sha1"))
    assert recorded == {
        11: SHA1_HISTORY.revisions[0].sha1,
        12: "0" * 31,
        13: _hex("in hex\n"),
        14: None,
        15: None,
    }
    event = Event.objects.get(space=space, verb="page:imported")
    assert event.data["sha1_mismatches"] == 3
    assert event.data["sha1_mismatched_revisions"] == [11, 12, 13]

    # api.php answers the sha1 of the text, as MediaWiki does; every field as the dump had it.
    page, revisions = api_history("old", "Old page")
    assert page == {"ns": 0, "title": "Old page"}
    assert answered_rows(revisions) == expected_rows(SHA1_HISTORY.revisions)
    # The export tells the truth about the text: its sha1s match.
    assert exported_rows(space, "Old page") == as_exported(expected_rows(SHA1_HISTORY.revisions))


@pytest.mark.django_db
def test_the_import_result_lists_the_mismatches(world, tmp_path):
    steward, space = world
    result = _import(_write(tmp_path, "sha1.xml", dump_xml([SHA1_HISTORY])), space, steward)
    assert result.added == 5 and result.sha1_mismatches == 3
    assert [(m.source_id, m.revision_id) for m in result.mismatches] == [
        (11, 11),
        (12, 12),
        (13, 13),
    ]
    assert result.sha1_summary() == (
        "3 revisions' SHA-1s did not match their text; kept, listed in the import log"
    )


# ------------------------------------------------------- 2. same-second reverts kept

T = "2021-03-04T05:06:07Z"
REVERTS = PageSpec(
    "Target",
    0,
    2,
    [
        Rev(21, T, "Good text.\n", "Ada", 7, comment="create"),
        Rev(22, T, "VANDALISM\n", "203.0.113.9", None, 21),
        Rev(23, T, "Good text.\n", "Ada", 7, 22, comment="Undo revision 22", minor=True),
        Rev(24, T, "VANDALISM\n", "203.0.113.9", None, 23),
        Rev(25, T, "Good text.\n", "Bot", 9, 24, comment="Reverted edits", minor=True),
        Rev(26, "2021-03-04T05:06:08Z", "Better text.\n", "Ada", 7, 25),
    ],
)


@pytest.mark.django_db
def test_reverts_in_the_same_second_are_all_kept_and_a_rerun_adds_nothing(world, tmp_path):
    steward, space = world
    path = _write(tmp_path, "reverts.xml", dump_xml([REVERTS]))
    assert _import(path, space, steward).added == 6
    _page, revisions = api_history("old", "Target")
    assert answered_rows(revisions) == expected_rows(REVERTS.revisions)
    assert exported_rows(space, "Target") == as_exported(expected_rows(REVERTS.revisions))

    again = _import(path, space, steward)
    assert (again.revisions, again.added) == (6, 0)
    assert Revision.objects.filter(page__space=space).count() == 6


@pytest.mark.django_db
def test_an_import_stopped_inside_a_history_of_reverts_resumes_to_the_exact_count(world, tmp_path):
    steward, space = world
    first_half = PageSpec("Target", 0, 2, REVERTS.revisions[:3])
    _import(_write(tmp_path, "half.xml", dump_xml([first_half])), space, steward)
    result = _import(_write(tmp_path, "all.xml", dump_xml([REVERTS])), space, steward)
    assert (result.revisions, result.added) == (6, 3)
    _page, revisions = api_history("old", "Target")
    assert answered_rows(revisions) == expected_rows(REVERTS.revisions)


# ------------------------------------------------------- 3. ids and contributors kept

PEOPLE = PageSpec(
    "People",
    0,
    3,
    [
        Rev(31, "2010-01-01T00:00:00Z", "one\n", "Old Editor", 12, comment="registered"),
        Rev(32, "2010-01-02T00:00:00Z", "two\n", "192.0.2.7", None, 31, comment="an IP"),
        Rev(33, "2010-01-03T00:00:00Z", "three\n", "2001:db8::1", None, 32),
        Rev(35, "2010-01-04T00:00:00Z", "four\n", "Conversion script", None, 33, minor=True),
        Rev(40, "2010-01-05T00:00:00Z", "five\n", "Imported editor", 0, 35),
    ],
)


@pytest.mark.django_db
def test_revision_ids_parents_and_contributors_are_kept(world, tmp_path):
    steward, space = world
    path = _write(tmp_path, "people.xml", dump_xml([PEOPLE]))
    _import(path, space, steward)
    assert sorted(Revision.objects.filter(page__space=space).values_list("pk", flat=True)) == [
        31,
        32,
        33,
        35,
        40,
    ]
    page, revisions = api_history("old", "People")
    rows = answered_rows(revisions)
    assert rows == expected_rows(PEOPLE.revisions)
    # Registered on the source wiki: no anon, their id there. An <ip>, even one that holds
    # no address, is anon; a <username> with id 0 (imported there) too, as MediaWiki says.
    assert [(r["user"], r["userid"], r["anon"]) for r in rows] == [
        ("Old Editor", 12, False),
        ("192.0.2.7", 0, True),
        ("2001:db8::1", 0, True),
        ("Conversion script", 0, True),
        ("Imported editor", 0, True),
    ]
    exported = exported_rows(space, "People")
    assert exported == as_exported(expected_rows(PEOPLE.revisions))
    xml = "".join(mediawiki_xml(space))
    assert "<ip>Conversion script</ip>" in xml
    assert "<username>Imported editor</username>\n        <id>0</id>" in xml
    assert "<username>Old Editor</username>\n        <id>12</id>" in xml


@pytest.mark.django_db
def test_ids_taken_in_the_space_are_mapped_and_revids_finds_them_by_the_old_id(
    world, make_space, tmp_path
):
    steward, space = world
    path = _write(tmp_path, "people.xml", dump_xml([PEOPLE]))
    _import(path, space, steward)
    # The same dump into another space: its ids are taken, so the revisions get new ones.
    other = make_space(steward, "other")
    _import(path, other, steward)
    new_ids = list(
        Revision.objects.filter(page__space=other).order_by("pk").values_list("pk", flat=True)
    )
    assert len(new_ids) == 5 and min(new_ids) > 40
    mapping = dict(zip([31, 32, 33, 35, 40], new_ids, strict=True))
    _page, revisions = api_history("other", "People")
    assert answered_rows(revisions) == expected_rows(PEOPLE.revisions, mapping)

    answer = (
        Client()
        .get(
            API.format(slug="other"),
            {
                "format": "json",
                "formatversion": "2",
                "action": "query",
                "prop": "revisions",
                "revids": "32|35|999",
                "rvprop": "ids|user",
            },
        )
        .json()
    )
    found = answer["query"]["pages"][0]["revisions"]
    assert sorted(r["revid"] for r in found) == sorted([mapping[32], mapping[35]])
    assert answer["query"]["badrevids"] == {"999": {"revid": 999, "missing": True}}
    # Re-running into the other space adds nothing either.
    assert _import(path, other, steward).added == 0


@pytest.mark.django_db
def test_a_later_edit_after_kept_ids_gets_a_fresh_id(world, tmp_path):
    steward, space = world
    _import(_write(tmp_path, "people.xml", dump_xml([PEOPLE])), space, steward)
    page = Page.objects.get(space=space, title="People")
    saved = wiki.page_save(
        user=steward,
        space=space,
        title="People",
        text="six\n",
        base_revision_id=page.current_revision_id,
    )
    assert saved.revision is not None and saved.revision.pk > 40
    assert saved.revision.parent_id == 40


# ------------------------------------------------------- 4. titles and namespaces

GERMAN = {
    0: "",
    1: "Diskussion",
    2: "Benutzer",
    8: "MediaWiki",
    14: "Kategorie",
    100: "Portal",
}


def _one(title: str, ns: int, page_id: int, rev_id: int) -> PageSpec:
    return PageSpec(
        title, ns, page_id, [Rev(rev_id, "2015-01-01T00:00:00Z", f"{title}\n", "Ada", 7)]
    )


@pytest.mark.django_db
def test_a_case_sensitive_wiki_keeps_its_titles_and_namespaces_map_by_number(world, tmp_path):
    steward, space = world
    pages = [
        _one("familia", 0, 1, 51),
        _one("Benutzer:ada", 2, 2, 52),
        _one("MediaWiki:Sidebar", 8, 3, 53),
        _one("Kategorie:tiere", 14, 4, 54),
        _one("Portal:zoo", 100, 5, 55),
        _one("Diskussion:familia", 1, 6, 56),
    ]
    xml = dump_xml(pages, case="case-sensitive", namespaces=GERMAN)
    result = _import(_write(tmp_path, "de.xml", xml), space, steward)
    assert result.added == 6
    assert result.notes == [
        "space 'old' now treats titles as case-sensitive, as the dump does",
        "space 'old' now writes new pages in wikitext, as the dump does",
    ]
    space.refresh_from_db()
    assert space.policy["capitalize_titles"] is False
    stored = sorted(Page.objects.filter(space=space).values_list("namespace", "title"))
    assert stored == [
        (0, "Portal:zoo"),  # a namespace peerwork has no place for stays in the title
        (0, "familia"),
        (1, "familia"),
        (2, "ada"),
        (8, "Sidebar"),
        (14, "tiere"),
    ]
    for title, ns in [
        ("familia", 0),
        ("Talk:familia", 1),
        ("User:ada", 2),
        ("MediaWiki:Sidebar", 8),
        ("Category:tiere", 14),
        ("Portal:zoo", 0),
    ]:
        page, revisions = api_history("old", title)
        assert page == {"ns": ns, "title": title}
        assert len(revisions) == 1 and revisions[0]["user"] == "Ada"
    export = "".join(mediawiki_xml(space))
    assert "<case>case-sensitive</case>" in export
    assert "<title>MediaWiki:Sidebar</title>\n    <ns>8</ns>" in export
    assert "<title>familia</title>\n    <ns>0</ns>" in export


@pytest.mark.django_db
def test_a_space_that_holds_pages_keeps_its_title_rule(world, tmp_path):
    steward, space = world
    wiki.page_save(user=steward, space=space, title="Home", text="x", base_revision_id=None)
    xml = dump_xml([_one("familia", 0, 1, 51)], case="case-sensitive")
    result = _import(_write(tmp_path, "cs.xml", xml), space, steward)
    assert "titles follow the space's rule" in result.notes[0]
    assert Page.objects.filter(space=space, title="Familia").exists()


@pytest.mark.django_db
def test_spanish_namespace_names_map_by_number_in_a_schema_without_ns(world, tmp_path):
    steward, space = world
    spanish = {0: "", 1: "Discusión", 2: "Usuario", 14: "Categoría"}
    pages = [_one("Usuario:Ana", 2, 1, 61), _one("Categoría:Plantas", 14, 2, 62)]
    xml = dump_xml(pages, version="0.5", namespaces=spanish)
    _import(_write(tmp_path, "es.xml", xml), space, steward)
    assert sorted(Page.objects.filter(space=space).values_list("namespace", "title")) == [
        (2, "Ana"),
        (14, "Plantas"),
    ]


# ------------------------------------------------------- 5. schemas and compression

HISTORY = PageSpec(
    "Main Page",
    0,
    1,
    [
        Rev(71, "2004-02-01T00:00:00Z", "Hello, wörld.\n", "Ada", 7, comment="new"),
        Rev(72, "2004-02-02T00:00:00Z", "Hello, world.\n", "192.0.2.5", None, 71, minor=True),
    ],
)
VERSIONS = ["0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9", "0.10", "0.11"]


@pytest.mark.django_db
@pytest.mark.parametrize("scheme", ["http", "https"])
@pytest.mark.parametrize("version", VERSIONS)
def test_every_export_schema_is_read(world, tmp_path, version, scheme):
    steward, space = world
    xml = dump_xml([HISTORY], version=version, scheme=scheme)
    assert _import(_write(tmp_path, "v.xml", xml), space, steward).added == 2
    _page, revisions = api_history("old", "Main Page")
    assert answered_rows(revisions) == expected_rows(HISTORY.revisions)


@pytest.mark.django_db
def test_the_hand_written_0_3_dump_imports(world):
    steward, space = world
    result = _import(FIXTURES / "old-0.3.xml", space, steward)
    assert (result.pages, result.added) == (2, 3)
    _page, revisions = api_history("old", "User:Ana")
    assert [(r["revid"], r["user"], r.get("anon", False)) for r in revisions] == [(5, "Ana", False)]
    _page, revisions = api_history("old", "Main Page")
    assert [(r["revid"], r["parentid"], r["user"], r["minor"]) for r in revisions] == [
        (1, 0, "Conversion script", False),
        (2, 1, "Ana", True),
    ]


def _compressed(kind: str, data: bytes) -> bytes:
    if kind == "gz":
        return gzip.compress(data)
    if kind == "bz2":
        return bz2.compress(data)
    if kind == "xz":
        return lzma.compress(data, format=lzma.FORMAT_XZ)
    if kind == "lzma":
        return lzma.compress(data, format=lzma.FORMAT_ALONE)
    return data


@pytest.mark.django_db
@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
@pytest.mark.parametrize("kind", ["plain", "gz", "bz2", "xz", "lzma"])
@pytest.mark.parametrize("named", [True, False])
def test_every_compression_and_utf16_are_read_by_their_first_bytes(
    world, tmp_path, capsys, encoding, kind, named
):
    steward, space = world
    xml = dump_xml([HISTORY], version="0.3")
    if encoding == "utf-16":
        xml = xml.replace('encoding="utf-8"', 'encoding="utf-16"')
    data = _compressed(kind, xml.encode(encoding))
    # Named for what it is, or all called .xml: the first bytes decide.
    name = f"dump.xml.{kind}" if named and kind != "plain" else "dump.xml"
    path = tmp_path / name
    path.write_bytes(data)
    assert main(["import-mediawiki", str(path), "--space", "old"]) == 0
    assert "Imported 2 new revisions of 2 in 1 pages" in capsys.readouterr().out
    _page, revisions = api_history("old", "Main Page")
    assert answered_rows(revisions) == expected_rows(HISTORY.revisions)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["gz", "bz2", "xz", "lzma"])
def test_a_corrupt_archive_is_called_corrupt(world, tmp_path, kind):
    steward, space = world
    data = bytearray(_compressed(kind, dump_xml([HISTORY]).encode() * 20))
    middle = len(data) // 2
    data[middle : middle + 40] = b"\x00" * 40
    path = tmp_path / f"dump.xml.{kind}"
    path.write_bytes(bytes(data))
    with pytest.raises(DumpError, match="corrupt"):
        _import(path, space, steward)


@pytest.mark.django_db
def test_a_7z_archive_is_known_by_its_bytes_and_the_message_names_the_pipe(world, tmp_path):
    steward, space = world
    path = tmp_path / "dump.xml"
    path.write_bytes(b"7z\xbc\xaf\x27\x1c\x00\x04" + b"\x00" * 24)
    with pytest.raises(DumpError, match=r"7z e -so .*dump.xml \| peerwork import-mediawiki -"):
        _import(path, space, steward)


# ------------------------------------------------- 6. one long history: memory and resume


def _long_history(count: int, text_bytes: int = 0) -> PageSpec:
    filler = "x" * text_bytes
    return PageSpec(
        "Long",
        0,
        9,
        [
            Rev(
                1000 + number,
                f"2022-01-01T00:{number // 60 % 60:02d}:{number % 60:02d}Z",
                f"{filler}Version {number}.\n",
                "Ada",
                7,
                1000 + number - 1 if number else None,
            )
            for number in range(count)
        ],
    )


@pytest.mark.django_db
def test_an_import_stopped_inside_one_page_keeps_its_batches_and_resumes_to_the_exact_count(
    world, tmp_path, monkeypatch
):
    from peerwork.interop.dumps import importer

    steward, space = world
    monkeypatch.setattr(importer, "REVISIONS_PER_COMMIT", 3)
    long = _long_history(10)
    path = _write(tmp_path, "long.xml", dump_xml([long]))

    class Killed(Exception):
        pass

    def kill_at_seven(count: int) -> None:
        if count == 7:
            raise Killed

    with pytest.raises(Killed):
        import_dump(str(path), space=space, user=steward, on_revision=kill_at_seven)
    # Two batches of three were committed; the page shows what it holds so far.
    assert Revision.objects.filter(page__space=space).count() == 6
    page = Page.objects.get(space=space, title="Long")
    assert page.current_revision_id == 1005

    result = _import(path, space, steward)
    assert (result.revisions, result.added) == (10, 4)
    _page, revisions = api_history("old", "Long")
    assert answered_rows(revisions) == expected_rows(long.revisions)
    assert _import(path, space, steward).added == 0


@pytest.mark.django_db
def test_ctrl_c_says_in_one_line_how_far_the_import_got_and_how_to_resume(
    world, tmp_path, monkeypatch, capsys
):
    from peerwork.interop.dumps import importer
    from peerwork.interop.dumps.progress import Progress as RealProgress

    steward, space = world
    monkeypatch.setattr(importer, "REVISIONS_PER_COMMIT", 2)
    path = _write(tmp_path, "long.xml", dump_xml([_long_history(6)]))
    original = RealProgress.update

    def interrupt(self: Any, **counts: Any) -> None:
        original(self, **counts)
        if self.added == 5:
            raise KeyboardInterrupt

    monkeypatch.setattr(RealProgress, "update", interrupt)
    with pytest.raises(SystemExit) as exit_info:
        main(["import-mediawiki", str(path), "--space", "old"])
    assert exit_info.value.code == 130
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.startswith("peerwork:")]
    assert lines == [
        "peerwork: import-mediawiki: interrupted in page 'Long' after 4 revisions (4 new, "
        "kept); run the same command again to resume from there"
    ]
    assert Revision.objects.filter(page__space=space).count() == 4


@pytest.mark.django_db
def test_a_long_history_does_not_stay_in_memory(world, tmp_path):
    import tracemalloc

    steward, space = world
    # 200 revisions of 20 kB: 4 MB of text that must not all be held at once.
    # Schema 0.6 has no <parentid>: each revision's parent is the one before it.
    long = _long_history(200, 20_000)
    path = _write(tmp_path, "long.xml", dump_xml([long], version="0.6"))
    tracemalloc.start()
    try:
        _import(path, space, steward)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert Revision.objects.filter(page__space=space).count() == 200
    assert peak < 2_000_000, peak
