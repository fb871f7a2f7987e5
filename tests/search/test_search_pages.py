"""The search pages and the search box's title autocomplete."""

from __future__ import annotations

import pytest

from peerwork.wiki import actions as wiki


@pytest.fixture
def atlas(make_user, make_space):
    ada = make_user("ada")
    space = make_space(ada, "atlas")
    wiki.page_save(
        user=ada,
        space=space,
        title="River maps",
        text="The river <script>x</script> flows.\n",
        base_revision_id=None,
    )
    wiki.page_save(
        user=ada, space=space, title="Roads", text="Roads cross the river.\n", base_revision_id=None
    )
    secret = make_space(ada, "notes", visibility="members", participation="members")
    wiki.page_save(
        user=ada,
        space=secret,
        title="River plans",
        text="secret river plans\n",
        base_revision_id=None,
    )
    return ada


def test_space_search_lists_matches_with_escaped_snippets(atlas, client):
    response = client.get("/search/", {"q": "river", "space": "atlas"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("River maps") < html.index("Roads")  # the title match ranks first
    assert "<script>x" not in html and "&lt;script&gt;" not in html  # plain text only
    assert "<mark>" in html
    assert "River plans" not in html


def test_exact_title_is_offered_first(atlas, client):
    html = client.get("/s/atlas/search/", {"q": "roads"}, follow=True).content.decode()
    assert 'href="/s/atlas/wiki/Roads"' in html and "Go to the page" in html


def test_search_everywhere_hides_members_only_spaces(atlas, client, make_user):
    html = client.get("/search/", {"q": "river"}).content.decode()
    assert "River maps" in html and "River plans" not in html
    client.force_login(atlas)
    assert "River plans" in client.get("/search/", {"q": "river"}).content.decode()


def test_autocomplete_offers_titles_and_conceals_private_spaces(atlas, client):
    response = client.get("/s/atlas/autocomplete", {"q": "ri"})
    assert response.content.decode().strip() == '<option value="River maps"></option>'
    assert client.get("/s/notes/autocomplete", {"q": "ri"}).status_code == 404
    assert client.get("/s/notes/search/", {"q": "river"}).status_code == 404


def test_overlong_query_is_refused_with_a_message(atlas, client):
    response = client.get("/search/", {"q": "x" * 301})
    assert response.status_code == 422
    assert "at most 300 characters" in response.content.decode()
