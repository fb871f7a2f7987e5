"""Coordinated support: a planted group is found and counted as one; independent people with
the same tastes at their own times are not; the evidence is for stewards only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from django.test import Client

from peerwork.activity.models import Event
from peerwork.activity.selectors import events_visible
from peerwork.bridging import actions as bridging
from peerwork.bridging.models import CoordinatedGroup
from peerwork.ideas import actions as ideas
from peerwork.spaces import actions as spaces
from tests.conftest import PASSWORD

START = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
MILESTONES = {"support_milestones": [{"supporters": 100, "days": 365}]}


def _world(make_user, make_space):
    with time_machine.travel(START, tick=False):
        stew = make_user("stew")
        space = make_space(stew, "lab")
        spaces.space_policy_update(user=stew, space=space, document={"ideas": MILESTONES})
        space.refresh_from_db()
        ring = [make_user(f"ring{n}") for n in range(4)]
        fans = [make_user(f"fan{n}") for n in range(4)]
        found = []
        for n in range(4):
            idea = ideas.idea_create(user=stew, space=space, title=f"Idea {n}")
            found.append(ideas.idea_publish(user=stew, idea=idea))
    # The ring supports each idea within two minutes of each other, a day apart per idea.
    for n, idea in enumerate(found):
        for k, person in enumerate(ring):
            at = START + timedelta(days=n + 1, seconds=30 * k)
            with time_machine.travel(at, tick=False):
                ideas.idea_support(user=person, idea=idea)
    # The fans like the same ideas, each at their own time (hours apart).
    for n, idea in enumerate(found):
        for k, person in enumerate(fans):
            at = START + timedelta(days=n + 1, hours=3 * (k + 1))
            with time_machine.travel(at, tick=False):
                ideas.idea_support(user=person, idea=idea)
    return stew, space, ring, fans, found


def test_planted_group_found_independent_fans_not(make_user, make_space, api_as):
    stew, space, ring, fans, found = _world(make_user, make_space)
    with time_machine.travel(START + timedelta(days=10), tick=False):
        groups = bridging.coordination_detect(space=space)
    assert len(groups) == 1
    assert groups[0].members == sorted(person.pk for person in ring)
    assert groups[0].items == [["idea", idea.pk] for idea in found]
    first = groups[0].evidence[0]
    assert first["jaccard"] == 1.0 and len(first["times"]) == 4
    assert Event.objects.filter(verb="bridging:coordination_found", space=space).count() == 1
    # The event names accounts: the public log does not show it (stewards have the page).
    found_verb = "bridging:coordination_found"
    assert not events_visible(fans[0]).filter(verb=found_verb).exists()
    assert not events_visible(None).filter(verb=found_verb).exists()
    # Rerun: the same group, no second event.
    bridging.coordination_detect(space=space)
    assert CoordinatedGroup.objects.filter(space=space).count() == 1
    assert Event.objects.filter(verb="bridging:coordination_found", space=space).count() == 1
    # The group counts as one supporter in the audit: 4 ring + 4 fans count 5.
    audit = api_as(None).get(f"/spaces/lab/ideas/{found[0].pk}/supports/audit").json()
    assert audit["supporters"] == 8
    assert audit["counted"] == 5.0
    # Who supported is private: the public sees the discounts, stewards and each person names.
    assert [row["username"] for row in audit["discounted"]] == [None] * 4
    named = api_as(stew).get(f"/spaces/lab/ideas/{found[0].pk}/supports/audit").json()
    assert sorted(row["username"] for row in named["discounted"]) == [p.username for p in ring]
    own = api_as(ring[1]).get(f"/spaces/lab/ideas/{found[0].pk}/supports/audit").json()
    assert [row["username"] for row in own["discounted"]] == [None, "ring1", None, None]
    assert all(row["weight"] == 0.25 for row in audit["discounted"])
    assert audit["discounted"][0]["reasons"][0]["reason"] == "coordinated"
    # Evidence: stewards only, through the API and the page.
    assert api_as(fans[0]).get("/spaces/lab/coordination").status_code == 403
    listed = api_as(stew).get("/spaces/lab/coordination").json()
    assert listed[0]["members"] == [p.username for p in ring]
    assert listed[0]["pairs"][0]["times"][0][0] == "idea"
    client = Client()
    assert client.login(username="stew", password=PASSWORD)
    page = client.get("/s/lab/coordination/").content.decode()
    assert "ring0" in page and "fan0" not in page
    assert Client().get("/s/lab/coordination/").status_code in (302, 403)


def test_a_group_no_longer_found_is_ended_and_logged(make_user, make_space):
    stew, space, ring, _fans, found = _world(make_user, make_space)
    bridging.coordination_detect(space=space)
    policy = dict(space.policy)
    policy["bridging"] = {"coordination": {"minutes": 1, "shared_items": 4}}
    spaces.space_policy_update(user=stew, space=space, document=policy)
    space.refresh_from_db()
    # Within one minute only the ring's neighbours pair up: a chain still, so still a group.
    assert len(bridging.coordination_detect(space=space)) == 1
    policy["bridging"] = {"coordination": {"overlap_percent": 100, "shared_items": 5}}
    spaces.space_policy_update(user=stew, space=space, document=policy)
    space.refresh_from_db()
    assert bridging.coordination_detect(space=space) == []
    assert CoordinatedGroup.objects.get(space=space).ended_at is not None
    assert Event.objects.filter(verb="bridging:coordination_ended", space=space).count() == 1
