"""A task's life through the REST API: post, claim, deliver, review, done; and the refusals."""

from __future__ import annotations

import pytest

from peerwork.activity.models import Event, Notification
from peerwork.tasks.models import Claim, Review, Task

from .conftest import make_task, set_policy

pytestmark = pytest.mark.django_db


def _url(task: Task, tail: str = "") -> str:
    return f"/spaces/{task.space.slug}/tasks/{task.pk}{tail}"


def test_a_task_goes_from_open_to_done_through_claim_delivery_and_review(people, api_as):
    created = api_as(people.poster).post(
        "/spaces/lab/tasks",
        {"title": "Map the fountains", "description": "See *the list*.", "skills": ["Cartography"]},
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["state"], body["mode"], body["skills"], body["bounty"]) == (
        "open",
        "single",
        ["cartography"],
        0,
    )
    task = Task.objects.get(pk=body["id"])
    worker = api_as(people.worker)
    claimed = worker.put(_url(task, "/claim"), {})
    assert claimed.status_code == 201, claimed.content
    assert claimed.json()["status"] == "active"
    assert worker.get(_url(task)).json()["state"] == "claimed"

    delivered = worker.post(
        _url(task, "/deliveries"),
        {"text": "Done: 41 fountains.", "links": ["https://example.org/map"]},
    )
    assert delivered.status_code == 201, delivered.content
    delivery_id = delivered.json()["id"]
    assert Task.objects.get(pk=task.pk).state == "in_review"

    changes = api_as(people.reviewer).post(
        _url(task, f"/deliveries/{delivery_id}/review"),
        {"decision": "changes_requested", "reason": "Add the ones in the park."},
    )
    assert changes.status_code == 201, changes.content
    assert Task.objects.get(pk=task.pk).state == "changes_requested"

    again = worker.post(_url(task, "/deliveries"), {"text": "Now 44, the park too."})
    assert again.status_code == 201
    approved = api_as(people.reviewer).post(
        _url(task, f"/deliveries/{again.json()['id']}/review"),
        {"decision": "approved", "reason": "Complete and checked."},
    )
    assert approved.status_code == 201, approved.content
    assert approved.json()["is_winner"] is True
    task.refresh_from_db()
    assert task.state == "done" and task.done_at is not None
    review = Review.objects.get(decision="approved")
    assert (review.reviewer, review.delivery_id) == (people.reviewer, again.json()["id"])
    verbs = list(
        Event.objects.filter(target_type="tasks.task", target_id=str(task.pk))
        .order_by("pk")
        .values_list("verb", flat=True)
    )
    assert verbs == [
        "task:created",
        "task:claimed",
        "task:delivered",
        "task:changes_requested",
        "task:delivered",
        "task:approved",
    ]
    # The creator watches automatically and hears of each step taken by someone else.
    told = Notification.objects.filter(user=people.poster).values_list("event__verb", flat=True)
    assert sorted(told) == sorted(verbs[1:])
    # The claimant hears of the reviews.
    assert set(
        Notification.objects.filter(user=people.worker).values_list("event__verb", flat=True)
    ) == {"task:changes_requested", "task:approved"}


def test_claiming_a_claimed_single_task_is_a_conflict_and_changes_nothing(people, api_as):
    task = make_task(people)
    assert api_as(people.worker).put(_url(task, "/claim"), {}).status_code == 201
    refused = api_as(people.member).put(_url(task, "/claim"), {})
    assert refused.status_code == 409
    assert refused.json()["type"] == "/problems/conflict"
    assert list(Claim.objects.values_list("user__username", flat=True)) == ["worker"]


def test_a_claim_on_a_task_one_may_not_see_is_not_found(people, api_as, make_space):
    hidden = make_space(people.steward, "hidden", visibility="members", participation="members")
    from peerwork.tasks import actions

    task = actions.task_create(user=people.steward, space=hidden, title="Secret work")
    refused = api_as(people.outsider).put(f"/spaces/hidden/tasks/{task.pk}/claim", {})
    assert refused.status_code == 404
    assert refused.json()["type"] == "/problems/not-found"
    # Exactly as a task that does not exist.
    missing = api_as(people.outsider).put(f"/spaces/hidden/tasks/{task.pk + 99}/claim", {})
    assert missing.json() == refused.json() | {"instance": missing.json().get("instance")}
    assert not Claim.objects.exists()


def test_approving_ones_own_delivery_is_forbidden_with_a_reason(people, api_as):
    task = make_task(people)
    worker = api_as(people.worker)
    worker.put(_url(task, "/claim"), {})
    delivery = worker.post(_url(task, "/deliveries"), {"text": "Mine."}).json()
    refused = worker.post(
        _url(task, f"/deliveries/{delivery['id']}/review"),
        {"decision": "approved", "reason": "Looks great to me."},
    )
    assert refused.status_code == 403
    assert "worked on this task" in refused.json()["detail"]
    assert not Review.objects.exists()
    assert Task.objects.get(pk=task.pk).state == "in_review"


def test_the_creator_may_review_but_a_review_needs_a_reason(people, api_as):
    task = make_task(people)
    api_as(people.worker).put(_url(task, "/claim"), {})
    delivery = api_as(people.worker).post(_url(task, "/deliveries"), {"text": "x"}).json()
    poster = api_as(people.poster)
    empty = poster.post(
        _url(task, f"/deliveries/{delivery['id']}/review"),
        {"decision": "approved", "reason": "   "},
    )
    assert empty.status_code == 422
    assert not Review.objects.exists()
    ok = poster.post(
        _url(task, f"/deliveries/{delivery['id']}/review"),
        {"decision": "approved", "reason": "Thank you."},
    )
    assert ok.status_code == 201


@pytest.mark.parametrize(
    ("amount", "detail"),
    [("-5", "An amount cannot be negative."), ("1.005", "EUR amounts have at most 2 decimals.")],
)
def test_a_negative_or_over_precise_bounty_is_invalid(people, api_as, amount, detail):
    refused = api_as(people.steward).post(
        "/spaces/lab/tasks", {"title": "Paid work", "bounty": amount, "currency": "EUR"}
    )
    assert refused.status_code == 422
    assert refused.json()["detail"] == detail
    assert not Task.objects.exists()


def test_only_stewards_attach_a_bounty(people, api_as):
    refused = api_as(people.member).post(
        "/spaces/lab/tasks", {"title": "Paid work", "bounty": "10", "currency": "EUR"}
    )
    assert refused.status_code == 403
    assert "stewards" in refused.json()["detail"]
    assert not Task.objects.exists()


def test_a_task_waits_for_its_dependencies_and_refuses_cycles(people, api_as):
    first = make_task(people, title="Survey")
    second = make_task(people, title="Publish", depends_on=[first.pk])
    refused = api_as(people.worker).put(_url(second, "/claim"), {})
    assert refused.status_code == 409
    assert refused.json()["detail"] == "This task waits for 'Survey' to be done first."
    cycle = api_as(people.poster).patch(_url(first), {"depends_on": [second.pk]})
    assert cycle.status_code == 422
    assert "cycle" in cycle.json()["detail"]
    assert list(first.dependency_rows.all()) == []
    itself = api_as(people.poster).patch(_url(first), {"depends_on": [first.pk]})
    assert itself.status_code == 422


def test_cooperative_team_claims_with_shares_and_unclaims(people, api_as):
    task = make_task(people, mode="cooperative")
    assert api_as(people.worker).put(_url(task, "/claim"), {"share": 3}).status_code == 201
    assert api_as(people.mate).put(_url(task, "/claim"), {"share": 1}).status_code == 201
    body = api_as(people.member).get(_url(task)).json()
    assert [(c["username"], c["share"]) for c in body["claims"]] == [("worker", 3), ("mate", 1)]
    assert api_as(people.mate).delete(_url(task, "/claim")).status_code == 200
    assert api_as(people.worker).delete(_url(task, "/claim")).status_code == 200
    assert Task.objects.get(pk=task.pk).state == "open"
    assert api_as(people.worker).delete(_url(task, "/claim")).status_code == 403


def test_contest_picks_one_winner_and_others_may_release_their_work(people, api_as):
    task = make_task(people, mode="contest")
    worker, mate = api_as(people.worker), api_as(people.mate)
    worker.put(_url(task, "/claim"), {})
    mate.put(_url(task, "/claim"), {})
    first = worker.post(_url(task, "/deliveries"), {"text": "Entry A"}).json()
    second = mate.post(_url(task, "/deliveries"), {"text": "Entry B"}).json()
    # Until decided, a bystander sees that entries exist but not what they say.
    seen = api_as(people.outsider).get(_url(task, "/deliveries")).json()
    assert [d["text"] for d in seen] == [None, None]
    early = mate.post(_url(task, f"/deliveries/{second['id']}/release"))
    assert early.status_code == 409
    api_as(people.reviewer).post(
        _url(task, f"/deliveries/{first['id']}/review"),
        {"decision": "approved", "reason": "The clearest map."},
    )
    assert Task.objects.get(pk=task.pk).state == "done"
    seen = api_as(people.outsider).get(_url(task, "/deliveries")).json()
    assert [d["text"] for d in seen] == ["Entry A", None]
    assert worker.post(_url(task, f"/deliveries/{second['id']}/release")).status_code == 403
    released = mate.post(_url(task, f"/deliveries/{second['id']}/release"))
    assert released.status_code == 200
    seen = api_as(None).get(_url(task, "/deliveries")).json()
    assert [(d["text"], d["released_to_commons"]) for d in seen] == [
        ("Entry A", False),
        ("Entry B", True),
    ]


def test_claims_wait_for_a_steward_where_the_policy_says_so(people, api_as):
    set_policy(people, claims_need_approval=True)
    task = make_task(people)
    requested = api_as(people.worker).put(_url(task, "/claim"), {})
    assert requested.json()["status"] == "requested"
    assert Task.objects.get(pk=task.pk).state == "open"
    claim_id = requested.json()["id"]
    denied = api_as(people.member).post(
        _url(task, f"/claims/{claim_id}/decision"), {"approve": True}
    )
    assert denied.status_code == 403
    assert Claim.objects.get(pk=claim_id).status == "requested"
    approved = api_as(people.steward).post(
        _url(task, f"/claims/{claim_id}/decision"), {"approve": True}
    )
    assert approved.json()["status"] == "active"
    assert Task.objects.get(pk=task.pk).state == "claimed"


def test_claim_privilege_and_limit_come_from_the_policy(people, api_as):
    set_policy(people, claim_privilege="steward", max_claims_per_person=1)
    task = make_task(people)
    assert api_as(people.worker).put(_url(task, "/claim"), {}).status_code == 403
    set_policy(people, max_claims_per_person=1)
    other = make_task(people, title="Second")
    assert api_as(people.worker).put(_url(task, "/claim"), {}).status_code == 201
    limited = api_as(people.worker).put(_url(other, "/claim"), {})
    assert limited.status_code == 409
    assert "limit" in limited.json()["detail"]


def test_cancelling_ends_claims_and_a_cancelled_task_cannot_be_approved(people, api_as):
    task = make_task(people)
    api_as(people.worker).put(_url(task, "/claim"), {})
    delivery = api_as(people.worker).post(_url(task, "/deliveries"), {"text": "x"}).json()
    assert api_as(people.member).post(_url(task, "/cancel"), {}).status_code == 403
    cancelled = api_as(people.poster).post(_url(task, "/cancel"), {"reason": "Not needed."})
    assert cancelled.json()["state"] == "cancelled"
    assert Claim.objects.get().status == "released"
    refused = api_as(people.reviewer).post(
        _url(task, f"/deliveries/{delivery['id']}/review"),
        {"decision": "approved", "reason": "ok"},
    )
    assert refused.status_code == 409
    assert not Review.objects.exists()


def test_filters_and_tasks_for_you(people, api_as, make_user):
    from peerwork.accounts import actions as accounts

    make_task(people, title="Translate", skills=["translation"], language="es", labels=["docs"])
    make_task(people, title="Survey", skills=["cartography"], labels=["maps"])
    make_task(people, title="Cook", skills=[], labels=[])
    client = api_as(people.member)

    def titles(query: str) -> list[str]:
        return [t["title"] for t in client.get(f"/spaces/lab/tasks{query}").json()["items"]]

    assert titles("?skill=cartography") == ["Survey"]
    assert titles("?label=docs") == ["Translate"]
    assert titles("?unclaimed=true") == ["Cook", "Survey", "Translate"]
    accounts.user_update_profile(
        user=people.member, person=people.member, skills=["cartography"], languages=["es"]
    )
    ranked = client.get("/spaces/lab/tasks/for-you").json()
    assert [(s["task"]["title"], s["reasons"]) for s in ranked] == [
        ("Survey", ["matches your skill: cartography"]),
        ("Translate", ["in a language you speak: Spanish"]),
        ("Cook", []),
    ]


def test_refusals_follow_the_readers_language(people, api_as):
    task = make_task(people)
    api_as(people.worker).put(_url(task, "/claim"), {})
    refused = api_as(people.member).put(_url(task, "/claim"), {}, HTTP_ACCEPT_LANGUAGE="es")
    assert refused.status_code == 409
    assert refused.json()["detail"] == (
        "Otra persona ya ha reclamado esta tarea; admite una sola persona a la vez."
    )
    state = api_as(None).get(_url(task), HTTP_ACCEPT_LANGUAGE="es").json()["state"]
    assert state == "claimed"  # values stay codes; only words are translated


def test_tasks_for_you_leave_out_tasks_still_waiting_for_others(people, api_as):
    first = make_task(people, title="Survey")
    make_task(people, title="Publish", depends_on=[first.pk])
    ranked = api_as(people.member).get("/spaces/lab/tasks/for-you").json()
    assert [s["task"]["title"] for s in ranked] == ["Survey"]


def test_the_open_data_dump_has_tasks_and_hides_unreleased_contest_entries(people, client):
    import json

    task = make_task(people, mode="contest")
    from peerwork.tasks import actions

    for person in (people.worker, people.mate):
        actions.task_claim(user=person, task=task)
    winner = actions.task_deliver(user=people.worker, task=task, text="Entry A")
    actions.task_deliver(user=people.mate, task=task, text="Entry B")
    actions.delivery_review(user=people.reviewer, delivery=winner, decision="approved", reason="A")
    lines = [json.loads(line) for line in client.get("/s/lab/export.jsonl").streaming_content]
    records = [r for r in lines if r.get("type", "").startswith("task")]
    assert [r["type"] for r in records] == [
        "task",
        "task_claim",
        "task_claim",
        "task_delivery",
        "task_delivery",
        "task_review",
    ]
    assert records[0]["mode"] == "contest" and records[0]["state"] == "done"
    assert [(r["by"], r["text"], r["is_winner"]) for r in records[3:5]] == [
        ("worker", "Entry A", True),
        ("mate", None, False),
    ]
    assert records[5]["reviewer"] == "reviewer"
