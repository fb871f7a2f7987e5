"""Search over everything through the REST API and the results page, on either database: each
kind is found, whatever the viewer may not see is neither found nor counted, and changes show at
once."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from peerwork.accounts import actions as accounts
from peerwork.challenges import actions as challenges
from peerwork.discussions import actions as discussions
from peerwork.governance import actions as governance
from peerwork.ideas import actions as ideas
from peerwork.ideas.models import Idea
from peerwork.search import index
from peerwork.search.models import SearchDocument
from peerwork.spaces import actions as spaces
from peerwork.spaces.models import SpaceMembership
from peerwork.tasks import actions as tasks
from peerwork.wiki import actions as wiki
from tests.challenges.conftest import fund

EVERY_KIND = ["page", "idea", "challenge", "task", "proposal", "comment", "space", "person"]


@pytest.fixture
def world(make_user, make_space, api_as) -> dict[str, Any]:
    ada = make_user("ada", display_name="Ada Lovelace")
    bob = make_user("bob", display_name="Bob")
    atlas = make_space(ada, "atlas")
    vault = make_space(ada, "vault", visibility="members", participation="members")
    SpaceMembership.objects.create(space=atlas, user=bob, role="member")
    fund(atlas, ada)

    def page(space, title, text):
        return wiki.page_save(
            user=ada, space=space, title=title, text=text, base_revision_id=None
        ).page

    page(atlas, "Heron", "The **heron** waits by the [[River]].\n")
    gone = page(atlas, "Lost heron", "A heron page that was deleted.\n")
    wiki.page_delete(user=ada, page=gone, reason="spam")
    page(vault, "Heron nests", "Where the heron nests: a secret.\n")
    idea = ideas.idea_create(
        user=ada, space=atlas, title="Heron hide", description="Build a hide to watch a heron."
    )
    idea = ideas.idea_publish(user=ada, idea=idea)
    draft = ideas.idea_create(
        user=ada, space=atlas, title="Heron draft", description="Not ready: heron."
    )
    hidden = ideas.idea_create(user=ada, space=vault, title="Vault heron", description="x")
    hidden = ideas.idea_publish(user=ada, idea=hidden)
    now = timezone.now()
    challenges.challenge_create(
        user=ada,
        space=atlas,
        title="Count the herons",
        statement="Find a way to count every heron on the river.",
        kind="ideation",
        currency="EUR",
        prize_pool=1000,
        prize_split=[1000],
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=7),
        ip_terms="license",
        criteria=[("Accuracy", 1)],
    )
    tasks.task_create(user=ada, space=atlas, title="Ring a heron", description="With care.")
    governance.proposal_create(
        user=ada, space=atlas, title="Protect the heron", method_name="consent"
    )
    comment = discussions.comment_post(user=bob, target=idea, text="I saw a *heron* today.")
    discussions.comment_post(user=ada, target=hidden, text="Vault heron note.")
    spaces.space_create(
        user=ada,
        slug="heron-club",
        name="Heron Club",
        description="People who watch the heron.",
        visibility="public",
        participation="anyone",
    )
    hera = make_user("hera", display_name="Hera")
    accounts.user_update_profile(user=hera, person=hera, bio="I paint the heron.")
    accounts.user_update_profile(user=bob, person=bob, skills=["heron ringing"])
    return {
        "ada": ada,
        "bob": bob,
        "atlas": atlas,
        "vault": vault,
        "idea": idea,
        "draft": draft,
        "comment": comment,
        "as_ada": api_as(ada),
        "as_bob": api_as(bob),
        "as_carol": api_as(make_user("carol")),
        "anonymous": api_as(None),
    }


def answer(client, q="heron", **params) -> dict[str, Any]:
    response = client.get("/search", data={"q": q, **params})
    assert response.status_code == 200, response.content
    return response.json()


def found(client, q="heron", **params) -> list[tuple[str, str]]:
    return sorted((item["kind"], item["title"]) for item in answer(client, q, **params)["items"])


def facets(body, name) -> dict[str, int]:
    return {facet["value"]: facet["count"] for facet in body["facets"][name]}


PUBLIC = [
    ("challenge", "Count the herons"),
    ("comment", "Bob on Heron hide"),
    ("idea", "Heron hide"),
    ("page", "Heron"),
    ("person", "Bob"),
    ("person", "Hera"),
    ("proposal", "Protect the heron"),
    ("space", "Heron Club"),
    ("task", "Ring a heron"),
]


@pytest.mark.parametrize("who", ["anonymous", "as_carol", "as_bob"])
def test_each_kind_is_found_and_nothing_hidden_is(world, who):
    # Bob is a member of atlas but not of the vault, nor a creator of the draft.
    assert found(world[who]) == PUBLIC


def test_the_author_and_members_find_what_they_may_see(world):
    assert found(world["as_ada"]) == sorted(
        [
            *PUBLIC,
            ("comment", "Ada Lovelace on Vault heron"),
            ("idea", "Heron draft"),
            ("idea", "Vault heron"),
            ("page", "Heron nests"),
        ]
    )


def test_facets_count_only_what_the_viewer_may_see(world):
    body = answer(world["anonymous"])
    assert body["total"] == 9
    assert facets(body, "kinds") == {
        "page": 1,
        "idea": 1,
        "challenge": 1,
        "task": 1,
        "proposal": 1,
        "comment": 1,
        "space": 1,
        "person": 2,
    }
    assert [kind["label"] for kind in body["facets"]["kinds"]] == [
        "Pages",
        "Ideas",
        "Challenges",
        "Tasks",
        "Proposals",
        "Comments",
        "Spaces",
        "People",
    ]
    assert facets(body, "spaces") == {"atlas": 6, "heron-club": 1}
    assert [space["label"] for space in body["facets"]["spaces"]] == ["Atlas", "Heron Club"]
    mine = answer(world["as_ada"])
    assert mine["total"] == 13
    assert facets(mine, "spaces") == {"atlas": 7, "vault": 3, "heron-club": 1}
    assert facets(mine, "kinds")["idea"] == 3


def test_kind_and_space_filters_combine_and_each_facet_counts_with_the_other(world):
    body = answer(world["as_ada"], kind="idea", space="atlas")
    assert [(item["kind"], item["title"]) for item in body["items"]] == [
        ("idea", "Heron draft"),
        ("idea", "Heron hide"),
    ] or sorted(item["title"] for item in body["items"]) == ["Heron draft", "Heron hide"]
    assert body["total"] == 2
    # Kinds count within atlas; spaces count ideas.
    assert facets(body, "kinds") == {
        "page": 1,
        "idea": 2,
        "challenge": 1,
        "task": 1,
        "proposal": 1,
        "comment": 1,
    }
    assert facets(body, "spaces") == {"atlas": 2, "vault": 1}
    assert [f["value"] for f in body["facets"]["kinds"] if f["selected"]] == ["idea"]
    assert [f["value"] for f in body["facets"]["spaces"] if f["selected"]] == ["atlas"]
    several = answer(world["anonymous"], kind=["task", "proposal"])
    assert sorted(item["kind"] for item in several["items"]) == ["proposal", "task"]
    assert found(world["anonymous"], kind="task,person") == [
        ("person", "Bob"),
        ("person", "Hera"),
        ("task", "Ring a heron"),
    ]


def test_results_name_their_space_and_link_to_the_thing(world):
    items = {item["title"]: item for item in answer(world["anonymous"])["items"]}
    idea = world["idea"]
    assert items["Heron hide"]["url"] == f"/s/atlas/ideas/{idea.pk}/"
    assert items["Heron hide"]["space"] == "atlas"
    assert items["Heron hide"]["space_name"] == "Atlas"
    assert items["Heron hide"]["kind_label"] == "Idea"
    assert items["Heron"]["url"] == "/s/atlas/wiki/Heron"
    assert items["Bob on Heron hide"]["url"] == (
        f"/s/atlas/ideas/{idea.pk}/#comment-{world['comment'].pk}"
    )
    assert items["Hera"]["url"] == "/people/hera/"
    assert items["Hera"]["space"] is None and items["Hera"]["space_name"] is None
    assert items["Heron Club"]["url"] == "/s/heron-club/"
    assert items["Heron Club"]["space_name"] == "Heron Club"


def test_hidden_spaces_and_unknown_kinds_are_refused_and_change_nothing(world):
    before = SearchDocument.objects.count()
    response = world["as_bob"].get("/search", data={"q": "heron", "space": "vault"})
    assert response.status_code == 404
    assert response.json()["type"] == "/problems/not-found"
    response = world["as_bob"].get("/search", data={"q": "heron", "kind": "secret"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "kind"
    assert SearchDocument.objects.count() == before


def test_an_empty_query_finds_nothing_and_counts_nothing(world):
    assert answer(world["as_ada"], q="   ") == {
        "items": [],
        "total": 0,
        "facets": {"kinds": [], "spaces": []},
        "next_offset": None,
        "is_capped": False,
    }


def test_results_come_in_pages(world):
    first = answer(world["anonymous"], limit=4)
    second = answer(world["anonymous"], limit=4, offset=first["next_offset"])
    third = answer(world["anonymous"], limit=4, offset=second["next_offset"])
    assert (first["next_offset"], second["next_offset"], third["next_offset"]) == (4, 8, None)
    titles = [item["title"] for body in (first, second, third) for item in body["items"]]
    assert sorted(titles) == sorted(title for _kind, title in PUBLIC)


def test_snippets_are_plain_text_with_the_match_marked(world):
    ideas.idea_update(
        user=world["ada"],
        idea=world["idea"],
        description="## Plan\n\nA **hide** by the [[River|river]] <b>heron</b> & `code` <i>x</i>",
    )
    items = {item["title"]: item for item in answer(world["anonymous"])["items"]}
    snippet = items["Heron hide"]["snippet"]
    assert snippet.startswith("Plan A hide by the river <mark>heron</mark> &amp; code")
    assert "**" not in snippet and "[[" not in snippet and "##" not in snippet
    assert "<b>" not in snippet and "<i>" not in snippet
    comment = items["Bob on Heron hide"]["snippet"]
    assert comment.endswith("<mark>heron</mark> today.") or comment == "<mark>heron</mark> today"
    assert "*" not in comment


def test_edits_deletions_and_visibility_changes_show_at_once(world):
    bob, ada = world["as_bob"], world["ada"]
    ideas.idea_update(user=ada, idea=world["idea"], title="Egret hide", description="An egret.")
    assert ("idea", "Heron hide") not in found(bob)
    assert found(bob, q="egret") == [("idea", "Egret hide")]
    assert ("comment", "Bob on Egret hide") in found(bob)
    discussions.comment_delete(user=world["bob"], comment=world["comment"])
    assert ("comment", "Bob on Egret hide") not in found(bob)
    # A published draft is found by everyone who may see its space.
    ideas.idea_publish(user=ada, idea=world["draft"])
    assert ("idea", "Heron draft") in found(bob)
    # A space made members-only takes everything in it out of outsiders' results and counts.
    spaces.space_update(
        user=ada, space=world["atlas"], visibility="members", participation="members"
    )
    outsider = answer(world["as_carol"])
    assert sorted((i["kind"], i["title"]) for i in outsider["items"]) == [
        ("person", "Bob"),
        ("person", "Hera"),
        ("space", "Heron Club"),
    ]
    assert facets(outsider, "spaces") == {"heron-club": 1}
    assert ("idea", "Heron draft") in found(bob)  # bob is a member
    # A profile edit replaces the person's words; a deactivated person is not found.
    accounts.user_update_profile(user=world["bob"], person=world["bob"], skills=["rowing"])
    assert ("person", "Bob") not in found(world["anonymous"])
    assert found(world["anonymous"], q="rowing") == [("person", "Bob")]


def test_private_profile_fields_are_not_searchable(world):
    accounts.user_update_profile(
        user=world["bob"], person=world["bob"], time_zone="Europe/Madrid", languages=["eu"]
    )
    assert found(world["anonymous"], q="madrid") == []
    assert found(world["anonymous"], q="europe") == []


def test_rebuild_makes_the_same_index_again(world):
    before = {kind: found(world["as_ada"], kind=kind) for kind in EVERY_KIND}
    SearchDocument.objects.all().delete()
    assert found(world["as_ada"]) == []
    counts = index.rebuild()
    assert counts == {
        "page": 2,
        "idea": 3,
        "challenge": 1,
        "task": 1,
        "proposal": 1,
        "comment": 2,
        "space": 3,
        "person": 4,
    }
    assert {kind: found(world["as_ada"], kind=kind) for kind in EVERY_KIND} == before


def test_the_rebuild_command_reports_what_it_indexed(world, capsys):
    from peerwork.cli import cmd_search_rebuild

    class Args:
        kind = ["idea", "task"]

    assert cmd_search_rebuild(Args()) == 0  # type: ignore[arg-type]
    assert capsys.readouterr().out == "Search index rebuilt: 3 idea, 1 task.\n"


# --------------------------------------------------------------------------- the page


def page(client, **params) -> str:
    response = client.get("/search/", params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_results_page_shows_every_kind_with_facets_and_space_names(world):
    client = Client()
    html = page(client, q="heron")
    assert "Results for “heron”" in html and "9 results" in html
    assert 'data-facet="kind" data-value="idea"' in html
    assert '<span>Atlas</span> <span class="count">6</span>' in html
    assert "· Atlas" in html and "· atlas" not in html
    assert 'href="/search/?q=heron&amp;kind=idea"' in html
    assert 'href="/search/?q=heron&amp;space=atlas"' in html
    assert "Heron nests" not in html and "Heron draft" not in html
    filtered = page(client, q="heron", kind="idea", space="atlas")
    assert "1 result in Atlas" in filtered
    assert 'aria-current="true" data-facet="kind" data-value="idea"' in filtered
    assert "Clear the filters" in filtered


def test_the_results_page_explains_an_empty_query_and_no_results(world):
    client = Client()
    assert "Type what you are looking for" in page(client, q="")
    assert "Nothing you may see matches “zzyzx”" in page(client, q="zzyzx")
    html = page(client, q="heron", kind="challenge", space="heron-club")
    assert "with these filters" in html and "Search without the filters" in html


def test_the_results_page_speaks_spanish(world):
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    html = page(client, q="heron")
    assert "Resultados de «heron»" in html
    assert "9 resultados" in html
    assert "<span>Ideas</span>" in html and "<span>Personas</span>" in html
    assert ">Idea</span>" in html
    assert "Escribe lo que buscas" in page(client, q="")
    assert "Nada de lo que puedes ver coincide con «zzyzx»" in page(client, q="zzyzx")


def test_one_search_box_in_the_header_of_every_page(world):
    client = Client()
    for path in ("/", "/s/atlas/", "/s/atlas/wiki/Heron", "/search/?q=heron"):
        html = client.get(path).content.decode()
        assert html.count('role="search"') == 1, path
        assert 'id="site-search"' in html
    assert 'value="heron"' in client.get("/search/?q=heron").content.decode()
    # On a space's pages the box also completes that space's page titles.
    assert 'hx-get="/s/atlas/autocomplete"' in client.get("/s/atlas/").content.decode()


def test_the_old_space_search_address_leads_to_the_filtered_results(world):
    client = Client()
    response = client.get("/s/atlas/search/", {"q": "heron"})
    assert response.status_code == 302
    assert response["Location"] == "/search/?q=heron&space=atlas"
    assert client.get("/s/vault/search/", {"q": "heron"}).status_code == 404


def test_drafts_stay_hidden_on_the_page_too(world):
    client = Client()
    client.force_login(world["bob"])
    assert "Heron draft" not in page(client, q="draft")
    client.force_login(world["ada"])
    assert "Heron draft" in page(client, q="draft")
    assert Idea.objects.get(pk=world["draft"].pk).status == "draft"


def test_the_index_stays_exact_through_updates_and_deletes(world):
    """The SQLite triggers of migration 0002 (a rebuilt table would have lost them) keep FTS5
    in step with every insert, update and delete; PostgreSQL's vectors are columns."""
    from django.db import connection

    ideas.idea_update(user=world["ada"], idea=world["idea"], description="Changed words.")
    SearchDocument.objects.filter(kind="task").delete()
    if connection.vendor != "sqlite":
        assert SearchDocument.objects.filter(vector__isnull=True).count() == 0
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s ORDER BY name",
            ["search_searchdocument"],
        )
        assert [row[0] for row in cursor.fetchall()] == [
            "search_document_deleted",
            "search_document_inserted",
            "search_document_updated",
        ]
        # Raises if the full-text index differs from the documents in any way.
        cursor.execute("INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 1)")
