"""The task pages: the board without JavaScript, the forms, and every page in both languages."""

from __future__ import annotations

import pytest
from django.test import Client

from peerwork.spaces.models import SpaceMembership
from peerwork.tasks import actions
from peerwork.tasks.models import Claim, Review, Task

from .conftest import make_task

pytestmark = pytest.mark.django_db


def _client(user=None, language="en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        client.force_login(user)
    return client


def test_the_whole_flow_through_the_pages(people):
    poster = _client(people.poster)
    posted = poster.post(
        "/s/lab/tasks/new",
        {
            "title": "Map the fountains",
            "description": "Walk **the old town**.",
            "mode": "single",
            "skills": "Cartography, walking",
            "labels": "maps",
            "currency": "EUR",
        },
    )
    assert posted.status_code == 302, posted.content.decode()[:2000]
    task = Task.objects.get()
    assert task.skills == ["cartography", "walking"]
    page = poster.get(posted["Location"]).content.decode()
    assert "<strong>the old town</strong>" in page

    worker = _client(people.worker)
    board = worker.get("/s/lab/tasks/").content.decode()
    assert f'action="/s/lab/tasks/{task.pk}/claim"' in board
    claimed = worker.post(f"/s/lab/tasks/{task.pk}/claim", {"next": "/s/lab/tasks/"})
    assert claimed["Location"] == "/s/lab/tasks/"
    assert Claim.objects.get().user == people.worker
    board = worker.get("/s/lab/tasks/").content.decode()
    assert f'action="/s/lab/tasks/{task.pk}/unclaim"' in board

    delivered = worker.post(
        f"/s/lab/tasks/{task.pk}/deliver", {"text": "41 fountains.", "links": "https://a.example"}
    )
    assert delivered.status_code == 302
    delivery = task.deliveries.get()
    reviewer = _client(people.reviewer)
    detail = reviewer.get(f"/s/lab/tasks/{task.pk}/").content.decode()
    assert f'action="/s/lab/tasks/{task.pk}/deliveries/{delivery.pk}/review"' in detail
    # A worker does not even get the review form; posting it anyway is refused with the reason.
    own = worker.get(f"/s/lab/tasks/{task.pk}/").content.decode()
    assert f"/deliveries/{delivery.pk}/review" not in own
    refused = worker.post(
        f"/s/lab/tasks/{task.pk}/deliveries/{delivery.pk}/review",
        {"decision": "approved", "reason": "Mine is good."},
    )
    assert refused.status_code == 403
    assert "worked on this task" in refused.content.decode()
    approved = reviewer.post(
        f"/s/lab/tasks/{task.pk}/deliveries/{delivery.pk}/review",
        {"decision": "approved", "reason": "Checked twice."},
    )
    assert approved.status_code == 302
    assert Task.objects.get().state == "done"
    assert Review.objects.get().reviewer == people.reviewer


def test_bad_input_on_a_page_shows_a_message_and_changes_nothing(people):
    poster = _client(people.poster)
    answer = poster.post("/s/lab/tasks/new", {"title": "", "mode": "single", "currency": "EUR"})
    assert answer.status_code == 400
    assert not Task.objects.exists()
    steward = _client(people.steward)
    answer = steward.post(
        "/s/lab/tasks/new", {"title": "Paid", "mode": "single", "bounty": "-3", "currency": "EUR"}
    )
    assert answer.status_code == 400
    assert "An amount cannot be negative." in answer.content.decode()
    assert not Task.objects.exists()
    task = make_task(people)
    actions.task_claim(user=people.worker, task=task)
    taken = _client(people.member).post(f"/s/lab/tasks/{task.pk}/claim", follow=True)
    assert "Someone already claims this task" in taken.content.decode()
    assert Claim.objects.count() == 1


def _grow(people, count: int) -> None:
    for n in range(count):
        task = make_task(
            people, title=f"Task {n}", mode=["single", "cooperative", "contest"][n % 3]
        )
        if n % 2:
            actions.task_claim(user=people.worker, task=task)
            actions.task_deliver(user=people.worker, task=task, text=f"Work {n}")


@pytest.mark.parametrize("count", [0, 1, 5])
@pytest.mark.parametrize("language", ["en", "es"])
def test_every_task_page_renders(people, count, language):
    _grow(people, count)
    SpaceMembership.objects.filter(user=people.worker).update(role="member")
    paths = ["/s/lab/tasks/", "/s/lab/tasks/for-you", "/s/lab/tasks/?bounty=1&mode=contest"]
    paths += [f"/s/lab/tasks/{task.pk}/" for task in Task.objects.all()]
    for who in (None, people.worker, people.reviewer, people.steward):
        client = _client(who, language)
        for path in paths + (["/s/lab/tasks/new"] if who else []):
            answer = client.get(path)
            assert answer.status_code == 200, (path, who, answer.status_code)
            text = answer.content.decode()
            assert "%(" not in text, path
    board = _client(None, language).get("/s/lab/tasks/").content.decode()
    assert board.count('class="card"') == count
    heading = {"en": ">Tasks<", "es": ">Tareas<"}[language]
    assert heading in board
