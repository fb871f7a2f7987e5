"""The real mwclient (from PyPI) against peerwork's live test server."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

from peerwork.accounts import actions as accounts
from peerwork.wiki import actions as wiki
from tests.conftest import PASSWORD

mwclient = pytest.importorskip("mwclient")


@pytest.fixture
def site_for(live_server: Any, make_user: Any, make_space: Any) -> Any:
    owner = make_user("owner")
    make_user("alice")
    make_user("bob")
    space = make_space(owner, "open-atlas")
    wiki.page_save(
        user=owner,
        space=space,
        title="Main page",
        text="Welcome.\n\nOne line.\nTwo line.\nThree line.\n\n[[Category:Docs]]\n",
        base_revision_id=None,
        summary="start",
    )
    host = urlsplit(live_server.url).netloc
    sites: list[Any] = []

    def make(login: str | None = None, password: str = PASSWORD) -> Any:
        site = mwclient.Site(
            host, path="/s/open-atlas/w/", scheme="http", clients_useragent="peerwork-tests"
        )
        sites.append(site)
        if login:
            site.login(login, password)
        return site

    make.owner = owner  # type: ignore[attr-defined]
    make.space = space  # type: ignore[attr-defined]
    yield make
    # A kept-alive connection keeps its live-server thread, and that thread's database
    # connection, open; PostgreSQL then refuses to drop the test database at the end.
    for site in sites:
        site.connection.close()


@pytest.mark.django_db(transaction=True)
def test_connect_login_read_and_edit(site_for: Any) -> None:
    anonymous = site_for()
    assert anonymous.version[:2] == (1, 39)
    assert anonymous.site["sitename"] == "Open Atlas"
    assert not anonymous.logged_in
    site = site_for("alice")
    assert site.logged_in and site.username == "Alice"
    assert "edit" in site.rights
    page = site.pages["Main page"]
    assert page.exists
    assert page.text().startswith("Welcome.")
    result = page.edit(page.text() + "\nFour line.\n", summary="more")
    assert result["result"] == "Success"
    fresh = site.pages["Main page"]
    assert fresh.text().endswith("Four line.\n")
    created = site.pages["Brand new"].edit("Fresh text.", summary="create")
    assert created["result"] == "Success" and "new" in created
    assert site.pages["Brand new"].text() == "Fresh text."


@pytest.mark.django_db(transaction=True)
def test_conflicting_edit_raises_and_disjoint_edit_merges(site_for: Any) -> None:
    alice = site_for("alice").pages["Main page"]
    bob = site_for("bob").pages["Main page"]
    alice_text, bob_text = alice.text(), bob.text()
    alice.edit(alice_text.replace("One line.", "One line, by Alice."), summary="alice")
    with pytest.raises(mwclient.errors.EditError) as raised:
        bob.edit(bob_text.replace("One line.", "One line, by Bob."), summary="bob")
    assert raised.value.args[1:] == ("bob", "Edit conflict.")
    carol = site_for("bob").pages["Main page"]
    stale = site_for("alice").pages["Main page"]
    base_text = stale.text()
    carol.edit(carol.text().replace("Welcome.", "Welcome, all."), summary="top")
    merged = stale.edit(base_text.replace("Three line.", "Three line, edited."), summary="end")
    assert merged["result"] == "Success"
    text = site_for().pages["Main page"].text()
    assert "Welcome, all." in text and "Three line, edited." in text
    assert "One line, by Alice." in text and "Bob" not in text


@pytest.mark.django_db(transaction=True)
def test_lists_and_search(site_for: Any) -> None:
    site = site_for("alice")
    site.pages["Second"].edit("Second page about rivers.\n\n[[Category:Docs]]", summary="two")
    site.pages["Main page"].edit("Welcome again.\n", summary="again")
    revisions = list(site.pages["Main page"].revisions(prop="ids|timestamp|user|comment|size|sha1"))
    assert [(r["user"], r["comment"]) for r in revisions] == [
        ("Alice", "again"),
        ("Owner", "start"),
    ]
    assert len(revisions[0]["sha1"]) == 40
    changes = list(site.recentchanges(api_chunk_size=2))
    assert [c["title"] for c in changes[:3]] == ["Main page", "Second", "Main page"]
    assert {c["type"] for c in changes} == {"edit", "new"}
    assert [p.name for p in site.allpages()] == ["Main page", "Second"]
    members = [p.name for p in site.categories["Docs"]]
    assert members == ["Main page", "Second"] or members == ["Second"]
    found = [hit["title"] for hit in site.search("rivers")]
    assert found == ["Second"]
    contributions = [c["title"] for c in site.usercontributions("Alice")]
    assert contributions == ["Main page", "Second"]
    html = site.parse(text="*hello*", title="Sandbox")["text"]["*"]
    assert "<em>hello</em>" in html


@pytest.mark.django_db(transaction=True)
def test_login_with_api_token_and_bearer_header(site_for: Any, django_user_model: Any) -> None:
    alice = django_user_model.objects.get(username="alice")
    _token, write = accounts.token_create(user=alice, person=alice, name="bot", scope="write")
    site = site_for("Alice@bot", write)
    assert site.username == "Alice"
    assert site.pages["By token"].edit("Saved by a token.")["result"] == "Success"
    _token, read = accounts.token_create(user=alice, person=alice, name="ro", scope="read")
    reader = site_for("Alice@reader", read)
    assert "edit" not in reader.rights
    with pytest.raises(mwclient.errors.APIError) as raised:
        reader.api("edit", title="By token", text="Nope.", token=reader.get_token("csrf"))
    assert raised.value.code == "permissiondenied"
    with pytest.raises(mwclient.errors.LoginError):
        site_for("alice", "wrong password")
