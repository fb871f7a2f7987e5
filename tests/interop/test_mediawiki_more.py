"""The MediaWiki Action API's section editing, undo, links, backlinks, log events and watching,
through Django's test client, in both format versions."""

from __future__ import annotations

from typing import Any

import pytest

from peerwork.activity.models import Watch
from peerwork.wiki import actions as wiki
from peerwork.wiki.models import Page, Revision
from tests.interop.test_mediawiki_api import MW

pytestmark = pytest.mark.django_db

SECTIONED = "Intro.\n\n## Alpha\nalpha one\nalpha two\n\n## Beta\nbeta one\n"


@pytest.fixture
def world(make_user: Any, make_space: Any) -> Any:
    class World:
        owner = make_user("owner")
        alice = make_user("alice")
        space = make_space(owner, "atlas")
        hidden = make_space(owner, "secret", visibility="members", participation="members")

    World.doc = wiki.page_save(
        user=World.owner,
        space=World.space,
        title="Doc",
        text=SECTIONED,
        base_revision_id=None,
        summary="first",
    ).revision
    return World


def _text(title: str = "Doc") -> str:
    return Page.objects.get(title=title).current_revision.content.text


def _signed_in(name: str = "alice") -> MW:
    mw = MW("atlas")
    assert mw.login(name)["login"]["result"] == "Success"
    return mw


# ---------------------------------------------------------------------------- sections


def test_edit_one_section(world: Any) -> None:
    mw = _signed_in()
    result = mw.edit(title="Doc", section="2", text="## Beta\nbeta ONE", baserevid=world.doc.pk)
    assert result["edit"]["result"] == "Success", result
    assert result["edit"]["oldrevid"] == world.doc.pk
    assert _text() == SECTIONED.replace("beta one", "beta ONE")
    result = mw.edit(title="Doc", section="0", text="New intro.")
    assert result["edit"]["result"] == "Success"
    assert _text() == "New intro.\n\n## Alpha\nalpha one\nalpha two\n\n## Beta\nbeta ONE\n"


def test_section_edit_on_a_stale_base_merges_or_conflicts(world: Any) -> None:
    wiki.page_save(
        user=world.owner,
        space=world.space,
        title="Doc",
        text=SECTIONED.replace("beta one", "beta by owner"),
        base_revision_id=world.doc.pk,
    )
    mw = _signed_in()
    result = mw.edit(
        title="Doc", section="1", text="## Alpha\nalpha by alice\n", baserevid=world.doc.pk
    )
    assert result["edit"]["result"] == "Success"
    assert "merged" in result["warnings"]["edit"]["*"]
    assert _text() == "Intro.\n\n## Alpha\nalpha by alice\n\n## Beta\nbeta by owner\n"
    count = Revision.objects.count()
    result = mw.edit(
        title="Doc", section="2", text="## Beta\nbeta by alice", baserevid=world.doc.pk
    )
    assert result["error"]["code"] == "editconflict"
    assert Revision.objects.count() == count


def test_new_section_and_section_errors(world: Any) -> None:
    mw = _signed_in()
    result = mw.edit(title="Doc", section="new", sectiontitle="Gamma", text="gamma text")
    assert result["edit"]["result"] == "Success"
    assert _text() == SECTIONED + "\n## Gamma\n\ngamma text\n"
    assert Revision.objects.get(pk=result["edit"]["newrevid"]).summary == "/* Gamma */ new section"
    # Without sectiontitle the summary titles the section, as MediaWiki does.
    mw.edit(title="Doc", section="new", summary="Delta", text="delta")
    assert _text().endswith("## Gamma\n\ngamma text\n\n## Delta\n\ndelta\n")
    count = Revision.objects.count()
    assert mw.edit(title="Doc", section="9", text="x")["error"]["code"] == "nosuchsection"
    assert mw.edit(title="Doc", section="T-1", text="x")["error"]["code"] == "invalidsection"
    assert mw.edit(title="Nowhere", section="1", text="x")["error"]["code"] == "nosuchsection"
    assert Revision.objects.count() == count
    # appendtext adds to the end of a section.
    mw.edit(title="Doc", section="1", appendtext="\nalpha three")
    assert "alpha two\nalpha three\n\n## Beta" in _text()


def test_rvsection_gives_one_section(world: Any) -> None:
    mw = MW("atlas")
    data = mw.get(
        action="query",
        prop="revisions",
        titles="Doc",
        rvprop="content",
        rvslots="main",
        rvsection="1",
        formatversion="2",
    )
    slot = data["query"]["pages"][0]["revisions"][0]["slots"]["main"]
    assert slot["content"] == "## Alpha\nalpha one\nalpha two"
    data = mw.get(action="query", prop="revisions", titles="Doc", rvprop="content", rvsection="2")
    revision = data["query"]["pages"][str(world.doc.page_id)]["revisions"][0]
    assert revision["*"] == "## Beta\nbeta one"
    # As MediaWiki 1.39 answers: the revision is marked, not an error.
    data = mw.get(
        action="query",
        prop="revisions",
        titles="Doc",
        rvprop="content",
        rvslots="main",
        rvsection="3",
        formatversion="2",
    )
    revision = data["query"]["pages"][0]["revisions"][0]
    assert revision == {"slots": {"main": {"nosuchsection": True}}}
    data = mw.get(action="query", prop="revisions", titles="Doc", rvprop="content", rvsection="3")
    revision = data["query"]["pages"][str(world.doc.page_id)]["revisions"][0]
    assert revision == {"nosuchsection": ""}
    data = mw.get(action="query", prop="revisions", titles="Doc", rvprop="content", rvsection="x")
    assert data["error"]["code"] == "invalidsection"


# ---------------------------------------------------------------------------- undo


def _lines(world: Any) -> list[Revision]:
    """Four revisions of 'Lines', each changing another line (lines apart: changes to
    neighbouring lines would not merge)."""
    revisions = []
    text = "a\n\nb\n\nc\n\nd\n"
    base = None
    for old, new in (("a", "a"), ("b", "B"), ("c", "C"), ("d", "D")):
        text = text.replace(f"{old}\n", f"{new}\n")
        saved = wiki.page_save(
            user=world.owner, space=world.space, title="Lines", text=text, base_revision_id=base
        )
        revisions.append(saved.revision)
        base = saved.revision.pk
    return revisions


def test_undo_one_revision_and_a_range(world: Any) -> None:
    first, second, third, fourth = _lines(world)
    mw = _signed_in()
    result = mw.edit(title="Lines", undo=str(second.pk))
    assert result["edit"]["result"] == "Success", result
    assert _text("Lines") == "a\n\nb\n\nC\n\nD\n"
    result = mw.edit(title="Lines", undo=str(fourth.pk), undoafter=str(second.pk))
    assert result["edit"]["result"] == "Success", result
    assert _text("Lines") == "a\n\nb\n\nc\n\nd\n"
    # Undoing what is already undone changes nothing.
    assert "nochange" in mw.edit(title="Lines", undo=str(second.pk))["edit"]


def test_undo_that_conflicts_is_undofailure(world: Any) -> None:
    first, second, third, fourth = _lines(world)
    wiki.page_save(
        user=world.owner,
        space=world.space,
        title="Lines",
        text="a\n\nB2\n\nC\n\nD\n",
        base_revision_id=fourth.pk,
    )
    count = Revision.objects.count()
    mw = _signed_in()
    result = mw.edit(title="Lines", undo=str(second.pk), formatversion="2")
    assert result["error"]["code"] == "undofailure"
    assert Revision.objects.count() == count
    assert mw.edit(title="Lines", undo=str(world.doc.pk))["error"]["code"] == "revwrongpage"
    assert mw.edit(title="Lines", undo="999999")["error"]["code"] == "nosuchrevid"
    assert MW("atlas").edit(title="Lines", undo=str(third.pk))["error"]["code"] == "notloggedin"
    assert Revision.objects.count() == count


# ---------------------------------------------------------------------------- links


@pytest.fixture
def linked(world: Any) -> Any:
    """'Hub' links to Doc, Gamma (no page) and Category-free Talk:Doc; 'Spoke' and the redirect
    'To doc' link to Doc too."""
    for title, text in (
        ("Hub", "[[Doc]] and [[Gamma]] and [[Talk:Doc]] and [[Doc]] again\n"),
        ("Spoke", "See [[Doc]].\n"),
        ("Talk:Doc", "About [[Doc]].\n"),
        ("To doc", "#REDIRECT [[Doc]]\n"),
    ):
        wiki.page_save(
            user=world.owner, space=world.space, title=title, text=text, base_revision_id=None
        )
    return world


def test_prop_links_with_namespace_limit_and_continuation(linked: Any) -> None:
    mw = MW("atlas")
    hub = Page.objects.get(title="Hub")
    data = mw.get(action="query", prop="links", titles="Hub", **{"continue": ""})
    assert data["query"]["pages"][str(hub.pk)]["links"] == [
        {"ns": 0, "title": "Doc"},
        {"ns": 0, "title": "Gamma"},
        {"ns": 1, "title": "Talk:Doc"},
    ]
    assert data["batchcomplete"] == ""
    first = mw.get(
        action="query", prop="links", titles="Hub", pllimit="2", formatversion="2",
        **{"continue": ""},
    )  # fmt: skip
    assert first["query"]["pages"][0]["links"] == [
        {"ns": 0, "title": "Doc"},
        {"ns": 0, "title": "Gamma"},
    ]
    assert first["continue"]["plcontinue"] == f"{hub.pk}|1|Doc"
    second = mw.get(
        action="query", prop="links", titles="Hub", pllimit="2", formatversion="2",
        **first["continue"],
    )  # fmt: skip
    assert second["query"]["pages"][0]["links"] == [{"ns": 1, "title": "Talk:Doc"}]
    assert second["batchcomplete"] is True
    talk_only = mw.get(action="query", prop="links", titles="Hub", plnamespace="1")
    assert talk_only["query"]["pages"][str(hub.pk)]["links"] == [{"ns": 1, "title": "Talk:Doc"}]


def test_generator_links_lists_existing_and_missing_targets(linked: Any) -> None:
    data = MW("atlas").get(
        action="query", generator="links", titles="Hub", prop="info", formatversion="2"
    )
    pages = sorted(data["query"]["pages"], key=lambda page: page["title"])
    assert [(page["title"], "missing" in page) for page in pages] == [
        ("Doc", False),
        ("Gamma", True),
        ("Talk:Doc", False),
    ]


def test_backlinks_with_filters_and_continuation(linked: Any) -> None:
    mw = MW("atlas")
    ids = {title: Page.objects.get(title=title).pk for title in ("Hub", "Spoke", "To doc")}
    talk = Page.objects.get(namespace=1, title="Doc").pk
    data = mw.get(action="query", list="backlinks", bltitle="Doc", bllimit="max")
    assert data["query"]["backlinks"] == [
        {"pageid": ids["Hub"], "ns": 0, "title": "Hub"},
        {"pageid": ids["Spoke"], "ns": 0, "title": "Spoke"},
        {"pageid": ids["To doc"], "ns": 0, "title": "To doc", "redirect": ""},
        {"pageid": talk, "ns": 1, "title": "Talk:Doc"},
    ]
    first = mw.get(
        action="query", list="backlinks", bltitle="Doc", bllimit="2", formatversion="2",
        **{"continue": ""},
    )  # fmt: skip
    assert [row["title"] for row in first["query"]["backlinks"]] == ["Hub", "Spoke"]
    assert first["continue"]["blcontinue"] == f"0|{ids['To doc']}"
    second = mw.get(
        action="query", list="backlinks", bltitle="Doc", bllimit="2", formatversion="2",
        **first["continue"],
    )  # fmt: skip
    assert second["query"]["backlinks"][0]["redirect"] is True
    assert [row["title"] for row in second["query"]["backlinks"]] == ["To doc", "Talk:Doc"]
    assert "continue" not in second
    only = mw.get(action="query", list="backlinks", bltitle="Doc", blnamespace="1")
    assert [row["title"] for row in only["query"]["backlinks"]] == ["Talk:Doc"]
    redirects = mw.get(
        action="query", list="backlinks", bltitle="Doc", blfilterredir="nonredirects"
    )
    assert "To doc" not in [row["title"] for row in redirects["query"]["backlinks"]]
    nothing = mw.get(action="query", list="backlinks", bltitle="Gamma")
    assert [row["title"] for row in nothing["query"]["backlinks"]] == ["Hub"]
    missing = mw.get(action="query", list="backlinks")
    assert missing["error"]["code"] == "missingparam"
    generated = mw.get(action="query", generator="backlinks", gbltitle="Spoke")
    assert "pages" not in generated.get("query", {})
    generated = mw.get(
        action="query", generator="backlinks", gbltitle="Doc", gblnamespace="1", prop="info"
    )
    assert list(generated["query"]["pages"]) == [str(talk)]


def test_links_of_a_members_only_space_leak_nothing(linked: Any) -> None:
    wiki.page_save(
        user=linked.owner,
        space=linked.hidden,
        title="Plans",
        text="[[Doc]]\n",
        base_revision_id=None,
    )
    outsider = MW("secret")
    for params in (
        {"list": "backlinks", "bltitle": "Doc"},
        {"prop": "links", "titles": "Plans"},
        {"list": "logevents"},
    ):
        data = outsider.get(action="query", **params)
        assert outsider.last.status_code == 404
        assert data["error"]["code"] == "readapidenied"
    alice = MW("secret")
    assert alice.login("alice")["login"]["result"] == "Success"
    data = alice.post(action="watch", titles="Plans", token=alice.csrf())
    assert (alice.last.status_code, data["error"]["code"]) == (404, "readapidenied")
    assert not Watch.objects.filter(user=linked.alice).exists()


# ---------------------------------------------------------------------------- log events


@pytest.fixture
def logged(world: Any) -> Any:
    """A move (with its redirect), a protection, a review, a deletion and a restoration."""
    doc = Page.objects.get(title="Doc")
    wiki.page_move(user=world.owner, page=doc, new_title="Document", reason="clearer")
    wiki.page_protect(
        user=world.owner, page=doc, edit="autoconfirmed", move="stewards", expires_at=None,
        reason="vandals",
    )  # fmt: skip
    wiki.page_save(
        user=world.alice, space=world.space, title="Other", text="x\n", base_revision_id=None
    )
    other = Page.objects.get(title="Other")
    wiki.revision_review(user=world.owner, revision=other.current_revision)
    wiki.page_delete(user=world.owner, page=other, reason="spam")
    wiki.page_restore(user=world.owner, page=other, reason="not spam")
    world.doc_page, world.other = doc, other
    return world


def test_logevents_rows_in_both_formats(logged: Any) -> None:
    mw = MW("atlas")
    data = mw.get(action="query", list="logevents", lelimit="max")
    rows = data["query"]["logevents"]
    assert [(row["type"], row["action"], row["title"]) for row in rows] == [
        ("delete", "restore", "Other"),
        ("delete", "delete", "Other"),
        ("patrol", "patrol", "Other"),
        ("create", "create", "Other"),
        ("protect", "protect", "Document"),
        ("create", "create", "Doc"),  # the redirect the move left
        ("move", "move", "Doc"),
        ("create", "create", "Doc"),
    ]
    move = rows[-2]
    assert move["ns"] == 0
    assert move["params"] == {"target_ns": 0, "target_title": "Document"}
    assert move["comment"] == "clearer" and move["user"] == "Owner"
    # As MediaWiki: pageid is the page now at the old title (the redirect), logpage the moved one.
    redirect = Page.objects.get(title="Doc")
    assert move["pageid"] == redirect.pk and move["logpage"] == logged.doc_page.pk
    assert set(move) == {
        "logid", "ns", "title", "pageid", "logpage", "params", "type", "action", "user",
        "timestamp", "comment",
    }  # fmt: skip
    protect = rows[4]
    assert protect["params"] == {
        "description": "\u200e[edit=autoconfirmed] (indefinite)\u200e[move=sysop] (indefinite)",
        "details": [
            {"type": "edit", "level": "autoconfirmed", "expiry": "infinite"},
            {"type": "move", "level": "sysop", "expiry": "infinite"},
        ],
    }
    assert rows[2]["params"] == {"curid": logged.other.current_revision_id, "previd": 0}
    assert rows[0]["comment"] == "not spam"
    fv2 = mw.get(action="query", list="logevents", letype="move", formatversion="2")
    assert fv2["query"]["logevents"][0]["params"]["suppressredirect"] is False
    assert len(fv2["query"]["logevents"]) == 1
    fv2 = mw.get(action="query", list="logevents", letype="protect", formatversion="2")
    assert fv2["query"]["logevents"][0]["params"]["cascade"] is False
    assert fv2["query"]["logevents"][0]["params"]["details"][0]["cascade"] is False


def test_logevents_filters_and_continuation(logged: Any) -> None:
    mw = MW("atlas")

    def kinds(**params: Any) -> list[str]:
        data = mw.get(action="query", list="logevents", **params)
        return [f"{row['type']}/{row['action']}" for row in data["query"]["logevents"]]

    assert kinds(letype="delete") == ["delete/restore", "delete/delete"]
    assert kinds(leaction="delete/delete") == ["delete/delete"]
    assert kinds(letype="upload") == []
    assert kinds(letitle="Doc") == ["create/create", "move/move", "create/create"]
    assert kinds(letitle="Document") == ["protect/protect"]
    assert kinds(leuser="Alice") == ["create/create"]
    assert kinds(ledir="newer", lelimit="2") == ["create/create", "move/move"]
    assert kinds(leprop="type", letype="patrol") == ["patrol/patrol"]
    assert mw.get(action="query", list="logevents", letype="nope")["error"]["code"] == "badvalue"
    first = mw.get(action="query", list="logevents", lelimit="5", **{"continue": ""})
    assert len(first["query"]["logevents"]) == 5
    second = mw.get(action="query", list="logevents", lelimit="5", **first["continue"])
    assert [row["type"] for row in second["query"]["logevents"]] == ["create", "move", "create"]
    assert "batchcomplete" in second
    everything = first["query"]["logevents"] + second["query"]["logevents"]
    assert len({row["logid"] for row in everything}) == 8


# ---------------------------------------------------------------------------- watch


def test_watch_and_unwatch(world: Any) -> None:
    mw = _signed_in()
    token = mw.get(action="query", meta="tokens", type="watch")["query"]["tokens"]["watchtoken"]
    data = mw.post(action="watch", titles="Doc|Nowhere", token=token)
    assert data == {
        "batchcomplete": "",
        "watch": [
            {"ns": 0, "title": "Doc", "watched": ""},
            {"ns": 0, "title": "Nowhere", "missing": ""},
        ],
    }
    assert Watch.objects.filter(user=world.alice, page__title="Doc").exists()
    info = mw.get(action="query", prop="info", inprop="watched", titles="Doc", formatversion="2")
    assert info["query"]["pages"][0]["watched"] is True
    data = mw.post(action="watch", titles="Doc", unwatch="1", token=token, formatversion="2")
    assert data == {"batchcomplete": True, "watch": [{"ns": 0, "title": "Doc", "unwatched": True}]}
    assert not Watch.objects.filter(user=world.alice, page__title="Doc").exists()


def test_watch_refusals(world: Any) -> None:
    anonymous = MW("atlas")
    data = anonymous.post(action="watch", titles="Doc", token="+\\")
    assert data["error"]["code"] == "notloggedin"
    mw = _signed_in()
    assert mw.post(action="watch", titles="Doc", token="bad")["error"]["code"] == "badtoken"
    assert (
        mw.get(action="watch", titles="Doc", token=mw.csrf())["error"]["code"] == "mustpostparams"
    )
    assert not Watch.objects.filter(user=world.alice).exists()


def test_paraminfo_describes_the_new_modules(world: Any) -> None:
    data = MW("atlas").get(
        action="paraminfo",
        modules="query+links|query+backlinks|query+logevents|watch|edit|query",
        formatversion="2",
    )
    modules = {module["path"]: module for module in data["paraminfo"]["modules"]}
    assert modules["query+links"]["prefix"] == "pl" and modules["query+links"]["generator"]
    assert modules["query+backlinks"]["prefix"] == "bl"
    assert modules["query+logevents"]["prefix"] == "le"
    assert modules["watch"]["mustbeposted"] is True
    names = {module: {p["name"] for p in modules[module]["parameters"]} for module in modules}
    assert {"section", "sectiontitle", "undo", "undoafter"} <= names["edit"]
    assert {"title", "limit", "continue", "namespace", "filterredir"} <= names["query+backlinks"]
    assert {"type", "action", "limit", "continue", "prop"} <= names["query+logevents"]
    query = {p["name"]: p for p in modules["query"]["parameters"]}
    assert "links" in query["prop"]["type"]
    assert {"backlinks", "logevents"} <= set(query["list"]["type"])
    assert {"links", "backlinks"} <= set(query["generator"]["type"])


def test_generators_continue_with_their_own_keys(linked: Any) -> None:
    """A generator's continuation key is its parameter's name (gapcontinue, gblcontinue), so
    resending it moves on rather than starting again."""
    mw = MW("atlas")
    for params, key in (
        ({"generator": "allpages", "gaplimit": "2"}, "gapcontinue"),
        ({"generator": "backlinks", "gbltitle": "Doc", "gbllimit": "2"}, "gblcontinue"),
        ({"generator": "links", "titles": "Hub", "gpllimit": "2"}, "gplcontinue"),
    ):
        seen: list[str] = []
        cont: dict[str, str] = {"continue": ""}
        for _round in range(10):
            data = mw.get(action="query", formatversion="2", **params, **cont)
            seen += [page["title"] for page in data["query"]["pages"]]
            if "continue" not in data:
                break
            assert key in data["continue"]
            cont = data["continue"]
        assert "batchcomplete" in data
        assert len(seen) == len(set(seen)) and len(seen) >= 3, (key, seen)


def test_appendtext_and_prependtext_win_over_text_and_md5_covers_them(world: Any) -> None:
    """MediaWiki's rule: with `text` and `appendtext`/`prependtext` both sent, the page gets
    the current text with the additions, `text` is ignored, and `md5` is over the additions."""
    import hashlib

    mw = _signed_in()
    added = "Top.\n" + "\nEnd."
    wrong = hashlib.md5(b"ignored", usedforsecurity=False).hexdigest()
    refused = mw.edit(
        title="Doc", text="ignored", prependtext="Top.\n", appendtext="\nEnd.", md5=wrong
    )
    assert refused["error"]["code"] == "badmd5"
    assert _text() == SECTIONED
    right = hashlib.md5(added.encode(), usedforsecurity=False).hexdigest()
    result = mw.edit(
        title="Doc", text="ignored", prependtext="Top.\n", appendtext="\nEnd.", md5=right
    )
    assert result["edit"]["result"] == "Success", result
    assert _text().rstrip("\n") == "Top.\n" + SECTIONED + "\nEnd."
