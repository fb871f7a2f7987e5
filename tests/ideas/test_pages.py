"""The idea pages: the same actions as the API, errors shown in place, nothing half-written."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client

from peerwork.discussions.models import Comment
from peerwork.ideas import actions
from peerwork.ideas.models import Idea, Support
from peerwork.spaces import actions as spaces
from tests.conftest import PASSWORD

START = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)


def login(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def world(make_user, make_space):
    with time_machine.travel(START, tick=False):
        ada, fan, stew = make_user("ada"), make_user("fan"), make_user("stew")
        space = make_space(stew, "lab")
        spaces.space_policy_update(
            user=stew,
            space=space,
            document={"ideas": {"support_milestones": [{"supporters": 1, "days": 30}]}},
        )
    return {"ada": ada, "fan": fan, "stew": stew, "space": space}


def test_new_idea_form_keeps_what_was_typed_on_error(world):
    client = login(world["ada"])
    page = client.get("/s/lab/ideas/new")
    assert page.status_code == 200
    response = client.post(
        "/s/lab/ideas/new",
        {
            "title": "Roof garden",
            "description": "Grow *herbs*",
            "tags": "green, bad/tag",
            "share": 2,
        },
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "The tag &#x27;bad/tag&#x27; is not allowed" in html
    assert 'value="Roof garden"' in html
    assert "Grow *herbs*" in html
    assert not Idea.objects.exists()


def test_lifecycle_in_pages(world):
    ada, fan, stew = login(world["ada"]), login(world["fan"]), login(world["stew"])
    with time_machine.travel(START, tick=False) as clock:
        response = ada.post(
            "/s/lab/ideas/new", {"title": "Roof garden", "description": "", "tags": "", "share": 1}
        )
        assert response.status_code == 302
        url = response["Location"]
        assert Client().get(url).status_code == 404  # a draft
        assert ada.post(url + "publish").status_code == 302
        page = fan.get(url).content.decode()
        assert "0 supporters of 1 for milestone 1 of 1" in page
        assert "30 days left" in page
        clock.move_to(START + timedelta(days=2))
        assert fan.post(url + "support").status_code == 302
        page = stew.get(url).content.decode()
        assert 'data-testid="decide"' in page
        refused = stew.post(url + "review", {"decision": "reject", "reason": ""})
        assert refused.status_code == 400
        assert Idea.objects.get().status == "in_review"
        assert (
            stew.post(url + "review", {"decision": "reject", "reason": "Too costly."}).status_code
            == 302
        )
        page = Client().get(url).content.decode()
        assert "Too costly." in page and "Rejected" in page


def test_support_refused_on_own_idea_and_closed_idea(world):
    idea = actions.idea_create(user=world["ada"], space=world["space"], title="Kite")
    idea = actions.idea_publish(user=world["ada"], idea=idea)
    ada = login(world["ada"])
    assert ada.post(f"/s/lab/ideas/{idea.pk}/support").status_code == 403
    with time_machine.travel(datetime.now(UTC) + timedelta(days=31)):
        refused = login(world["fan"]).post(f"/s/lab/ideas/{idea.pk}/support")
        assert refused.status_code == 409
        assert "closed to support" in refused.content.decode()
        assert "Expired on" in refused.content.decode()
    assert not Support.objects.exists()


def published(user, space, title):
    return actions.idea_publish(
        user=user, idea=actions.idea_create(user=user, space=space, title=title)
    )


def test_similar_titles_are_suggested(world):
    for title in ("Solar bench", "Solar charging benches", "Library hours"):
        idea = actions.idea_create(user=world["ada"], space=world["space"], title=title)
        actions.idea_publish(user=world["ada"], idea=idea)
    draft = actions.idea_create(user=world["ada"], space=world["space"], title="Solar secret")
    gone = published(world["ada"], world["space"], "Solar benches again")
    actions.idea_merge(user=world["stew"], idea=gone, into=Idea.objects.get(title="Solar bench").pk)
    html = login(world["fan"]).get("/s/lab/ideas/similar", {"title": "bench with solar"}).content
    text = html.decode()
    assert "Solar bench" in text and "Solar charging benches" in text
    assert "Library" not in text and "secret" not in text and "again" not in text
    assert draft.pk


def test_similar_titles_through_the_api(world, api_as):
    bench = published(world["ada"], world["space"], "Solar bench")
    published(world["ada"], world["space"], "Library hours")
    found = api_as(None).get("/spaces/lab/ideas/similar?title=Benches+in+the+sun,+solar").json()
    assert [(i["id"], i["title"], i["score"]) for i in found] == [(bench.pk, "Solar bench", 1.0)]
    assert api_as(None).get("/spaces/lab/ideas/similar?title=the+and+of").json() == []


def test_withdraw_watch_flag_merge_and_undo_in_pages(world):
    space = spaces.space_policy_update(
        user=world["stew"],
        space=world["space"],
        document={"ideas": {"support_milestones": [{"supporters": 5, "days": 30}]}},
    )
    keep = published(world["ada"], space, "Street piano")
    dup = published(world["ada"], space, "A piano in the street")
    fan, stew = login(world["fan"]), login(world["stew"])
    url = f"/s/lab/ideas/{dup.pk}/"
    assert fan.post(url + "support").status_code == 302
    assert 'data-testid="withdraw-support"' in fan.get(url).content.decode()
    assert fan.post(url + "support", {"withdraw": "1"}).status_code == 302
    assert not Support.objects.filter(idea=dup).exists()
    assert fan.post(url + "watch", {"watch": "1"}).status_code == 302
    assert "Stop watching" in fan.get(url).content.decode()
    refused = fan.post(url + "flags", {"duplicate_of": dup.pk})
    assert refused.status_code == 422
    assert "An idea cannot duplicate itself." in refused.content.decode()
    assert fan.post(url + "flags", {"duplicate_of": keep.pk, "reason": "same"}).status_code == 302
    assert fan.post(url + "merge", {"into": keep.pk}).status_code == 403
    assert stew.post(url + "merge", {"into": keep.pk, "reason": "Same piano."}).status_code == 302
    page = Client().get(url).content.decode()
    assert "Merged into" in page and "Street piano" in page and "Same piano." in page
    assert stew.post(url + "unmerge").status_code == 302
    dup.refresh_from_db()
    assert (dup.status, dup.merged_into_id) == ("open", None)
    again = stew.post(url + "unmerge")
    assert again.status_code == 409
    assert "This idea is not merged into another." in again.content.decode()


def test_comment_reply_edit_and_remove_in_pages(world, make_user):
    idea = published(world["ada"], world["space"], "Seed library")
    fan, ada = login(world["fan"]), login(world["ada"])
    url = f"/s/lab/ideas/{idea.pk}/"
    assert fan.post(url + "comments", {"text": "Where?"}).status_code == 302
    first = Comment.objects.get()
    assert ada.post(url + "comments", {"text": "The hall.", "parent": first.pk}).status_code == 302
    reply = Comment.objects.exclude(pk=first.pk).get()
    assert reply.parent_id == first.pk
    assert ada.post(url + f"comments/{first.pk}/edit", {"text": "Mine now"}).status_code == 403
    assert (
        fan.post(url + f"comments/{first.pk}/edit", {"text": "Where, exactly?"}).status_code == 302
    )
    assert fan.post(url + f"comments/{reply.pk}/remove").status_code == 403
    assert ada.post(url + f"comments/{reply.pk}/remove", {"reason": "typo"}).status_code == 302
    page = Client().get(url).content.decode()
    assert "Where, exactly?" in page and "This comment was removed." in page
    other = published(world["ada"], world["space"], "Other idea")
    # A comment is reached only through the idea it is on.
    assert (
        fan.post(f"/s/lab/ideas/{other.pk}/comments/{first.pk}/edit", {"text": "x"}).status_code
        == 404
    )


def test_counts_of_one_read_in_the_singular_in_english_and_spanish(world):
    with time_machine.travel(START, tick=False):
        idea = published(world["ada"], world["space"], "Roof garden")
        url = f"/s/lab/ideas/{idea.pk}/"
        english = Client(HTTP_ACCEPT_LANGUAGE="en").get(url).content.decode()
        spanish = Client(HTTP_ACCEPT_LANGUAGE="es").get(url).content.decode()
    assert 'aria-label="0 of 1 supporter"' in english
    assert "1 supporter within 30 days" in english
    assert 'aria-label="0 de 1 apoyo"' in spanish
    assert "1 apoyo en un plazo de 30 días" in spanish


@pytest.mark.parametrize(
    ("language", "reason"),
    [
        ("en", "It reached the last milestone, 1 supporter."),
        ("es", "Alcanzó el último hito: 1 apoyo."),
    ],
)
def test_the_last_milestone_of_one_supporter_reads_in_the_singular(world, language, reason):
    with time_machine.travel(START, tick=False):
        idea = published(world["ada"], world["space"], "Roof garden")
        fan = login(world["fan"])
        assert (
            fan.post(f"/s/lab/ideas/{idea.pk}/support", HTTP_ACCEPT_LANGUAGE=language).status_code
            == 302
        )
    idea.refresh_from_db()
    assert idea.status == "in_review" and idea.status_reason == reason


def test_an_expired_idea_names_a_goal_of_one_supporter_in_the_singular(world, api_as):
    with time_machine.travel(START, tick=False):
        idea = published(world["ada"], world["space"], "Roof garden")
    with time_machine.travel(START + timedelta(days=31), tick=False):
        api = api_as(world["fan"])
        english = api.get(f"/spaces/lab/ideas/{idea.pk}", HTTP_ACCEPT_LANGUAGE="en").json()
        spanish = api.get(f"/spaces/lab/ideas/{idea.pk}", HTTP_ACCEPT_LANGUAGE="es").json()
    assert english["status_reason"] == "It needed 1 supporter by 2026-05-31 09:00 UTC and had 0."
    assert (
        spanish["status_reason"] == "Necesitaba 1 apoyo antes del 2026-05-31 09:00 UTC y tenía 0."
    )
