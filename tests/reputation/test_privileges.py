"""Privileges from points and from stewards' grants; detection of serial supports and rings."""

from __future__ import annotations

import time_machine
from django.utils.translation import override as translation_override

from peerwork.activity.models import Event
from peerwork.core.policy import can
from peerwork.ideas import actions as ideas
from peerwork.reputation.detection import detect_space
from peerwork.reputation.models import Entry, Standing
from peerwork.reputation.privileges import changed, has_privilege
from peerwork.wiki import actions as wiki

from .conftest import START, totals


def _points(space, person, total):
    Standing.objects.update_or_create(space=space, person=person, defaults={"total": total})
    changed()  # written here directly, not through the recount


def test_points_unlock_patrol_and_rollback_at_the_policy_thresholds(people):
    space, ada, bea = people["space"], people["ada"], people["bea"]
    page = wiki.page_save(user=bea, space=space, title="Home", text="x", base_revision_id=None).page
    assert not has_privilege(ada, space, "patrol")
    _points(space, ada, 100)
    assert has_privilege(ada, space, "patrol")
    assert can(ada, "revision.patrol", page.current_revision)
    assert not has_privilege(ada, space, "rollback")  # 250
    assert not can(ada, "page.rollback", page)
    _points(space, ada, 250)
    assert can(ada, "page.rollback", page)
    assert not has_privilege(ada, space, "delete")  # stewards only, whatever the points


def test_a_steward_grants_and_withholds_through_the_api_and_it_is_logged(people, api_as):
    space, ada, stew = people["space"], people["ada"], people["stew"]
    url = "/spaces/lab/people/ada/reputation"
    refused = api_as(ada).post(
        url + "/grants", {"privilege": "patrol", "allowed": True, "reason": "x"}
    )
    assert refused.status_code == 403
    assert not has_privilege(ada, space, "patrol")
    bad = api_as(stew).post(url + "/grants", {"privilege": "fly", "allowed": True, "reason": "x"})
    assert bad.status_code == 422 and bad.json()["type"] == "/problems/validation"
    granted = api_as(stew).post(
        url + "/grants", {"privilege": "patrol", "allowed": True, "reason": "Trusted editor"}
    )
    assert granted.status_code == 200, granted.content
    assert "patrol" in granted.json()["privileges"]
    assert has_privilege(ada, space, "patrol")
    _points(space, ada, 1000)
    api_as(stew).post(
        url + "/grants", {"privilege": "rollback", "allowed": False, "reason": "Misused"}
    )
    assert not has_privilege(ada, space, "rollback")
    event = Event.objects.filter(verb="reputation:granted").latest("id")
    assert event.data == {
        "privilege": "rollback",
        "allowed": False,
        "level": None,
        "reason": "Misused",
    }
    shown = api_as(None).get(url).json()
    assert (shown["total"], shown["next_privilege"]) == (1000, None)


def test_serial_supports_and_rings_are_reversed_with_the_reason_logged(people):
    space, ada, bea, cy = people["space"], people["ada"], people["bea"], people["cy"]
    with time_machine.travel(START, tick=False):
        made = {}
        for author in (ada, bea):
            for n in range(5):
                draft = ideas.idea_create(user=author, space=space, title=f"{author} {n}")
                made[(author.username, n)] = ideas.idea_publish(user=author, idea=draft)
        for n in range(5):  # Bea supports five of Ada's ideas within the day: serial
            ideas.idea_support(user=bea, idea=made[("ada", n)])
        for n in range(2):  # Ada supports two of Bea's back: with the above, a ring too
            ideas.idea_support(user=ada, idea=made[("bea", n)])
        ideas.idea_support(user=cy, idea=made[("ada", 4)])  # an honest support
        assert totals(space)["ada"] > 1
        reversed_count = detect_space(space=space)
    assert reversed_count == 7
    reasons = dict(
        Event.objects.filter(verb="reputation:reversed").values_list("data__reason", "actor")
    )
    assert set(reasons) == {"serial", "ring"}
    assert Entry.objects.filter(reversed_reason="serial", person=ada).count() == 5
    assert Entry.objects.filter(reversed_reason="ring", person=bea).count() == 2
    # Cy's support stays, and the milestone Cy's support completed; the rest counts nothing.
    assert (totals(space)["ada"], totals(space)["bea"]) == (1 + 10, 0)
    assert detect_space(space=space) == 0  # safe to rerun


def test_the_reputation_page_shows_why_and_a_steward_grants_from_it(people, client):
    space, ada, bea, stew = people["space"], people["ada"], people["bea"], people["stew"]
    with time_machine.travel(START, tick=False):
        saved = wiki.page_save(user=ada, space=space, title="Home", text="x", base_revision_id=None)
        wiki.revision_review(user=stew, revision=saved.revision)
    url = "/s/lab/people/ada/reputation/"
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "an edit that stayed" in text and "Edits need no patrol: 48 more points" in text
    chart = client.get(url + "history.svg")
    assert chart["Content-Type"].startswith("image/svg+xml") and b"<circle" in chart.content
    client.force_login(bea)
    refused = client.post(url + "grant", {"privilege": "patrol", "effect": "grant", "reason": "x"})
    assert refused.status_code == 403 and not has_privilege(ada, space, "patrol")
    client.force_login(stew)
    empty = client.post(url + "grant", {"privilege": "patrol", "effect": "grant", "reason": ""})
    assert empty.status_code == 400 and not has_privilege(ada, space, "patrol")
    done = client.post(url + "grant", {"privilege": "patrol", "effect": "grant", "reason": "Ok"})
    assert done.status_code == 302 and has_privilege(ada, space, "patrol")
    client.logout()
    with translation_override("es"):
        spanish = client.get(url, HTTP_ACCEPT_LANGUAGE="es")
    assert "Reputación de" in spanish.content.decode()


def test_points_open_idea_review_challenge_posting_and_comment_moderation(people):
    space, ada, bea, cy, stew = (people[k] for k in ("space", "ada", "bea", "cy", "stew"))
    from peerwork.discussions.actions import comment_post
    from peerwork.spaces import actions as spaces

    spaces.space_policy_update(
        user=stew,
        space=space,
        document={**space.policy, "challenges": {"post_privilege": "member"}},
    )
    space.refresh_from_db()
    idea = ideas.idea_publish(user=bea, idea=ideas.idea_create(user=bea, space=space, title="A"))
    comment = comment_post(user=bea, target=idea, text="Hello")
    assert not can(ada, "idea.review", idea)
    assert not can(ada, "challenge.create", space)
    assert not can(ada, "comment.delete", comment)
    _points(space, ada, 500)
    assert can(ada, "idea.review", idea)
    assert can(ada, "challenge.create", space)
    assert can(ada, "comment.delete", comment)
    _points(space, bea, 500)
    assert not can(bea, "idea.review", idea)  # never one's own idea, whatever the points
    assert not can(cy, "comment.delete", comment)
    spaces.space_policy_update(
        user=stew,
        space=space,
        document={**space.policy, "challenges": {"post_privilege": "steward"}},
    )
    space.refresh_from_db()
    assert not can(ada, "challenge.create", space)  # points never open a steward's gate
