"""The MediaWiki Action API's section editing, undo, links, backlinks, log events and watching,
through Django's test client, in both format versions."""

from __future__ import annotations

from typing import Any

import pytest

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
    data = mw.get(action="query", prop="revisions", titles="Doc", rvprop="content", rvsection="3")
    assert data["error"]["code"] == "nosuchsection"
    assert data["error"]["info"] == f"There is no section 3 in revision {world.doc.pk}."
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
