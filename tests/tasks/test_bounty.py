"""Bounties through the ledger: reserved when posted, paid on approval in the same transaction,
given back on cancellation; nothing is promised without the funds."""

from __future__ import annotations

import pytest

from peerwork.ledger import actions as ledger
from peerwork.ledger.models import Account, Payout
from peerwork.tasks import actions
from peerwork.tasks.models import Task

from .conftest import make_task

pytestmark = pytest.mark.django_db


def _fund(people, amount: int) -> None:
    ledger.treasury_fund(
        space=people.space, actor=people.steward, amount=amount, currency="EUR", key="grant-1"
    )


def _balance(people, kind: str, user=None, subject: str = "") -> int:
    found = Account.objects.filter(
        space=people.space, kind=kind, currency="EUR", user=user, subject=subject
    ).first()
    return found.balance if found else 0


def _bounty_task(people, **overrides):
    return make_task(people, by=people.steward, bounty=5000, currency="EUR", **overrides)


def test_a_bounty_without_funds_is_refused_and_nothing_is_posted(people, api_as):
    _fund(people, 1000)
    refused = api_as(people.steward).post(
        "/spaces/lab/tasks", {"title": "Paid work", "bounty": "50", "currency": "EUR"}
    )
    assert refused.status_code == 409
    assert refused.json()["type"] == "/problems/insufficient-funds"
    assert not Task.objects.exists()
    assert _balance(people, "treasury") == 1000


def test_approval_pays_the_claimant_from_the_reservation(people, api_as):
    _fund(people, 8000)
    task = _bounty_task(people)
    subject = f"tasks.task:{task.pk}"
    assert (_balance(people, "treasury"), _balance(people, "reserve", subject=subject)) == (
        3000,
        5000,
    )
    actions.task_claim(user=people.worker, task=task)
    delivery = actions.task_deliver(user=people.worker, task=task, text="Done.")
    actions.delivery_review(
        user=people.reviewer, delivery=delivery, decision="approved", reason="Good."
    )
    payout = Payout.objects.get()
    assert (payout.kind, payout.state, payout.amount, payout.subject) == (
        "bounty",
        "paid",
        5000,
        subject,
    )
    assert [(line.user, line.amount) for line in payout.lines.all()] == [(people.worker, 5000)]
    assert _balance(people, "earnings", user=people.worker) == 5000
    assert _balance(people, "reserve", subject=subject) == 0
    body = api_as(people.member).get(f"/spaces/lab/tasks/{task.pk}").json()
    assert (body["state"], body["bounty_text"], body["bounty_payout"]) == ("done", "€50.00", "paid")


def test_a_cooperative_bounty_is_split_by_shares_to_the_cent(people):
    _fund(people, 10000)
    task = make_task(people, by=people.steward, bounty=1000, currency="EUR", mode="cooperative")
    actions.task_claim(user=people.worker, task=task, share=2)
    actions.task_claim(user=people.mate, task=task, share=1)
    delivery = actions.task_deliver(user=people.mate, task=task, text="Together.")
    actions.delivery_review(
        user=people.reviewer, delivery=delivery, decision="approved", reason="Good."
    )
    lines = {line.user.username: line.amount for line in Payout.objects.get().lines.all()}
    assert lines == {"worker": 667, "mate": 333}


def test_cancelling_gives_the_bounty_back_and_a_cancelled_task_is_never_paid(people, api_as):
    _fund(people, 5000)
    task = _bounty_task(people)
    actions.task_claim(user=people.worker, task=task)
    delivery = actions.task_deliver(user=people.worker, task=task, text="Done.")
    actions.task_cancel(user=people.steward, task=task, reason="Funding moved.")
    assert _balance(people, "treasury") == 5000
    refused = api_as(people.reviewer).post(
        f"/spaces/lab/tasks/{task.pk}/deliveries/{delivery.pk}/review",
        {"decision": "approved", "reason": "Good."},
    )
    assert refused.status_code == 409
    assert not Payout.objects.exists()
    assert _balance(people, "earnings", user=people.worker) == 0


def test_a_payout_over_the_limit_waits_for_a_second_steward_and_the_task_is_done(people):
    from peerwork.spaces import actions as spaces

    _fund(people, 5000)
    people.space = spaces.space_policy_update(
        user=people.steward,
        space=people.space,
        document={"ledger": {"approval_above": {"EUR": 100}}},
    )
    task = _bounty_task(people)
    actions.task_claim(user=people.worker, task=task)
    delivery = actions.task_deliver(user=people.worker, task=task, text="Done.")
    actions.delivery_review(
        user=people.reviewer, delivery=delivery, decision="approved", reason="Good."
    )
    assert Payout.objects.get().state == "awaiting"
    assert Task.objects.get(pk=task.pk).state == "done"


def test_a_steward_puts_a_bounty_on_a_task_posted_without_one(people, api_as):
    task = make_task(people)
    url = f"/spaces/lab/tasks/{task.pk}/bounty"
    denied = api_as(people.poster).put(url, {"bounty": "20", "currency": "EUR"})
    assert denied.status_code == 403
    poor = api_as(people.steward).put(url, {"bounty": "20", "currency": "EUR"})
    assert poor.status_code == 409
    assert poor.json()["type"] == "/problems/insufficient-funds"
    assert Task.objects.get(pk=task.pk).bounty == 0
    _fund(people, 2000)
    set_ = api_as(people.steward).put(url, {"bounty": "20", "currency": "EUR"})
    assert set_.status_code == 200, set_.content
    assert (set_.json()["bounty"], set_.json()["bounty_text"]) == (2000, "€20.00")
    assert _balance(people, "reserve", subject=f"tasks.task:{task.pk}") == 2000
    again = api_as(people.steward).put(url, {"bounty": "5", "currency": "EUR"})
    assert again.status_code == 409
    assert Task.objects.get(pk=task.pk).bounty == 2000
    from peerwork.activity.models import Notification

    assert Notification.objects.filter(user=people.poster, event__verb="task:bounty_set").exists()


def test_the_bounty_form_on_the_task_page(people, client):
    _fund(people, 2000)
    task = make_task(people)
    client.force_login(people.steward)
    page = client.get(f"/s/lab/tasks/{task.pk}/").content.decode()
    assert f'action="/s/lab/tasks/{task.pk}/bounty"' in page
    bad = client.post(f"/s/lab/tasks/{task.pk}/bounty", {"bounty": "1.001", "currency": "EUR"})
    assert bad.status_code == 302
    assert Task.objects.get(pk=task.pk).bounty == 0
    client.post(f"/s/lab/tasks/{task.pk}/bounty", {"bounty": "12.50", "currency": "EUR"})
    assert Task.objects.get(pk=task.pk).bounty == 1250
