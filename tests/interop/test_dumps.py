"""MediaWiki dumps in and out: import, resume, broken dumps, export, round trip, open data."""

from __future__ import annotations

import bz2
import gzip
import hashlib
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.test import Client

from peerwork.activity.actions import watch_set
from peerwork.activity.models import Event
from peerwork.cli import main
from peerwork.discussions import actions as discussions
from peerwork.interop.dumps import sha1_base36_to_hex, sha1_hex_to_base36
from peerwork.interop.dumps.exporter import mediawiki_xml
from peerwork.interop.dumps.importer import import_dump
from peerwork.interop.dumps.progress import Progress
from peerwork.wiki import actions as wiki
from peerwork.wiki.models import Page, Revision
from peerwork.wiki.rendering import revision_html
from peerwork.wiki.wikitext import render_wikitext

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE = FIXTURES / "sample-0.10.xml"
NS = {"mw": "http://www.mediawiki.org/xml/export-0.11/"}


def _sha1(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()


def history(space) -> list[tuple]:
    """Everything the round trip must keep, page by page, revision by revision."""
    rows = []
    for page in Page.objects.filter(space=space).order_by("namespace", "title"):
        revisions = Revision.objects.filter(page=page).select_related("content", "author")
        rows.append(
            (
                page.namespace,
                page.title,
                [
                    (
                        revision.content.text,
                        revision.created_at,
                        revision.author.username if revision.author else None,
                        revision.author_name,
                        revision.summary,
                        revision.is_minor,
                        revision.sha1,
                        revision.content_model,
                    )
                    for revision in revisions.order_by("pk")
                ],
            )
        )
    return rows


@pytest.fixture
def world(make_user, make_space):
    steward = make_user("stew")
    ada = make_user("ada")
    space = make_space(steward, "sample")
    return steward, ada, space


def _import(source, space, user, **extra):
    return import_dump(
        str(source), space=space, user=user, progress=Progress(io.StringIO()), **extra
    )


# --------------------------------------------------------------------------- import


@pytest.mark.django_db
def test_import_keeps_every_revision_with_its_author_time_summary_and_sha1(world):
    steward, ada, space = world
    result = _import(SAMPLE, space, steward)
    assert (result.pages, result.revisions, result.added) == (4, 8, 8)

    pages = Page.objects.filter(space=space)
    assert sorted((p.namespace, p.title) for p in pages) == [
        (0, "Main Page"),
        (0, "Sandbox"),
        (1, "Main Page"),
        (12, "Editing"),
    ]
    main_page = pages.get(namespace=0, title="Main Page")
    revisions = list(Revision.objects.filter(page=main_page).order_by("pk"))
    assert [(r.author, r.author_name) for r in revisions] == [
        (ada, "ada"),
        (None, "Old Editor"),
        (None, "192.0.2.7"),
    ]
    assert [r.created_at.isoformat() for r in revisions] == [
        "2020-01-01T10:00:00+00:00",
        "2020-01-02T11:30:00+00:00",
        "2020-01-03T12:00:00+00:00",
    ]
    assert [r.summary for r in revisions] == ["First version", "typo", ""]
    assert [r.is_minor for r in revisions] == [False, True, False]
    assert all(r.sha1 == _sha1(r.content.text) for r in revisions)
    assert {r.content_model for r in revisions} == {"wikitext"}
    assert [r.parent_id for r in revisions] == [None, revisions[0].pk, revisions[1].pk]
    assert main_page.current_revision_id == revisions[-1].pk

    help_page = pages.get(namespace=12)
    last = help_page.current_revision
    assert last.content.text == "Edit with care & <patience>.\n"
    assert (last.is_minor, last.summary) == (True, "")

    events = Event.objects.filter(space=space, verb="page:imported")
    assert events.count() == 4
    assert {e.actor_id for e in events} == {steward.pk}
    assert sorted(e.data["revisions"] for e in events) == [1, 2, 2, 3]


@pytest.mark.django_db
def test_imported_pages_render_wikitext_with_red_and_blue_links(world):
    steward, _ada, space = world
    _import(SAMPLE, space, steward)
    main_page = Page.objects.get(space=space, namespace=0, title="Main Page")
    html = revision_html(main_page.current_revision)
    assert '<h2 id="Welcome">Welcome</h2>' in html
    assert '<a href="/s/sample/wiki/Sandbox" class="wikilink"' in html
    assert '<a href="/s/sample/wiki/Help:Editing" class="wikilink"' in html
    assert "<b>main</b>" in html and "<i>wiki</i>" in html
    assert "<ul><li>" in html


@pytest.mark.django_db
def test_imported_pages_are_searchable(world):
    from peerwork.search.backends import get_backend

    steward, _ada, space = world
    _import(SAMPLE, space, steward)
    hits = get_backend().search([space.pk], "patience", limit=10)
    assert [hit.page_id for hit in hits] == [
        Page.objects.get(space=space, namespace=12, title="Editing").pk
    ]


@pytest.mark.django_db
def test_running_an_import_again_adds_nothing(world):
    steward, _ada, space = world
    _import(SAMPLE, space, steward)
    before = history(space)
    events = Event.objects.count()
    result = _import(SAMPLE, space, steward)
    assert (result.revisions, result.added) == (8, 0)
    assert history(space) == before
    assert Event.objects.count() == events


@pytest.mark.django_db
def test_an_interrupted_import_resumes_to_the_same_state(world, make_space):
    steward, _ada, space = world

    class Stop(Exception):
        pass

    def stop_after_four(count: int) -> None:
        if count == 4:
            raise Stop

    with pytest.raises(Stop):
        _import(SAMPLE, space, steward, on_revision=stop_after_four)
    # The first page (3 revisions) is whole; the second, stopped inside, left no trace.
    assert Revision.objects.filter(page__space=space).count() == 3
    assert not Page.objects.filter(space=space, namespace=1).exists()

    result = _import(SAMPLE, space, steward)
    assert result.added == 5
    fresh = make_space(steward, "fresh")
    _import(SAMPLE, fresh, steward)
    assert history(space) == history(fresh)


@pytest.mark.django_db
@pytest.mark.parametrize("compression", ["bz2", "gz"])
def test_compressed_dumps_import_through_the_command(world, tmp_path, capsys, compression):
    _steward, _ada, space = world
    path = tmp_path / f"sample.xml.{compression}"
    opener = bz2.open if compression == "bz2" else gzip.open
    with opener(path, "wb") as out:
        out.write(SAMPLE.read_bytes())
    assert main(["import-mediawiki", str(path), "--space", "sample"]) == 0
    captured = capsys.readouterr()
    assert captured.out == "Imported 8 new revisions of 8 in 4 pages into 'sample'.\n"
    assert "8 revisions (8 new)" in captured.err and "revisions/s" in captured.err
    assert Revision.objects.filter(page__space=space).count() == 8


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fixture", "message", "pages_left"),
    [
        (
            "truncated.xml",
            "peerwork: import-mediawiki: in page 'Help:Editing': the dump ends early (truncated?)",
            {(0, "Main Page"): 3, (1, "Main Page"): 1},
        ),
        (
            "bad-encoding.xml",
            "peerwork: import-mediawiki: in page 'Talk:Main Page': the dump is not well-formed "
            "XML (bad encoding or a broken tag?)",
            {(0, "Main Page"): 3},
        ),
        (
            "wrong-schema.xml",
            "peerwork: import-mediawiki: not a MediaWiki XML dump: the root element is <rss>, "
            'expected <mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/">',
            {},
        ),
    ],
)
def test_a_broken_dump_stops_with_one_line_and_earlier_pages_stay_whole(
    world, capsys, fixture, message, pages_left
):
    _steward, _ada, space = world
    with pytest.raises(SystemExit) as exit_info:
        main(["import-mediawiki", str(FIXTURES / fixture), "--space", "sample"])
    assert exit_info.value.code == 1
    error_lines = [
        line for line in capsys.readouterr().err.splitlines() if line.startswith("peerwork:")
    ]
    assert len(error_lines) == 1
    assert error_lines[0].startswith(message)
    left = {
        (page.namespace, page.title): page.revisions.count()
        for page in Page.objects.filter(space=space)
    }
    assert left == pages_left


@pytest.mark.django_db
def test_only_stewards_import(world, make_user):
    _steward, ada, space = world
    from peerwork.core.errors import Forbidden

    with pytest.raises(Forbidden):
        _import(SAMPLE, space, ada)
    assert not Page.objects.filter(space=space).exists()


# --------------------------------------------------------------------------- export


def test_sha1_base36_round_trip():
    # MediaWiki's rev_sha1 of an empty text, as every empty revision in a dump carries it.
    assert sha1_hex_to_base36(_sha1("")) == "phoiac9h4m842xq45sp7s6u21eteeq1"
    digest = _sha1("Hello")
    assert sha1_base36_to_hex(sha1_hex_to_base36(digest)) == digest
    assert sha1_base36_to_hex("0" * 31) == "0" * 40


@pytest.mark.django_db
def test_export_is_mediawiki_0_11_xml(world):
    steward, ada, space = world
    _import(SAMPLE, space, steward)
    wiki.page_save(
        user=ada,
        space=space,
        title="Notes",
        text="Line\r\nwith & < >\n",
        base_revision_id=None,
        content_model="markdown",
    )
    root = ET.fromstring("".join(mediawiki_xml(space, base_url="https://x.test/s/sample/wiki/")))
    assert root.tag == "{http://www.mediawiki.org/xml/export-0.11/}mediawiki"
    assert root.get("version") == "0.11"
    siteinfo = root.find("mw:siteinfo", NS)
    assert siteinfo.findtext("mw:dbname", namespaces=NS) == "sample"
    assert siteinfo.findtext("mw:case", namespaces=NS) == "first-letter"
    keys = {ns.get("key"): ns.text for ns in siteinfo.findall("mw:namespaces/mw:namespace", NS)}
    assert keys["0"] is None and keys["1"] == "Talk" and keys["12"] == "Help"
    pages = root.findall("mw:page", NS)
    assert [page.findtext("mw:title", namespaces=NS) for page in pages] == [
        "Main Page",
        "Talk:Main Page",
        "Help:Editing",
        "Sandbox",
        "Notes",
    ]
    order = ["id", "parentid", "timestamp", "contributor", "minor", "comment"]
    order += ["model", "format", "text", "sha1"]
    for page in pages:
        stored = Page.objects.get(pk=int(page.findtext("mw:id", namespaces=NS)))
        assert page.findtext("mw:ns", namespaces=NS) == str(stored.namespace)
        for element in page.findall("mw:revision", NS):
            tags = [child.tag.split("}")[1] for child in element]
            assert tags == [tag for tag in order if tag in tags]
            revision = Revision.objects.get(pk=int(element.findtext("mw:id", namespaces=NS)))
            text = element.find("mw:text", NS)
            assert (text.text or "") == revision.content.text
            assert text.get("bytes") == str(revision.size)
            sha1 = element.findtext("mw:sha1", namespaces=NS)
            assert text.get("sha1") == sha1
            assert len(sha1) == 31 and sha1_base36_to_hex(sha1) == revision.sha1
            assert (element.find("mw:minor", NS) is not None) == revision.is_minor
    first = pages[0].findall("mw:revision", NS)
    assert first[0].find("mw:parentid", NS) is None
    assert first[0].findtext("mw:timestamp", namespaces=NS) == "2020-01-01T10:00:00Z"
    assert first[0].findtext("mw:contributor/mw:username", namespaces=NS) == "ada"
    assert first[0].findtext("mw:contributor/mw:id", namespaces=NS) == str(ada.pk)
    assert first[1].findtext("mw:contributor/mw:username", namespaces=NS) == "Old Editor"
    assert first[2].findtext("mw:contributor/mw:ip", namespaces=NS) == "192.0.2.7"
    assert first[1].findtext("mw:comment", namespaces=NS) == "typo"
    assert first[0].findtext("mw:model", namespaces=NS) == "wikitext"
    assert first[0].findtext("mw:format", namespaces=NS) == "text/x-wiki"
    notes = pages[-1].find("mw:revision", NS)
    assert notes.findtext("mw:model", namespaces=NS) == "text"
    assert notes.findtext("mw:text", namespaces=NS) == "Line\nwith & < >\n"


@pytest.mark.django_db
def test_import_export_import_gives_identical_histories(world, make_space, tmp_path):
    steward, ada, space = world
    _import(SAMPLE, space, steward)
    wiki.page_save(
        user=ada, space=space, title="Notes", text="Some *markdown*.\n", base_revision_id=None
    )
    exported = tmp_path / "sample.xml"
    assert main(["export", "--space", "sample", "--format", "mediawiki", "-o", str(exported)]) == 0
    second = make_space(steward, "second")
    result = _import(exported, second, steward)
    assert result.added == 9
    original, copy = history(space), history(second)
    # The markdown page was written now, not at a whole second: MediaWiki keeps seconds.
    notes = next(row for row in original if row[1] == "Notes")
    notes_copy = next(row for row in copy if row[1] == "Notes")
    assert notes[2][0][1].replace(microsecond=0) == notes_copy[2][0][1]
    assert [row for row in original if row[1] != "Notes"] == [
        row for row in copy if row[1] != "Notes"
    ]
    assert [r[:1] + r[2:] for r in notes[2]] == [r[:1] + r[2:] for r in notes_copy[2]]
    # And importing the export into the space it came from adds nothing.
    assert _import(exported, space, steward).added == 0


# --------------------------------------------------------------------------- open data


@pytest.mark.django_db
def test_jsonl_export_carries_the_licence_and_no_members_only_data(world, make_user):
    steward, ada, space = world
    space.licence = "CC0-1.0"
    space.save()
    _import(SAMPLE, space, steward)
    page = Page.objects.get(space=space, namespace=0, title="Sandbox")
    kept = discussions.comment_post(user=ada, target=page, text="A kept comment.")
    removed = discussions.comment_post(user=ada, target=page, text="A secret afterthought.")
    discussions.comment_delete(user=steward, comment=removed, reason="off topic")
    hidden = wiki.page_save(
        user=steward, space=space, title="Hidden", text="Deleted words.", base_revision_id=None
    ).page
    wiki.page_delete(user=steward, page=hidden, reason="spam")
    watch_set(user=ada, target=page, watching=True)

    response = Client().get("/s/sample/export.jsonl")
    assert response.status_code == 200
    assert response.streaming
    body = b"".join(response.streaming_content).decode()
    lines = [json.loads(line) for line in body.splitlines()]
    head = lines[0]
    assert (head["type"], head["licence"], head["space"]["slug"]) == ("space", "CC0-1.0", "sample")
    assert head["exported_at"]
    assert all(line["licence"] == "CC0-1.0" for line in lines)
    types = [line["type"] for line in lines]
    assert types.count("page") == 4 and types.count("revision") == 8
    comments = {line["id"]: line for line in lines if line["type"] == "comment"}
    assert comments[kept.pk]["text"] == "A kept comment."
    assert comments[removed.pk]["text"] is None and comments[removed.pk]["is_deleted"]
    assert "secret afterthought" not in body and "Deleted words" not in body
    verbs = {line["verb"] for line in lines if line["type"] == "event"}
    assert "page:imported" in verbs and "page:watched" not in verbs
    assert "email" not in body


@pytest.mark.django_db
def test_downloads_of_a_members_only_space_are_not_found_for_outsiders(
    make_user, make_space, client
):
    steward = make_user("stew")
    outsider = make_user("out")
    space = make_space(steward, "private", visibility="members", participation="members")
    wiki.page_save(
        user=steward, space=space, title="Plans", text="Secret plans.", base_revision_id=None
    )
    for path in ("/s/private/export.xml", "/s/private/export.jsonl"):
        assert Client().get(path).status_code == 404
        client.force_login(outsider)
        assert client.get(path).status_code == 404
        client.force_login(steward)
        response = client.get(path)
        assert response.status_code == 200
        assert b"Secret plans." in b"".join(response.streaming_content)
    assert client.get("/s/private/export.xml")["Content-Type"].startswith("application/xml")


# --------------------------------------------------------------------------- wikitext


def test_wikitext_renders_the_common_markup():
    text = (
        "== Title ==\n"
        "Some '''bold''' and ''italic'' text with [[Here|a link]], [[Gone]] and "
        "[https://example.org an outside link].\n"
        "\n"
        "* one\n"
        "** one and a half\n"
        "* two\n"
        "# first\n"
        '{| class="wikitable"\n! A !! B\n|-\n| 1 || 2\n|}\n'
        'A claim.<ref name="s">The source</ref> Again.<ref name="s" /> {{Infobox|x=1}}\n'
        "[[Category:Things]]\n"
        "<references />\n"
    )
    rendered = render_wikitext(
        text,
        link_exists=lambda namespace, title: title == "Here",
        link_url=lambda namespace, title: f"/s/x/wiki/{title}",
    )
    html = rendered.html
    assert '<h2 id="Title">Title</h2>' in html
    assert "<b>bold</b> and <i>italic</i>" in html
    assert '<a href="/s/x/wiki/Here" class="wikilink" rel="nofollow noopener">a link</a>' in html
    assert (
        '<a href="/s/x/wiki/Gone" class="new" title="Gone (page does not exist)" '
        'rel="nofollow noopener">Gone</a>'
    ) in html
    assert '<a href="https://example.org"' in html and ">an outside link</a>" in html
    assert "<ul><li>\none\n<ul><li>\none and a half\n</li></ul>\n</li><li>\ntwo" in html
    assert "<ol><li>\nfirst\n</li></ol>" in html
    assert "<tr><th>A</th><th>B</th></tr>" in html and "<tr><td>1</td><td>2</td></tr>" in html
    assert html.count('<a href="#cite_note-1" id="cite_ref-1"') == 2
    assert '<li id="cite_note-1" class="footnote-item">The source' in html
    # A template with no page shows as a red link to it, as MediaWiki shows it.
    assert (
        '<a href="/s/x/wiki/Infobox" class="new" title="Template:Infobox (page does not exist)"'
    ) in html
    assert {(link.namespace, link.title) for link in rendered.links} == {
        (0, "Here"),
        (0, "Gone"),
        (10, "Infobox"),
    }
    assert rendered.categories == frozenset({"Things"})


def test_wikitext_output_is_sanitized():
    payloads = (
        "<script>alert(1)</script>\n"
        '<a href="javascript:alert(2)" onclick="alert(3)">x</a>\n'
        "<img src=x onerror=alert(4)>\n"
        "[javascript:alert(5) click]\n"
        "[[Foo|<span onmouseover=alert(6)>y</span>]]\n"
        '<div style="background:url(javascript:alert(7))">z</div>\n'
        "{{<script>alert(8)</script>}}\n"
    )
    html = render_wikitext(payloads).html
    for bad in ("<script", "onclick", "onerror", "onmouseover", "javascript:alert", "style="):
        assert bad not in html.replace("[javascript:alert(5) click]", "")
    assert "[javascript:alert(5) click]" in html  # shown as text, not a link


# --------------------------------------------------------------------------- command line


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["import-mediawiki", "dump.xml"],
            "peerwork import-mediawiki: the following arguments are required: --space",
        ),
        (
            ["export", "--space", "sample", "--format", "pdf"],
            "peerwork export: argument --format: invalid choice: 'pdf'",
        ),
        (
            ["import-mediawiki", "dump.xml", "--space", "nowhere"],
            "peerwork: there is no space 'nowhere'",
        ),
        (
            ["import-mediawiki", "missing.xml", "--space", "sample"],
            "peerwork: import-mediawiki: cannot open missing.xml: No such file or directory",
        ),
        (
            ["import-mediawiki", "dump.7z", "--space", "sample"],
            "peerwork: import-mediawiki: dump.7z: 7z dumps cannot be read as a stream",
        ),
        (
            ["import-mediawiki", str(SAMPLE), "--space", "sample", "--as", "ghost"],
            "peerwork: there is no user 'ghost'",
        ),
        (
            ["import-mediawiki", str(SAMPLE), "--space", "sample", "--as", "ada"],
            "peerwork: import-mediawiki: ada may not import into 'sample'",
        ),
    ],
)
def test_wrong_arguments_give_one_line(world, capsys, args, message):
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    assert exit_info.value.code != 0
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith(message), err


def test_exports_read_revisions_across_pages_in_batches(world, monkeypatch):
    """Revisions of a batch of pages are read together, BATCH at a time: the dumps are the
    same whether a page's history spans several reads or shares one with other pages."""
    from peerwork.interop.dumps import exporter
    from peerwork.interop.dumps.jsonl import open_data

    steward, _ada, space = world
    for name in ("One", "Two", "Three"):
        base = None
        for step in range(3):
            saved = wiki.page_save(
                user=steward, space=space, title=name, text=f"{step}\n", base_revision_id=base
            )
            base = saved.revision.pk
    whole_xml, whole_jsonl = "".join(mediawiki_xml(space)), list(open_data(space))
    for batch in (1, 2, 4):
        monkeypatch.setattr(exporter, "BATCH", batch)
        assert "".join(mediawiki_xml(space)) == whole_xml
        assert [_without_time(line) for line in open_data(space)] == [
            _without_time(line) for line in whole_jsonl
        ]
    assert whole_xml.count("<revision>") == 9 and whole_xml.count("<page>") == 3


def _without_time(line: str) -> dict:
    row = json.loads(line)
    row.pop("exported_at", None)
    return row
