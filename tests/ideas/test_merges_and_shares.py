"""Duplicates merged (supports move, one per person; creators credited) and merges undone;
revenue shares in integers that add up; the policy section validated; the open data dump."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peerwork.activity.models import Notification
from peerwork.core.errors import Conflict, Invalid
from peerwork.ideas import actions
from peerwork.ideas.models import Creator, Idea, Support
from peerwork.interop.dumps.jsonl import open_data
from peerwork.spaces import actions as spaces


@pytest.fixture
def world(make_user, make_space, api_as):
    people = {name: make_user(name) for name in ("ada", "bob", "stew", "p1", "p2", "p3")}
    space = make_space(people["stew"], "town")
    spaces.space_policy_update(
        user=people["stew"],
        space=space,
        document={"ideas": {"support_milestones": [{"supporters": 50, "days": 30}]}},
    )
    return {**people, "space": space, "api": api_as}


def published(user, space, title):
    return actions.idea_publish(
        user=user, idea=actions.idea_create(user=user, space=space, title=title)
    )


def test_merge_moves_supports_once_credits_creators_and_undoes(world):
    space = world["space"]
    dup = published(world["ada"], space, "Bike lanes on Main Street")
    keep = published(world["bob"], space, "Protected bike lanes")
    for name in ("p1", "p2"):
        actions.idea_support(user=world[name], idea=dup)
    actions.idea_support(user=world["p2"], idea=keep)  # supports both: counted once
    actions.idea_support(user=world["bob"], idea=dup)  # keep's creator: cannot move over
    actions.idea_support(user=world["ada"], idea=keep)  # goes when she is credited there
    as_p3, as_stew = world["api"](world["p3"]), world["api"](world["stew"])

    flagged = as_p3.post(f"/spaces/town/ideas/{dup.pk}/flags", {"duplicate_of": keep.pk})
    assert flagged.status_code == 201
    assert flagged.json()["flags"][0]["duplicate_of"] == keep.pk
    assert as_p3.post(f"/spaces/town/ideas/{dup.pk}/merge", {"into": keep.pk}).status_code == 403
    itself = as_stew.post(f"/spaces/town/ideas/{dup.pk}/merge", {"into": dup.pk})
    assert itself.status_code == 422
    merged = as_stew.post(
        f"/spaces/town/ideas/{dup.pk}/merge", {"into": keep.pk, "reason": "Same idea."}
    )
    assert merged.status_code == 200, merged.content
    assert merged.json()["status"] == "merged"
    assert merged.json()["merged_into"] == keep.pk

    keep.refresh_from_db()
    assert keep.support_count == 2 == Support.objects.filter(idea=keep).count()
    assert set(Support.objects.filter(idea=keep).values_list("user__username", flat=True)) == {
        "p1",
        "p2",
    }
    creators = as_p3.get(f"/spaces/town/ideas/{keep.pk}").json()["creators"]
    assert [(c["username"], c["state"], c["via_merge"]) for c in creators] == [
        ("bob", "accepted", False),
        ("ada", "accepted", True),
    ]
    assert Notification.objects.filter(user=world["ada"], event__verb="idea:merged").exists()
    assert Notification.objects.filter(user=world["bob"], event__verb="idea:merged").exists()
    # A merged idea takes no support.
    assert world["api"](world["p3"]).put(f"/spaces/town/ideas/{dup.pk}/support").status_code == 409

    undone = as_stew.post(f"/spaces/town/ideas/{dup.pk}/unmerge")
    assert undone.status_code == 200, undone.content
    assert undone.json()["status"] == "open"
    keep.refresh_from_db()
    # Back as before: p2's own support, and ada's, which the merge had taken away.
    assert keep.support_count == 2 == Support.objects.filter(idea=keep).count()
    assert set(Support.objects.filter(idea=keep).values_list("user__username", flat=True)) == {
        "p2",
        "ada",
    }
    assert list(Creator.objects.filter(idea=keep).values_list("user__username", flat=True)) == [
        "bob"
    ]
    dup.refresh_from_db()
    assert (dup.status, dup.merged_into_id, dup.support_count) == ("open", None, 3)
    assert as_stew.post(f"/spaces/town/ideas/{dup.pk}/unmerge").status_code == 409


def test_merge_refuses_closed_targets_and_changes_nothing(world):
    space = world["space"]
    a = published(world["ada"], space, "Night market")
    b = published(world["bob"], space, "Evening market")
    b.status = "rejected"
    b.save()
    with pytest.raises(Conflict):
        actions.idea_merge(user=world["stew"], idea=a, into=b.pk)
    assert Idea.objects.get(pk=a.pk).status == "open"
    assert not a.merges_out.exists()


@given(
    total=st.integers(min_value=0, max_value=10000),
    shares=st.lists(st.integers(min_value=1, max_value=1000), min_size=1, max_size=12),
)
def test_split_adds_up_exactly_and_follows_the_weights(total, shares):
    split = actions.split_basis_points(total, list(enumerate(shares)))
    assert sum(split.values()) == total
    weight = sum(shares)
    for user, share in enumerate(shares):
        exact = total * share / weight
        assert exact - 1 < split[user] < exact + 1


def test_split_of_three_equal_creators():
    assert actions.split_basis_points(100, [(7, 1), (8, 1), (9, 1)]) == {7: 34, 8: 33, 9: 33}


def test_policy_section_is_validated(world):
    stew, space = world["stew"], world["space"]
    with pytest.raises(Invalid) as error:
        spaces.space_policy_update(
            user=stew,
            space=space,
            document={
                "ideas": {
                    "support_milestones": [
                        {"supporters": 10, "days": 5},
                        {"supporters": 5, "days": 5},
                    ]
                }
            },
        )
    assert "more supporters" in error.value.detail
    with pytest.raises(Invalid) as error:
        spaces.space_policy_update(user=stew, space=space, document={"support_milestones": [1]})
    assert error.value.extra["key"] == "support_milestones"
    with pytest.raises(Invalid):
        spaces.space_policy_update(
            user=stew, space=space, document={"ideas": {"revenue_share_basis_points": 10001}}
        )
    space.refresh_from_db()
    assert space.policy["ideas"]["support_milestones"] == [{"supporters": 50, "days": 30}]


def test_default_milestones_are_lego_ideas_own(make_user, make_space):
    ada = make_user("ada")
    space = make_space(ada, "plain")
    idea = published(ada, space, "Castle")
    assert idea.milestones == [
        {"supporters": 100, "days": 60},
        {"supporters": 1000, "days": 365},
        {"supporters": 5000, "days": 182},
        {"supporters": 10000, "days": 182},
    ]
    assert idea.deadline_at == idea.published_at + __import__("datetime").timedelta(days=60)


def test_dump_has_published_ideas_with_counts_not_names(world):
    space = world["space"]
    shown = published(world["ada"], space, "Tool library")
    actions.idea_support(user=world["p1"], idea=shown)
    actions.idea_create(user=world["bob"], space=space, title="Secret draft")
    records = [json.loads(line) for line in open_data(space)]
    ideas = [r for r in records if r.get("type") == "idea"]
    assert [i["title"] for i in ideas] == ["Tool library"]
    assert ideas[0]["supporters"] == 1
    assert ideas[0]["creators"] == [{"username": "ada", "share": 1}]
    text = json.dumps(records)
    assert "Secret draft" not in text
    assert '"p1"' not in text


def test_draft_events_stay_private(world):
    draft = actions.idea_create(user=world["bob"], space=world["space"], title="Hush project")
    anonymous = world["api"](None).get("/spaces/town/activity").content.decode()
    assert "Hush project" not in anonymous
    assert world["api"](world["p1"]).get(f"/spaces/town/ideas/{draft.pk}").status_code == 404
    mine = world["api"](world["bob"]).get("/spaces/town/ideas?mine=true").json()["items"]
    assert [i["title"] for i in mine] == ["Hush project"]


def test_reviewers_never_decide_their_own_idea(world):
    stew = world["stew"]
    spaces.space_policy_update(
        user=stew,
        space=world["space"],
        document={"ideas": {"support_milestones": [{"supporters": 1, "days": 30}]}},
    )
    own = published(stew, world["space"], "Steward's own idea")
    actions.idea_support(user=world["p1"], idea=own)
    as_stew = world["api"](stew)
    refused = as_stew.post(
        f"/spaces/town/ideas/{own.pk}/review", {"decision": "accept", "reason": "Mine."}
    )
    assert refused.status_code == 403
    assert Idea.objects.get(pk=own.pk).status == "in_review"


def test_a_merge_into_a_decided_idea_stays(world):
    space = world["space"]
    dup = published(world["ada"], space, "Tree planting day")
    keep = published(world["bob"], space, "Plant trees together")
    actions.idea_merge(user=world["stew"], idea=dup, into=keep.pk)
    Idea.objects.filter(pk=keep.pk).update(status="accepted")
    with pytest.raises(Conflict):
        actions.idea_unmerge(user=world["stew"], idea=Idea.objects.get(pk=dup.pk))
    assert Idea.objects.get(pk=dup.pk).status == "merged"
    assert Creator.objects.filter(idea=keep, user=world["ada"]).exists()
