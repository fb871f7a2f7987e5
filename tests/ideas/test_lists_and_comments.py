"""Lists filter and sort; comments on ideas reach creators and watchers; bad input changes
nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from peerwork.activity.models import Notification
from peerwork.ideas import actions
from peerwork.ideas.models import Idea
from peerwork.spaces import actions as spaces


@pytest.fixture
def world(make_user, make_space, api_as):
    people = {name: make_user(name) for name in ("ada", "bob", "stew", "p1", "p2", "p3", "p4")}
    space = make_space(people["stew"], "town")
    spaces.space_policy_update(
        user=people["stew"],
        space=space,
        document={
            "ideas": {
                "support_milestones": [
                    {"supporters": 4, "days": 30},
                    {"supporters": 40, "days": 30},
                ]
            }
        },
    )
    return {**people, "space": space, "api": api_as}


def published(user, space, title, tags=()):
    idea = actions.idea_create(user=user, space=space, title=title, tags=list(tags))
    return actions.idea_publish(user=user, idea=idea)


def titles(response):
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["items"]]


def test_lists_filter_and_sort(world):
    space, api = world["space"], world["api"](None)
    a = published(world["ada"], space, "Alpha", tags=["green"])
    b = published(world["bob"], space, "Beta")
    c = published(world["ada"], space, "Gamma", tags=["green"])
    for name in ("p1", "p2", "p3"):
        actions.idea_support(user=world[name], idea=b)
    actions.idea_support(user=world["p1"], idea=a)
    for name in ("p1", "p2", "p3", "p4"):
        actions.idea_support(user=world[name], idea=c)  # stage 1 reached: 4 of 40 next
    assert titles(api.get("/spaces/town/ideas")) == ["Gamma", "Beta", "Alpha"]
    assert titles(api.get("/spaces/town/ideas?sort=supporters")) == ["Gamma", "Beta", "Alpha"]
    # Closest to the next milestone: Beta 3/4, Alpha 1/4, Gamma 4/40.
    assert titles(api.get("/spaces/town/ideas?sort=closest")) == ["Beta", "Alpha", "Gamma"]
    assert titles(api.get("/spaces/town/ideas?tag=green")) == ["Gamma", "Alpha"]
    first = api.get("/spaces/town/ideas?sort=supporters&limit=2").json()
    assert [i["title"] for i in first["items"]] == ["Gamma", "Beta"]
    rest = api.get(f"/spaces/town/ideas?sort=supporters&limit=2&cursor={first['next_cursor']}")
    assert titles(rest) == ["Alpha"]
    bad = api.get("/spaces/town/ideas?sort=closest&cursor=%%%")
    assert bad.status_code == 422
    assert api.get("/spaces/town/ideas?status=bogus").status_code == 422
    assert titles(api.get("/spaces/town/ideas?status=open")) == ["Gamma", "Beta", "Alpha"]
    page = world["api"](world["p1"]).client.get("/s/town/ideas/?sort=closest&status=bogus")
    assert page.status_code == 200  # an unknown filter shows the default list, never a 500
    html = world["api"](world["p1"]).client.get("/s/town/ideas/?sort=closest").content.decode()
    assert html.index("Beta") < html.index("Alpha") < html.index("Gamma")
    assert Idea.objects.count() == 3


def test_bad_input_is_refused_and_nothing_is_written(world):
    as_ada = world["api"](world["ada"])
    for body, field in (
        ({"title": "   "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": "Fine", "tags": ["no/slash"]}, "tags"),
        ({"title": "Fine", "tags": [f"t{n}" for n in range(11)]}, "tags"),
        ({"title": "Fine", "unknown": 1}, "unknown"),
        ({"title": "Fine\x00"}, "title"),
    ):
        response = as_ada.post("/spaces/town/ideas", body)
        assert response.status_code == 422, body
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["type"] == "/problems/validation"
        error = response.json()["errors"][0]
        assert field in (error["field"] or error["message"])
    assert not Idea.objects.exists()
    idea = published(world["ada"], world["space"], "Keep me")
    assert (
        as_ada.post(f"/spaces/town/ideas/{idea.pk}/creators", {"username": "ghost"}).status_code
        == 422
    )
    assert (
        as_ada.post(f"/spaces/town/ideas/{idea.pk}/creators", {"username": "ada"}).status_code
        == 409
    )
    assert as_ada.post(f"/spaces/town/ideas/{idea.pk}/publish").status_code == 409
    assert as_ada.get("/spaces/town/ideas/999999").status_code == 404
    assert list(idea.creators.values_list("user__username", flat=True)) == ["ada"]


def test_comments_reach_creators_and_watchers(world):
    idea = published(world["ada"], world["space"], "Bench swap")
    as_p1, as_p2 = world["api"](world["p1"]), world["api"](world["p2"])
    assert as_p2.put(f"/spaces/town/ideas/{idea.pk}/watch").json() == {"watching": True}
    posted = as_p1.post(f"/spaces/town/ideas/{idea.pk}/comments", {"text": "Which *benches*?"})
    assert posted.status_code == 201, posted.content
    assert "<em>benches</em>" in posted.json()["html"]
    thread = world["api"](None).get(f"/spaces/town/ideas/{idea.pk}/comments").json()
    assert [c["text"] for c in thread["comments"]] == ["Which *benches*?"]
    notified = set(
        Notification.objects.filter(event__verb="comment:posted").values_list(
            "user__username", flat=True
        )
    )
    assert notified == {"ada", "p2"}
    ada_client = world["api"](world["ada"]).client
    ada_client.force_login(world["ada"])
    page = ada_client.get("/notifications/")
    assert page.status_code == 200
    assert "Bench swap" in page.content.decode()
    for address in (
        "/s/town/activity/",
        "/s/town/activity.atom",
        f"/history/ideas.idea/{idea.pk}/",
    ):
        shown = Client().get(address)
        assert shown.status_code == 200, address
        assert "Bench swap" in shown.content.decode()
    draft = actions.idea_create(user=world["ada"], space=world["space"], title="Quiet")
    as_ada = world["api"](world["ada"])
    assert as_ada.post(f"/spaces/town/ideas/{draft.pk}/comments", {"text": "hi"}).status_code == 403


def test_the_web_list_pages_like_the_api(world, monkeypatch):
    """The web list is cut where the API's cursor cuts it, by a readable `?start=`; an old
    numbered-page bookmark lands where that page began, and a bad number reads as the start."""
    from peerwork.ideas import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    space = world["space"]
    for title in ("One", "Two", "Three", "Four", "Five"):
        published(world["ada"], space, title)
    client = world["api"](world["bob"]).client
    api = world["api"](None)

    def shown(query):
        response = client.get(f"/s/town/ideas/{query}")
        assert response.status_code == 200
        html = response.content.decode()
        titles = [t for t in ("One", "Two", "Three", "Four", "Five") if f">{t}</a>" in html]
        return sorted(titles, key=lambda title: html.index(f">{title}</a>")), html

    first, html = shown("?sort=supporters")
    assert first == ["Five", "Four"]  # no supporters yet: newest first
    assert "start=2" in html and "First page" not in html
    second, html = shown("?sort=supporters&start=2")
    api_first = api.get("/spaces/town/ideas?sort=supporters&limit=2").json()
    api_second = api.get(
        f"/spaces/town/ideas?sort=supporters&limit=2&cursor={api_first['next_cursor']}"
    ).json()
    assert second == [i["title"] for i in api_second["items"]] == ["Three", "Two"]
    assert "First page" in html and "start=4" in html
    last, html = shown("?sort=supporters&start=4")
    assert last == ["One"] and 'rel="next"' not in html
    assert shown("?sort=supporters&page=2")[0] == second
    assert shown("?sort=supporters&start=-3")[0] == first
    assert shown("?sort=supporters&start=abc")[0] == first
