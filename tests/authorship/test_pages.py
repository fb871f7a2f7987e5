"""Authorship in the site: computed by the job after each save, rebuilt the same, shown on the
page's Authorship tab, in the REST API and the MediaWiki API, and hidden where the page is."""

from __future__ import annotations

import io
import re
from html import unescape
from typing import Any

import pytest
from django.test import Client

from peerwork.authorship import compute, method
from peerwork.authorship.models import RevisionAuthorship
from peerwork.cli import main
from peerwork.interop.dumps.exporter import mediawiki_xml
from peerwork.interop.dumps.importer import import_dump
from peerwork.interop.dumps.progress import Progress
from peerwork.spaces import actions as spaces
from peerwork.wiki import actions as wiki
from peerwork.wiki.models import Page, Revision
from tests.conftest import PASSWORD

from .history import EXPECTED, FINAL_SHARES, HISTORY

pytestmark = pytest.mark.django_db
EDITORS = sorted({editor for editor, _text in HISTORY})


@pytest.fixture(autouse=True)
def _jobs_in_this_thread(settings: Any) -> None:
    settings.PEERWORK_JOBS_THREADS = 0
    compute.forget_states()


@pytest.fixture
def world(make_user: Any, make_space: Any, django_capture_on_commit_callbacks: Any) -> Any:
    class World:
        steward = make_user("stew", display_name="Stew")
        member = make_user("mem")
        people = {name: make_user(name, display_name=name.title()) for name in EDITORS}
        space = make_space(steward, "hive")
        hidden = make_space(steward, "vault", visibility="members", participation="members")
        revisions: list[Revision] = []

    spaces.space_member_add(
        user=World.steward, space=World.hidden, member=World.member, role="member"
    )
    for editor, text in HISTORY:
        with django_capture_on_commit_callbacks(execute=True):
            World.revisions.append(_save(World.people[editor], World.space, "Bees", text))
    with django_capture_on_commit_callbacks(execute=True):
        _save(World.steward, World.hidden, "Plans", "Secret plans for the hive.")
    return World


def _save(user: Any, space: Any, title: str, text: str) -> Revision:
    page = Page.objects.filter(space=space, title=title).first()
    result = wiki.page_save(
        user=user,
        space=space,
        title=title,
        text=text,
        base_revision_id=page.current_revision_id if page else None,
    )
    assert result.revision is not None
    return result.revision


def _rows(page_id: int) -> list[tuple[int, list[list[int]], int, list[dict[str, Any]]]]:
    return list(
        RevisionAuthorship.objects.filter(page_id=page_id)
        .order_by("revision_id")
        .values_list("revision_id", "origins", "token_count", "shares")
    )


def _editor_of(world: Any, revision_id: int) -> str:
    number = [r.pk for r in world.revisions].index(revision_id)
    return HISTORY[number][0]


def test_each_save_is_attributed_by_the_job_as_annotated(world: Any) -> None:
    page = world.revisions[0].page
    rows = {row[0]: row for row in _rows(page.pk)}
    assert sorted(rows) == [r.pk for r in world.revisions]  # every revision has its row
    for number, expected in EXPECTED.items():
        revision = world.revisions[number - 1]
        origins = method.expand(rows[revision.pk][1])
        tokens = method.tokenize(revision.content.text)
        got = [(t, _editor_of(world, o)) for t, o in zip(tokens, origins, strict=True)]
        assert got == expected, f"revision {number}"
    last = rows[world.revisions[-1].pk]
    by_name = {
        next(n for n, u in world.people.items() if u.pk == share["user"]): share["tokens"]
        for share in last[3]
    }
    assert by_name == FINAL_SHARES
    assert [share["tokens"] for share in last[3]] == sorted(FINAL_SHARES.values(), reverse=True)


def test_a_save_analyses_one_revision_not_the_history(
    world: Any, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    calls: list[int] = []
    original = method.PageHistory.add

    def counted(self: Any, revision_id: int, text: str, editor: str) -> Any:
        calls.append(revision_id)
        return original(self, revision_id, text, editor)

    monkeypatch.setattr(method.PageHistory, "add", counted)
    with django_capture_on_commit_callbacks(execute=True):
        revision = _save(world.people["ann"], world.space, "Bees", HISTORY[-1][1] + " More.")
    assert calls == [revision.pk]
    # A process that lost the state (a restart) walks the history once, and agrees.
    compute.forget_states()
    RevisionAuthorship.objects.filter(revision=revision).delete()
    calls.clear()
    assert compute.update_page(revision.page_id) == 1
    assert len(calls) == len(HISTORY) + 1


def test_rebuild_gives_the_same_rows_as_the_saves_and_twice_the_same(world: Any) -> None:
    page_id = world.revisions[0].page_id
    incremental = _rows(page_id)
    assert compute.rebuild(page_id=page_id) == (1, len(HISTORY))
    assert _rows(page_id) == incremental
    compute.forget_states()
    compute.rebuild(space_id=world.space.pk)
    assert _rows(page_id) == incremental


def test_the_rebuild_command(world: Any, capsys: Any) -> None:
    page_id = world.revisions[0].page_id
    before = _rows(page_id)
    RevisionAuthorship.objects.filter(page_id=page_id).delete()
    assert main(["authorship", "rebuild", "--space", "hive"]) == 0
    assert capsys.readouterr().out == f"Authorship rebuilt: {len(HISTORY)} revisions of 1 pages.\n"
    assert _rows(page_id) == before
    assert main(["authorship", "rebuild", "--page", str(page_id)]) == 0
    assert _rows(page_id) == before


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--space", "nowhere"], "there is no space 'nowhere'"),
        (["--page", "999999"], "there is no page 999999"),
    ],
)
def test_the_rebuild_command_refuses_what_is_not_there(
    world: Any, capsys: Any, argv: list[str], message: str
) -> None:
    before = RevisionAuthorship.objects.count()
    with pytest.raises(SystemExit) as exit_info:
        main(["authorship", "rebuild", *argv])
    assert exit_info.value.code == 2
    error = capsys.readouterr().err
    assert message in error and error.count("\n") == 1
    assert RevisionAuthorship.objects.count() == before


def test_an_import_walks_each_history_once(
    world: Any, django_capture_on_commit_callbacks: Any, monkeypatch: Any, tmp_path: Any
) -> None:
    dump = tmp_path / "hive.xml"
    dump.write_text("".join(mediawiki_xml(world.space)), encoding="utf-8")
    target = spaces.space_create(
        user=world.steward, slug="copy", name="Copy", visibility="public", participation="anyone"
    )
    calls: list[int] = []
    original = method.PageHistory.add

    def counted(self: Any, revision_id: int, text: str, editor: str) -> Any:
        calls.append(revision_id)
        return original(self, revision_id, text, editor)

    monkeypatch.setattr(method.PageHistory, "add", counted)
    with django_capture_on_commit_callbacks(execute=True):
        import_dump(str(dump), space=target, user=world.steward, progress=Progress(io.StringIO()))
    page = Page.objects.get(space=target, title="Bees")
    imported = list(Revision.objects.filter(page=page).order_by("pk").values_list("pk", flat=True))
    assert calls == imported  # each revision analysed once, in order
    rows = _rows(page.pk)
    assert [row[0] for row in rows] == imported
    original_rows = _rows(world.revisions[0].page_id)
    # The same texts by the same people: the same runs, shifted to the copies' ids.
    shift = dict(zip([r.pk for r in world.revisions], imported, strict=True))
    for (_id, runs, count, _shares), (_id2, runs2, count2, _s2) in zip(
        original_rows, rows, strict=True
    ):
        assert count == count2
        assert [[shift[origin], n] for origin, n in runs] == runs2


# ---- the page -------------------------------------------------------------------------------


def _client(world: Any, who: str) -> Client:
    client = Client()
    if who != "anonymous":
        user = {"member": world.people["ann"], "steward": world.steward}[who]
        assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.mark.parametrize("who", ["anonymous", "member", "steward"])
@pytest.mark.parametrize("language", ["en", "es"])
def test_the_authorship_page_colours_the_text_by_author(
    world: Any, who: str, language: str
) -> None:
    response = _client(world, who).get("/s/hive/authorship/Bees", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    body = response.content.decode()
    heading = {"en": "Authorship", "es": "Autoría"}[language]
    assert f"<h2>{heading}</h2>" in body
    assert 'aria-current="page" data-testid="authorship-tab"' in body
    runs = re.findall(
        r'<span class="run author-(\d)" tabindex="0" title="([^"]*)" aria-label="([^"]*)">'
        r"([^<]*)</span>",
        body,
    )
    # The runs, read back, are the text itself; each names its author.
    text = re.search(r'data-testid="authorship-text">(.*?)</div>', body, re.S)
    assert text is not None
    assert unescape(re.sub(r"<[^>]+>", "", text.group(1))) == HISTORY[-1][1]
    names = [unescape(title) for _c, title, _l, _t in runs]
    assert names[:3] == ["Dee", "Ann", "Cy"]  # "ants are strong . ants farm aphids ." ...
    assert {name for name in names} == {"Dee", "Ann", "Cy", "Bob"}
    assert all(label.startswith(title) for _c, title, label, _t in runs)
    # The shares, largest first: Dee 12, Ann 10, Bob 5, Cy 3 of 30 tokens.
    shares = re.findall(
        r'<tr><th scope="row"><span class="swatch author-\d" aria-hidden="true"></span> (\w+)</th>'
        r'<td class="number">([\d.,]+)%</td><td class="number">(\d+)</td></tr>',
        body,
    )
    decimal = {"en": ".", "es": ","}[language]
    assert shares == [
        ("Dee", f"40{decimal}0", "12"),
        ("Ann", f"33{decimal}3", "10"),
        ("Bob", f"16{decimal}7", "5"),
        ("Cy", f"10{decimal}0", "3"),
    ]


def test_an_old_revision_and_the_blanked_one(world: Any) -> None:
    client = Client()
    blanked = world.revisions[4]
    body = client.get(f"/s/hive/authorship/Bees?oldid={blanked.pk}").content.decode()
    assert "This text is empty" in body
    spam = world.revisions[9]
    body = client.get(f"/s/hive/authorship/Bees?oldid={spam.pk}").content.decode()
    assert 'title="Eve"' in body and 'title="Ann"' not in body
    assert "See the current text." in body
    assert client.get("/s/hive/authorship/Bees?oldid=x").status_code == 404
    other = _save(world.steward, world.space, "Other", "Another page.")
    assert client.get(f"/s/hive/authorship/Bees?oldid={other.pk}").status_code == 404


def test_the_history_tab_links_to_authorship(world: Any) -> None:
    body = Client().get("/s/hive/history/Bees").content.decode()
    assert 'href="/s/hive/authorship/Bees"' in body


def test_a_hidden_page_is_not_revealed(world: Any) -> None:
    assert Client().get("/s/vault/authorship/Plans").status_code == 404
    outsider = _client(world, "member")  # ann is no member of the vault
    assert outsider.get("/s/vault/authorship/Plans").status_code == 404
    api = Client()
    assert api.get("/api/v1/spaces/vault/authorship/Plans").status_code == 404
    member = Client()
    assert member.login(username="mem", password=PASSWORD)
    assert member.get("/s/vault/authorship/Plans").status_code == 200


def test_a_deleted_page_shows_its_authorship_only_to_stewards(world: Any) -> None:
    page = world.revisions[0].page
    wiki.page_delete(user=world.steward, page=page, reason="test")
    assert Client().get("/s/hive/authorship/Bees").status_code == 404
    assert _client(world, "member").get("/s/hive/authorship/Bees").status_code == 404
    assert _client(world, "steward").get("/s/hive/authorship/Bees").status_code == 200


# ---- the APIs -------------------------------------------------------------------------------


def test_the_rest_api_answers_tokens_and_shares(world: Any) -> None:
    answer = Client().get("/api/v1/spaces/hive/authorship/Bees").json()
    last = world.revisions[-1]
    assert answer["revision"] == last.pk
    assert answer["token_count"] == 30
    assert [(a["username"], a["tokens"], a["percent"]) for a in answer["authors"]] == [
        ("dee", 12, 40.0),
        ("ann", 10, 33.3),
        ("bob", 5, 16.7),
        ("cy", 3, 10.0),
    ]
    tokens = answer["tokens"]
    assert [(t["token"], t["author"]) for t in tokens[:5]] == [
        ("Ants", "dee"),
        ("are", "dee"),
        ("strong", "dee"),
        (".", "dee"),
        ("Ants", "dee"),
    ]
    wooden = next(t for t in tokens if t["token"] == "wooden")
    assert wooden == {"token": "wooden", "revision": last.pk, "author": "bob"}
    old = world.revisions[17]
    answer = Client().get(f"/api/v1/spaces/hive/authorship/Bees?revision={old.pk}").json()
    assert [t["author"] for t in answer["tokens"][:5]] == ["dee", "eve", "eve", "eve", "dee"]


def test_the_rest_api_refuses_a_revision_of_another_page(world: Any) -> None:
    other = _save(world.steward, world.space, "Other", "Another page.")
    response = Client().get(f"/api/v1/spaces/hive/authorship/Bees?revision={other.pk}")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")


def test_the_mediawiki_api_answers_prop_authorship(world: Any) -> None:
    answer = (
        Client()
        .get(
            "/s/hive/w/api.php",
            {"action": "query", "prop": "authorship", "titles": "Bees", "format": "json"},
        )
        .json()
    )
    (page,) = answer["query"]["pages"].values()
    last = world.revisions[-1]
    assert page["authorship"]["revid"] == last.pk
    assert page["authorship"]["tokens"][-6:] == [
        {"str": "Wasps", "revid": world.revisions[1].pk, "user": "bob"},
        {"str": "build", "revid": world.revisions[1].pk, "user": "bob"},
        {"str": "grey", "revid": world.revisions[7].pk, "user": "ann"},
        {"str": "wooden", "revid": last.pk, "user": "bob"},
        {"str": "nests", "revid": world.revisions[1].pk, "user": "bob"},
        {"str": ".", "revid": world.revisions[1].pk, "user": "bob"},
    ]
    hidden = (
        Client()
        .get(
            "/s/vault/w/api.php",
            {"action": "query", "prop": "authorship", "titles": "Plans", "format": "json"},
        )
        .json()
    )
    assert "authorship" not in str(hidden.get("query", {}))


def test_the_mediawiki_api_answers_one_page_at_a_time(world: Any) -> None:
    other = _save(world.people["cy"], world.space, "Wasps", "Wasps sting.")
    params = {"action": "query", "prop": "authorship", "generator": "allpages", "format": "json"}
    first = Client().get("/s/hive/w/api.php", params).json()
    assert first["continue"]["aucontinue"] == str(other.page_id)
    described = [p["title"] for p in first["query"]["pages"].values() if "authorship" in p]
    assert described == ["Bees"]
    second = Client().get("/s/hive/w/api.php", {**params, **first["continue"]}).json()
    (wasps,) = [p for p in second["query"]["pages"].values() if "authorship" in p]
    assert wasps["authorship"]["authors"] == [{"user": "cy", "tokens": 3, "percent": 100.0}]
    assert "continue" not in second
    bad = Client().get("/s/hive/w/api.php", {**params, "aucontinue": "x"}).json()
    assert bad["error"]["code"] == "badvalue"
