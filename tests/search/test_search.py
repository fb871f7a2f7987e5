"""Full-text search through the REST API, on whichever database the suite runs on."""

from __future__ import annotations

import re

import pytest
from django.db import transaction

from peerwork.search import index
from peerwork.search.backends import parse_query
from peerwork.search.models import SearchDocument
from peerwork.wiki import actions
from peerwork.wiki.models import Page


@pytest.fixture
def world(make_user, make_space, api_as):
    ada, bob, carol = make_user("ada"), make_user("bob"), make_user("carol")
    atlas = make_space(ada, "atlas")
    vault = make_space(ada, "vault", visibility="members", participation="members")
    return {
        "ada": ada,
        "atlas": atlas,
        "vault": vault,
        "as_ada": api_as(ada),
        "as_bob": api_as(bob),
        "as_carol": api_as(carol),
        "anonymous": api_as(None),
    }


def write(world, title, text, space="atlas"):
    space_obj = world[space]
    page = Page.objects.filter(space=space_obj, title=title).first()
    base = page.current_revision_id if page else None
    result = actions.page_save(
        user=world["ada"], space=space_obj, title=title, text=text, base_revision_id=base
    )
    return result.page


def search(client, q, path="/spaces/atlas/search", **params):
    response = client.get(path, data={"q": q, **params})
    assert response.status_code == 200, response.content
    return response.json()


def titles(client, q, path="/spaces/atlas/search", **params):
    return [item["title"] for item in search(client, q, path, **params)["items"]]


def complete(client, prefix, slug="atlas", **params):
    response = client.get(f"/spaces/{slug}/autocomplete", data={"prefix": prefix, **params})
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["items"]]


def test_a_title_match_ranks_above_a_body_match(world):
    write(world, "Animals", "The zebra lives on the savanna with many other animals.\n")
    write(world, "Zebra", "Black and white stripes.\n")
    body = search(world["as_bob"], "zebra")
    assert [item["title"] for item in body["items"]] == ["Zebra", "Animals"]
    assert body["items"][0]["rank"] > body["items"][1]["rank"]
    assert body["items"][0]["space"] == "atlas" and body["items"][0]["namespace"] == 0
    assert body["next_offset"] is None


def test_snippets_mark_the_match_and_escape_the_text(world):
    write(
        world,
        "Birds",
        "## Beware\n\n<script>alert('x')</script>\n\nOf **pelicans** & gulls < 3 "
        "[[Sea|the sea]] and [waves](https://example.org) `<b>code</b>`.\n",
    )
    snippet = search(world["as_bob"], "pelicans")["items"][0]["snippet"]
    # The words a reader sees, escaped; no Markdown, wiki links or raw HTML of the source.
    # (Each engine chooses its own window of words around the match.)
    assert snippet.startswith(
        "Beware Of <mark>pelicans</mark> &amp; gulls &lt; 3 the sea and waves &lt;b&gt;code"
    )
    assert "<script>" not in snippet
    assert re.sub(r"</?mark>", "", snippet).count("<") == 0
    snippet = search(world["as_bob"], "code")["items"][0]["snippet"]
    assert "&lt;b&gt;<mark>code</mark>" in snippet
    assert search(world["as_bob"], "script")["items"] == []  # raw HTML is no text to find


def test_marks_cannot_be_forged_by_page_text(world):
    write(world, "Forged", "control \x02 chars \x03 here and a word\n")
    snippet = search(world["as_bob"], "word")["items"][0]["snippet"]
    assert snippet.count("<mark>") == 1 and "<mark>word</mark>" in snippet


def test_diacritics_and_case_are_ignored(world):
    write(world, "Café Olé", "Crème brûlée recipes.\n")
    assert titles(world["as_bob"], "cafe") == ["Café Olé"]
    assert titles(world["as_bob"], "CREME BRULEE") == ["Café Olé"]
    assert titles(world["as_bob"], "crème") == ["Café Olé"]


def test_phrases_exclusions_and_or(world):
    write(world, "One", "a red apple\n")
    write(world, "Two", "a green apple\n")
    write(world, "Three", "a red cherry and an apple tree that is red\n")
    assert sorted(titles(world["as_bob"], "apple")) == ["One", "Three", "Two"]
    assert sorted(titles(world["as_bob"], '"red apple"')) == ["One"]
    assert sorted(titles(world["as_bob"], "apple -green")) == ["One", "Three"]
    assert sorted(titles(world["as_bob"], 'apple -"red apple" -green')) == ["Three"]
    assert sorted(titles(world["as_bob"], "cherry or green")) == ["Three", "Two"]
    assert titles(world["as_bob"], "-apple") == []


def test_prefix_autocomplete(world):
    for title in ["Solar power", "Solar system", "Solstice", "Polar bear", "Insolent"]:
        write(world, title, "text\n")
    assert complete(world["as_bob"], "sol") == ["Solstice", "Solar power", "Solar system"]
    assert complete(world["as_bob"], "Solar S") == ["Solar system"]
    assert complete(world["as_bob"], "pow") == ["Solar power"]
    assert complete(world["as_bob"], "sol", limit=1) == ["Solstice"]
    assert complete(world["as_bob"], "x") == []
    assert complete(world["as_bob"], "  ") == []
    # Only titles: "text" is every page's body.
    assert complete(world["as_bob"], "tex") == []


def test_an_edit_replaces_the_old_words(world):
    page = write(world, "Fruit", "apples all the way\n")
    assert titles(world["as_bob"], "apples") == ["Fruit"]
    write(world, "Fruit", "oranges all the way\n")
    assert titles(world["as_bob"], "apples") == []
    assert titles(world["as_bob"], "oranges") == ["Fruit"]
    assert SearchDocument.objects.filter(kind="page", object_id=page.pk).count() == 1


def test_delete_removes_and_restore_brings_back(world):
    write(world, "Doomed", "ephemeral words\n")
    response = world["as_ada"].post("/spaces/atlas/deletions", {"title": "Doomed", "reason": "x"})
    assert response.status_code == 204
    assert titles(world["as_ada"], "ephemeral") == []
    assert titles(world["as_ada"], "ephemeral", path="/search") == []
    assert complete(world["as_ada"], "doo") == []
    response = world["as_ada"].post(
        "/spaces/atlas/restorations", {"title": "Doomed", "reason": "y"}
    )
    assert response.status_code == 200
    assert titles(world["as_bob"], "ephemeral") == ["Doomed"]
    assert complete(world["as_bob"], "doo") == ["Doomed"]


def test_move_reindexes_under_the_new_title(world):
    write(world, "Old name", "moving content\n")
    response = world["as_ada"].post(
        "/spaces/atlas/moves", {"title": "Old name", "new_title": "Fresh title"}
    )
    assert response.status_code == 200
    assert titles(world["as_bob"], "fresh") == ["Fresh title"]
    assert titles(world["as_bob"], "moving") == ["Fresh title"]
    # The redirect left at the old title is not indexed: only the page itself answers.
    assert titles(world["as_bob"], "old name") == []
    assert complete(world["as_bob"], "old") == []
    assert complete(world["as_bob"], "fre") == ["Fresh title"]


def test_an_edit_and_its_index_entry_commit_together(world):
    write(world, "Steady", "before\n")
    with pytest.raises(RuntimeError), transaction.atomic():
        write(world, "Steady", "after\n")
        raise RuntimeError("the edit fails after saving")
    assert titles(world["as_bob"], "before") == ["Steady"]
    assert titles(world["as_bob"], "after") == []


HOSTILE = [
    '"',
    '""',
    "'",
    "AND",
    "OR",
    "NOT",
    "NEAR(",
    "NEAR(a b, 2)",
    "*",
    "a*",
    "-x",
    "--",
    "-",
    "(",
    ")",
    "a OR",
    "OR OR OR",
    "title:x",
    "{title}: x",
    "^a",
    "a:*",
    "!x & y | z",
    "'a':*A",
    "\\",
    "%_%",
    "\x00",
    "x\x00y",
    "\u202e\u0301",
    "🙂 ☃ 漢字",
    "a" * 300,
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_fail(world, query):
    write(world, "Plain", "a plain page about x and y and z\n")
    # A NUL character is refused before any view (no database stores it); all else answers.
    expected = 400 if "\x00" in query else 200
    for path in ("/spaces/atlas/search", "/search"):
        response = world["anonymous"].get(path, data={"q": query})
        assert response.status_code == expected, (query, response.content)
    response = world["anonymous"].get("/spaces/atlas/autocomplete", data={"prefix": query})
    assert response.status_code == expected, (query, response.content)


def test_long_or_blank_queries(world):
    write(world, "Plain", "words\n")
    assert search(world["as_bob"], "") == {"items": [], "next_offset": None}
    assert search(world["as_bob"], "   ", path="/search") == {
        "items": [],
        "total": 0,
        "facets": {"kinds": [], "spaces": []},
        "next_offset": None,
        "is_capped": False,
    }
    response = world["as_bob"].get("/spaces/atlas/search", data={"q": "a" * 301})
    assert response.status_code == 422
    assert response.json()["detail"] == (
        "A search may be at most 300 characters; this one has 301. Use fewer words."
    )
    assert response.json()["errors"] == [{"field": "q", "message": response.json()["detail"]}]
    response = world["as_bob"].get("/spaces/atlas/autocomplete", data={"prefix": "a" * 301})
    assert response.status_code == 422
    response = world["as_bob"].get("/search", data={"q": "x", "limit": 51})
    assert response.status_code == 422


def test_members_only_space_is_searched_only_by_members(world):
    write(world, "Plans", "classified treasure map\n", space="vault")
    write(world, "Public", "a treasure of public knowledge\n")
    for who in ("anonymous", "as_carol"):
        client = world[who]
        assert titles(client, "treasure", path="/search") == ["Public"]
        assert titles(client, "classified", path="/search") == []
        response = client.get("/spaces/vault/search", data={"q": "classified"})
        assert response.status_code == 404
        assert response.json()["type"] == "/problems/not-found"
        response = client.get("/spaces/vault/autocomplete", data={"prefix": "pla"})
        assert response.status_code == 404
        # Exactly like a space that does not exist.
        assert client.get("/spaces/nowhere/search", data={"q": "x"}).status_code == 404
    member = world["as_ada"]
    items = search(member, "classified", path="/search")["items"]
    assert [(item["title"], item["space"]) for item in items] == [("Plans", "vault")]
    assert sorted(titles(member, "treasure", path="/search")) == ["Plans", "Public"]
    assert titles(member, "classified", path="/spaces/vault/search") == ["Plans"]
    assert complete(member, "pla", slug="vault") == ["Plans"]


def test_namespace_filter_and_paging(world):
    for n in range(5):
        write(world, f"Page {n}", f"common word {n}\n")
    write(world, "Help:Common", "common help\n")
    assert titles(world["as_bob"], "common", namespace=12) == ["Help:Common"]
    first = search(world["as_bob"], "common", namespace=0, limit=2)
    assert len(first["items"]) == 2 and first["next_offset"] == 2
    second = search(world["as_bob"], "common", namespace=0, limit=2, offset=2)
    third = search(world["as_bob"], "common", namespace=0, limit=2, offset=4)
    assert third["next_offset"] is None
    seen = [i["title"] for page in (first, second, third) for i in page["items"]]
    assert sorted(seen) == [f"Page {n}" for n in range(5)]


def test_reindex_space_rebuilds_from_the_pages(world):
    write(world, "Kept", "durable words\n")
    write(world, "Gone", "durable too\n")
    world["as_ada"].post("/spaces/atlas/deletions", {"title": "Gone", "reason": "x"})
    SearchDocument.objects.filter(kind="page").delete()
    assert titles(world["as_bob"], "durable") == []
    assert index.reindex_space(world["atlas"]) == 1
    assert titles(world["as_bob"], "durable") == ["Kept"]


def test_parse_query_keeps_only_words():
    assert parse_query('NEAR( "a b" -c OR d*') == [
        [
            _clause(("near",)),
            _clause(("a", "b")),
            _clause(("c",), negated=True),
        ],
        [_clause(("d",))],
    ]
    assert parse_query("-x") == []
    assert parse_query('"') == []


def _clause(words, negated=False):
    from peerwork.search.backends import Clause

    return Clause(words, negated)
