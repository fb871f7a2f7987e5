"""Reports of comments and people, grouped into the space's queue; decisions and outcomes."""

from __future__ import annotations

from typing import Any

from peerwork.activity.models import Event, Notification
from peerwork.discussions.models import Comment
from peerwork.moderation.models import QueueItem, Report
from peerwork.spaces.models import Block

from .conftest import COMMENTS


def _comment(world: dict[str, Any], text: str = "You are all idiots") -> int:
    response = world["as_bob"].post(COMMENTS, {"text": text})
    assert response.status_code == 201
    return int(response.json()["id"])


def report(client: Any, **body: Any) -> Any:
    return client.post("/spaces/atlas/reports", {"reason": "abuse", **body})


def test_reports_of_one_comment_are_grouped(world: dict[str, Any], make_user: Any) -> None:
    comment = _comment(world)
    dan = make_user("dan")
    from tests.conftest import ApiClient  # noqa: F401

    assert report(world["as_cara"], comment=comment, note="rude").status_code == 201
    assert report(world["as_ada"], comment=comment).status_code == 201
    # The same person again changes nothing.
    assert report(world["as_cara"], comment=comment).status_code == 201
    item = QueueItem.objects.get()
    assert (item.comment_id, item.person, item.report_count, item.status) == (
        comment,
        world["bob"],
        2,
        "open",
    )
    assert Report.objects.count() == 2
    queue = world["as_ada"].get("/spaces/atlas/moderation/queue").json()
    assert [(entry["comment"], entry["report_count"]) for entry in queue] == [(comment, 2)]
    assert sorted(r["reporter"] for r in queue[0]["reports"]) == ["ada", "cara"]
    assert dan  # a person who did not report sees nothing of it
    assert Report.objects.filter(reporter=dan).count() == 0


def test_reporting_a_person_and_the_outcome(world: dict[str, Any]) -> None:
    response = report(world["as_cara"], username="bob", reason="spam")
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "open"
    item = QueueItem.objects.get()
    assert item.comment is None and item.person == world["bob"]
    response = world["as_ada"].post(
        f"/spaces/atlas/moderation/queue/{item.pk}/decision",
        {"decision": "block", "note": "Advertising", "block_hours": 48},
    )
    assert response.status_code == 200, response.content
    assert Block.objects.get(user=world["bob"]).reason == "Advertising"
    mine = world["as_cara"].get("/reports").json()["items"]
    assert [(r["username"], r["status"]) for r in mine] == [("bob", "blocked")]
    # The reporter is told of the decision.
    event = Event.objects.get(verb="moderation:decided")
    assert Notification.objects.filter(user=world["cara"], event=event).exists()


def test_remove_and_warn(world: dict[str, Any]) -> None:
    first, second = _comment(world), _comment(world, "Buy my course")
    report(world["as_cara"], comment=first)
    report(world["as_cara"], comment=second, reason="spam")
    items = {item.comment_id: item for item in QueueItem.objects.all()}
    answer = world["as_ada"].post(
        f"/spaces/atlas/moderation/queue/{items[second].pk}/decision",
        {"decision": "remove", "is_spam": True},
    )
    assert answer.json()["status"] == "removed"
    assert Comment.objects.get(pk=second).is_deleted
    assert QueueItem.objects.get(pk=items[second].pk).is_spam is True
    answer = world["as_ada"].post(
        f"/spaces/atlas/moderation/queue/{items[first].pk}/decision",
        {"decision": "warn", "note": "Be kind"},
    )
    assert answer.json()["status"] == "warned"
    warned = Event.objects.filter(verb="moderation:decided").order_by("-id").first()
    assert Notification.objects.filter(user=world["bob"], event=warned).exists()
    # Decided once: a second decision is a conflict that changes nothing.
    again = world["as_ada"].post(
        f"/spaces/atlas/moderation/queue/{items[first].pk}/decision", {"decision": "dismiss"}
    )
    assert again.status_code == 409
    # A new report after the decision opens a new item.
    report(world["as_ada"], comment=first)
    assert QueueItem.objects.filter(comment_id=first, status="open").count() == 1


def test_who_may_report_and_moderate(world: dict[str, Any]) -> None:
    comment = _comment(world)
    assert report(world["as_anon"], comment=comment).status_code == 401
    assert report(world["as_bob"], username="bob").status_code == 422  # not yourself
    assert report(world["as_cara"], comment=comment, reason="bad").status_code == 422
    assert not QueueItem.objects.exists()
    report(world["as_cara"], comment=comment)
    item = QueueItem.objects.get()
    assert world["as_cara"].get("/spaces/atlas/moderation/queue").status_code == 403
    denied = world["as_cara"].post(
        f"/spaces/atlas/moderation/queue/{item.pk}/decision", {"decision": "dismiss"}
    )
    assert denied.status_code == 403
    assert QueueItem.objects.get().status == "open"
