"""An idea's life through the REST API: draft, milestones, review, acceptance, and expiry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from peerwork.activity.models import Event, Notification
from peerwork.ideas import actions
from peerwork.ideas.models import Idea, MilestoneReached, RevenueShare, Support
from peerwork.spaces import actions as spaces

START = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
SMALL = {"support_milestones": [{"supporters": 2, "days": 10}, {"supporters": 4, "days": 5}]}


@pytest.fixture
def world(make_user, make_space, api_as):
    with time_machine.travel(START, tick=False):
        ada, bea, stew = make_user("ada"), make_user("bea"), make_user("stew")
        fans = [make_user(f"fan{n}") for n in range(5)]
        space = make_space(stew, "lab")
        spaces.space_policy_update(
            user=stew,
            space=space,
            document={"ideas": {**SMALL, "review_criteria": "Fits the **brand**."}},
        )
    return {
        "ada": ada,
        "bea": bea,
        "stew": stew,
        "fans": fans,
        "space": space,
        "api": api_as,
    }


def test_draft_to_acceptance_through_milestones(world):
    api = world["api"]
    as_ada, as_bea, as_stew = api(world["ada"]), api(world["bea"]), api(world["stew"])
    fans = [api(fan) for fan in world["fans"]]
    with time_machine.travel(START, tick=False) as clock:
        created = as_ada.post(
            "/spaces/lab/ideas",
            {
                "title": "Modular  bike rack",
                "description": "*Steel*",
                "tags": ["Bikes"],
                "share": 3,
            },
        )
        assert created.status_code == 201, created.content
        idea = created.json()
        assert (idea["status"], idea["title"], idea["tags"]) == (
            "draft",
            "Modular bike rack",
            ["bikes"],
        )
        assert "<em>Steel</em>" in idea["html"]
        number = idea["id"]
        base = f"/spaces/lab/ideas/{number}"

        # A draft is seen by its creators only: anyone else gets 404, as for nothing at all.
        assert api(None).get(base).status_code == 404
        assert fans[0].get(base).status_code == 404
        assert [i["id"] for i in fans[0].get("/spaces/lab/ideas").json()["items"]] == []

        invited = as_ada.post(f"{base}/creators", {"username": "bea", "share": 1})
        assert invited.status_code == 201, invited.content
        assert as_bea.get(base).status_code == 200  # the invitee sees the draft
        assert as_bea.post(f"{base}/invitation", {"accept": True}).status_code == 200

        assert fans[0].put(f"{base}/support").status_code == 404  # a draft: not there
        published = as_ada.post(f"{base}/publish")
        assert published.status_code == 200, published.content
        body = published.json()
        assert body["status"] == "open"
        assert body["progress"] == {
            "stage": 0,
            "stages": 2,
            "supporters": 0,
            "goal": 2,
            "percent": 0,
            "deadline": "2026-03-11T12:00:00Z",
            "days_left": 10,
        }

        own = as_bea.put(f"{base}/support")
        assert own.status_code == 403
        assert own["Content-Type"] == "application/problem+json"

        clock.move_to(START + timedelta(days=3))
        assert fans[0].put(f"{base}/support").json() == {
            "supporting": True,
            "supporters": 1,
            "status": "open",
        }
        assert fans[0].put(f"{base}/support").json()["supporters"] == 1  # once per person
        fans[1].put(f"{base}/support")
        # The first milestone (2 in 10 days) is reached; the next has 5 days from now.
        body = as_ada.get(base).json()
        assert body["progress"]["stage"] == 1
        assert body["progress"]["goal"] == 4
        assert body["progress"]["deadline"] == "2026-03-09T12:00:00Z"
        assert body["milestones"][0]["reached_at"] == "2026-03-04T12:00:00Z"

        clock.move_to(START + timedelta(days=7))
        assert fans[2].delete(f"{base}/support").json()["supporters"] == 2  # none to withdraw
        fans[2].put(f"{base}/support")
        fans[1].delete(f"{base}/support")
        assert as_ada.get(base).json()["supporters"] == 2
        fans[1].put(f"{base}/support")
        last = fans[3].put(f"{base}/support")
        assert last.json() == {"supporting": True, "supporters": 4, "status": "in_review"}
        assert fans[4].put(f"{base}/support").status_code == 409  # closed to support

        assert (
            as_bea.post(f"{base}/review", {"decision": "accept", "reason": "x"}).status_code == 403
        )
        empty = as_stew.post(f"{base}/review", {"decision": "accept", "reason": "  "})
        assert empty.status_code == 422
        assert Idea.objects.get(pk=number).status == "in_review"
        accepted = as_stew.post(
            f"{base}/review", {"decision": "accept", "reason": "Fits the brand; sturdy."}
        )
        assert accepted.status_code == 200, accepted.content
        body = api(None).get(base).json()
        assert body["status"] == "accepted"
        assert body["status_reason"] == "Fits the brand; sturdy."
        assert "<strong>brand</strong>" in body["review_criteria_html"]
        # 100 basis points split 3:1, in integers that add up exactly.
        assert body["revenue_shares"] == [
            {"username": "ada", "basis_points": 75},
            {"username": "bea", "basis_points": 25},
        ]
    assert (
        sum(RevenueShare.objects.filter(idea_id=number).values_list("basis_points", flat=True))
        == 100
    )
    assert MilestoneReached.objects.filter(idea_id=number).count() == 2
    assert Support.objects.filter(idea_id=number).count() == 4
    verbs = list(
        Event.objects.filter(target_type="ideas.idea", target_id=str(number))
        .order_by("pk")
        .values_list("verb", flat=True)
    )
    assert verbs[:4] == [
        "idea:drafted",
        "idea:draft_creator_invited",
        "idea:draft_creator_responded",
        "idea:published",
    ]
    assert verbs[-3:] == ["idea:milestone_reached", "idea:sent_to_review", "idea:accepted"]
    accepted_event = Event.objects.get(verb="idea:accepted", target_id=str(number))
    assert accepted_event.data["change"]["reason"] == "Fits the brand; sturdy."
    assert Notification.objects.filter(user=world["ada"], event=accepted_event).exists()
    assert Notification.objects.filter(user=world["bea"], event=accepted_event).exists()


def test_missed_milestone_expires_with_reason(world):
    api = world["api"]
    as_ada, fan = api(world["ada"]), api(world["fans"][0])
    with time_machine.travel(START, tick=False) as clock:
        number = as_ada.post("/spaces/lab/ideas", {"title": "Glow paint"}).json()["id"]
        base = f"/spaces/lab/ideas/{number}"
        as_ada.post(f"{base}/publish")
        fan.put(f"{base}/support")

        clock.move_to(START + timedelta(days=9, hours=23))
        assert as_ada.get(base).json()["progress"]["days_left"] == 1

        # After the deadline, readers see it expired even before the job has run.
        clock.move_to(START + timedelta(days=10, seconds=1))
        body = api(None).get(base).json()
        assert body["status"] == "expired"
        assert body["status_reason"] == "It needed 2 supporters by 2026-03-11 12:00 UTC and had 1."
        assert Idea.objects.get(pk=number).status == "open"
        refused = api(world["fans"][1]).put(f"{base}/support")
        assert refused.status_code == 409
        assert Support.objects.filter(idea_id=number).count() == 1
        listed = api(None).get("/spaces/lab/ideas?status=expired").json()["items"]
        assert [i["id"] for i in listed] == [number]
        assert api(None).get("/spaces/lab/ideas?status=open").json()["items"] == []

        assert actions.expire_overdue() == 1
        assert actions.expire_overdue() == 0  # safe to run twice
    idea = Idea.objects.get(pk=number)
    assert idea.status == "expired"
    assert idea.status_changed_at == START + timedelta(days=10)
    assert idea.status_reason == "It needed 2 supporters by 2026-03-11 12:00 UTC and had 1."
    event = Event.objects.get(verb="idea:expired", target_id=str(number))
    assert event.data["needed"] == 2 and event.data["supporters"] == 1
    assert Notification.objects.filter(user=world["ada"], event=event).exists()
