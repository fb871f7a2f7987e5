"""The MediaWiki API reaches pages only through the wiki's selectors, so a deleted page, or a
page or revision of a space the viewer may not see, is answered exactly as one that never
existed: by id, by title, by revision, as a category, as a link target. Each leak class is
checked for a passer-by, a member and the steward (who may see deleted pages on the web, but
whose API answers treat them as MediaWiki does: as missing)."""

from __future__ import annotations

from typing import Any

import pytest

from peerwork.wiki import actions as wiki
from tests.interop.test_mediawiki_api import MW

pytestmark = pytest.mark.django_db

VIEWERS = ("anonymous", "alice", "owner")


@pytest.fixture
def world(make_user: Any, make_space: Any) -> Any:
    class World:
        owner = make_user("owner")
        alice = make_user("alice")
        space = make_space(owner, "atlas")
        hidden = make_space(owner, "secret", visibility="members", participation="members")

    def save(space: Any, title: str, text: str) -> Any:
        return wiki.page_save(
            user=World.owner, space=space, title=title, text=text, base_revision_id=None
        )

    World.doc = save(World.space, "Doc", "See [[Gone]] and [[Doc]].\n").page
    World.gone_saved = save(World.space, "Gone", "Spam.\n[[Category:Junk]]\n")
    World.gone = World.gone_saved.page
    World.junk = save(World.space, "Category:Junk", "Junk pages.\n").page
    World.plans_saved = save(World.hidden, "Plans", "Secret plans.\n")
    World.plans = World.plans_saved.page
    wiki.page_delete(user=World.owner, page=World.gone, reason="spam")
    wiki.page_delete(user=World.owner, page=World.junk, reason="spam")
    return World


def _client(name: str) -> MW:
    mw = MW("atlas")
    if name != "anonymous":
        assert mw.login(name)["login"]["result"] == "Success"
    return mw


@pytest.mark.parametrize("viewer", VIEWERS)
def test_a_deleted_page_by_id_is_no_page(world: Any, viewer: str) -> None:
    mw = _client(viewer)
    gone = world.gone.pk
    assert mw.get(action="parse", pageid=gone)["error"]["code"] == "nosuchpageid"
    pages = mw.get(action="query", pageids=gone, formatversion="2")["query"]["pages"]
    assert pages == [{"pageid": gone, "missing": True}]
    backlinks = mw.get(action="query", list="backlinks", blpageid=gone)
    assert backlinks["error"]["code"] == "nosuchpageid"
    members = mw.get(action="query", list="categorymembers", cmpageid=world.junk.pk)
    assert members["error"]["code"] == "nosuchpageid"
    if viewer != "anonymous":
        token = mw.csrf()
        edited = mw.post(action="edit", pageid=gone, text="back", token=token)
        assert edited["error"]["code"] == "nosuchpageid"
        deleted = mw.post(action="delete", pageid=gone, reason="again", token=token)
        assert deleted["error"]["code"] == "nosuchpageid"
        moved = mw.post(action="move", fromid=gone, to="Elsewhere", token=token)
        assert moved["error"]["code"] == "nosuchpageid"


@pytest.mark.parametrize("viewer", VIEWERS)
def test_a_deleted_page_by_title_or_revision_is_no_page(world: Any, viewer: str) -> None:
    mw = _client(viewer)
    assert mw.get(action="parse", page="Gone")["error"]["code"] == "missingtitle"
    revision = world.gone_saved.revision.pk
    assert mw.get(action="parse", oldid=revision)["error"]["code"] == "nosuchrevid"
    # Parsing text "as it would show on" a deleted page's title tells nothing of that page.
    parsed = mw.get(action="parse", title="Gone", text="x", prop="text", formatversion="2")
    assert parsed["parse"]["pageid"] == 0
    query = mw.get(action="query", titles="Gone", formatversion="2")
    assert query["query"]["pages"][0].get("missing") is True
    by_revision = mw.get(action="query", revids=revision, formatversion="2")
    nothing = mw.get(action="query", revids=999_999, formatversion="2")
    assert nothing["query"]["badrevids"] == {"999999": {"revid": 999_999, "missing": True}}
    assert by_revision["query"]["badrevids"] == {
        str(revision): {"revid": revision, "missing": True}
    }
    assert "pages" not in by_revision["query"]


@pytest.mark.parametrize("viewer", VIEWERS)
def test_a_deleted_page_is_no_link_target(world: Any, viewer: str) -> None:
    mw = _client(viewer)
    parsed = mw.get(action="parse", page="Doc", prop="links", formatversion="2")
    exists = {row["title"]: row["exists"] for row in parsed["parse"]["links"]}
    assert exists == {"Gone": False, "Doc": True}
    targets = mw.get(action="query", generator="links", titles="Doc", formatversion="2")
    by_title = {page["title"]: page for page in targets["query"]["pages"]}
    assert by_title["Gone"].get("missing") is True
    assert "pageid" not in by_title["Gone"]
    assert by_title["Doc"]["pageid"] == world.doc.pk


@pytest.mark.parametrize("viewer", ("anonymous", "alice"))
def test_a_page_of_a_hidden_space_is_no_page(world: Any, viewer: str) -> None:
    mw = _client(viewer)
    plans = world.plans.pk
    assert mw.get(action="parse", pageid=plans)["error"]["code"] == "nosuchpageid"
    pages = mw.get(action="query", pageids=plans, formatversion="2")["query"]["pages"]
    assert pages == [{"pageid": plans, "missing": True}]
    revision = world.plans_saved.revision.pk
    assert mw.get(action="parse", oldid=revision)["error"]["code"] == "nosuchrevid"
    assert mw.get(action="query", list="backlinks", blpageid=plans)["error"]["code"] == (
        "nosuchpageid"
    )
    if viewer != "anonymous":
        # Undoing another space's revision: "no such revision", not "not a revision of Doc",
        # which would tell that the id exists somewhere.
        undone = mw.edit(title="Doc", undo=revision)
        assert undone["error"]["code"] == "nosuchrevid"


def test_logevents_finds_the_pages_now_at_moved_titles_in_one_query(world: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    mw = MW("atlas")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            rows = mw.get(action="query", list="logevents", letype="move", lelimit="max")
        assert "query" in rows, rows
        return len(captured)

    page = world.doc
    wiki.page_move(user=world.owner, page=page, new_title="Doc 1")
    one = queries()
    for number in (2, 3, 4):
        page.refresh_from_db()
        wiki.page_move(user=world.owner, page=page, new_title=f"Doc {number}")
    assert queries() == one
    rows = mw.get(action="query", list="logevents", letype="move", formatversion="2")
    # Each move left a redirect at its old title: that page is the entry's pageid.
    assert all(row["pageid"] not in (0, page.pk) for row in rows["query"]["logevents"])
