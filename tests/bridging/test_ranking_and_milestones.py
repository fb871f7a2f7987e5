"""Bridged ranking of ideas, bridged milestones and their public audit, through the API and
the pages."""

from __future__ import annotations

from django.test import Client

from peerwork.bridging import actions as bridging
from peerwork.bridging.models import Rating
from peerwork.ideas.models import Idea, MilestoneReached
from tests.bridging.conftest import publish, support, two_camps

BRIDGED = {"milestone_counting": "bridged"}
EIGHT = {"support_milestones": [{"supporters": 8, "days": 30}, {"supporters": 1000, "days": 60}]}


def test_bridged_sort_puts_cross_camp_idea_above_one_camp_idea(camps, api_as):
    x = publish(camps.stew, camps.space, "Cross camp")
    y = publish(camps.stew, camps.space, "One camp")
    support(camps.a[:5] + camps.b[:5], x)
    support(camps.a[:12], y)
    api = api_as(None)
    raw = [i["id"] for i in api.get("/spaces/lab/ideas?sort=supporters").json()["items"]]
    assert raw.index(y.pk) < raw.index(x.pk)
    bridged = [i["id"] for i in api.get("/spaces/lab/ideas?sort=bridged").json()["items"]]
    assert bridged.index(x.pk) < bridged.index(y.pk)
    scores = {s["object_id"]: s for s in api.get("/spaces/lab/bridging/scores?kind=idea").json()}
    assert scores[x.pk]["why"] == "across"
    assert scores[y.pk]["why"] == "one_side"
    assert scores[x.pk]["score"] > scores[y.pk]["score"]
    # The page: the sort choice, and the why beside each idea.
    page = Client().get("/s/lab/ideas/?sort=bridged").content.decode()
    assert page.index(f'data-testid="idea-{x.pk}"') < page.index(f'data-testid="idea-{y.pk}"')
    assert "supported across viewpoints" in page
    assert "supported by one viewpoint only" in page


def test_bridged_milestone_is_not_reached_by_one_camp_but_is_across_camps(
    make_user, make_space, api_as
):
    camps = two_camps(make_user, make_space, policy={"bridging": BRIDGED})
    from peerwork.spaces import actions as spaces

    spaces.space_policy_update(
        user=camps.stew, space=camps.space, document={"ideas": EIGHT, "bridging": BRIDGED}
    )
    camps.space.refresh_from_db()
    y = publish(camps.stew, camps.space, "One camp")
    support(camps.a[:12], y)
    y.refresh_from_db()
    assert (y.support_count, y.stage) == (12, 0)
    assert not MilestoneReached.objects.filter(idea=y).exists()
    x = publish(camps.stew, camps.space, "Cross camp")
    support(camps.a[:5] + camps.b[:3], x)
    x.refresh_from_db()
    assert (x.support_count, x.stage) == (8, 1)
    # The public audit of the one-camp idea: every support discounted, and why.
    audit = api_as(None).get(f"/spaces/lab/ideas/{y.pk}/supports/audit").json()
    assert audit["counting"] == "bridged"
    assert audit["supporters"] == 12
    assert audit["counted"] == 0
    assert len(audit["discounted"]) == 12
    first = audit["discounted"][0]
    assert first["discount"] == 1.0
    assert first["reasons"][0]["reason"] == "one_viewpoint"
    assert first["reasons"][0]["numbers"] == {"side": 12.0, "rest": 0.0, "ratio": 2}
    page = Client().get(f"/s/lab/ideas/{y.pk}/supports/").content.decode()
    assert "on the larger viewpoint" in page
    assert 'data-testid="audit-counted">0.00<' in page
    # The idea's page links to its audit.
    assert (
        f"/s/lab/ideas/{y.pk}/supports/" in Client().get(f"/s/lab/ideas/{y.pk}/").content.decode()
    )


def test_raw_counting_is_unchanged(camps):
    y = Idea.objects.get(title="Background 0")
    assert y.support_count == 12
    fit = bridging.space_fit(space=camps.space)
    assert fit.raters == 20


def test_rating_through_the_api_and_the_page(camps, api_as):
    idea = camps.background[0]
    api = api_as(camps.a[0])
    answer = api.post(f"/spaces/lab/ratings/idea/{idea.pk}", {"value": "not_helpful"})
    assert answer.status_code == 200, answer.content
    assert answer.json() == {"kind": "idea", "object_id": idea.pk, "value": "not_helpful"}
    assert Rating.objects.get(user=camps.a[0], object_id=idea.pk).is_helpful is False
    assert api.post(f"/spaces/lab/ratings/idea/{idea.pk}", {"value": "none"}).json()["value"] == (
        "none"
    )
    assert not Rating.objects.filter(user=camps.a[0], object_id=idea.pk).exists()
    bad = api.post(f"/spaces/lab/ratings/idea/{idea.pk}", {"value": "maybe"})
    assert bad.status_code in (400, 422)
    own = api_as(camps.stew).post(f"/spaces/lab/ratings/idea/{idea.pk}", {"value": "helpful"})
    assert own.status_code == 409
    assert own["Content-Type"].startswith("application/problem+json")
    missing = api.post("/spaces/lab/ratings/idea/999999", {"value": "helpful"})
    assert missing.status_code == 404
    anonymous = api_as(None).post(f"/spaces/lab/ratings/idea/{idea.pk}", {"value": "helpful"})
    assert anonymous.status_code in (401, 403)
    assert Rating.objects.filter(object_id=idea.pk, kind="idea").count() == 8


def test_comments_rated_and_sorted_by_bridged(camps):
    from peerwork.discussions import actions as discussions
    from tests.conftest import PASSWORD

    idea = camps.background[0]
    one_side = discussions.comment_post(user=camps.a[0], target=idea, text="Only we like this")
    across = discussions.comment_post(user=camps.a[1], target=idea, text="Both sides like this")
    for person in camps.a[2:8]:
        bridging.rating_set(user=person, obj=one_side, value="helpful")
    for person in camps.b[:6]:
        bridging.rating_set(user=person, obj=one_side, value="not_helpful")
    for person in camps.a[2:5] + camps.b[:3]:
        bridging.rating_set(user=person, obj=across, value="helpful")
    client = Client()
    assert client.login(username="b5", password=PASSWORD)
    page = client.get(f"/s/lab/ideas/{idea.pk}/?comments=bridged").content.decode()
    assert page.index(f'id="comment-{across.pk}"') < page.index(f'id="comment-{one_side.pk}"')
    assert f'data-testid="helpful-comment-{across.pk}"' in page
    plain = client.get(f"/s/lab/ideas/{idea.pk}/").content.decode()
    assert plain.index(f'id="comment-{one_side.pk}"') < plain.index(f'id="comment-{across.pk}"')
    # The htmx button swaps itself.
    answer = client.post(
        f"/s/lab/rate/comment/{across.pk}", {"value": "helpful"}, HTTP_HX_REQUEST="true"
    )
    assert answer.status_code == 200
    assert 'aria-pressed="true"' in answer.content.decode()
    assert Rating.objects.filter(object_id=across.pk, kind="comment").count() == 7
