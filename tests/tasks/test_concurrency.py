"""Claims and approvals stay exact under parallel requests, on SQLite and on PostgreSQL.

Every claim and review locks the task row first; behind the lock, the partial unique
constraints (one active claim per single task, one approval per task) would refuse a second
row anyway. The requests all run at once where the database allows that many connections
(see `tests.conftest.parallel_connections`).
"""

from __future__ import annotations

from typing import Any

import pytest

from peerwork.accounts import actions as accounts
from peerwork.core.errors import Conflict
from peerwork.ledger import actions as ledger
from peerwork.ledger.models import Payout
from peerwork.spaces.models import SpaceMembership
from peerwork.tasks import actions
from peerwork.tasks.models import Claim, Review, Task
from tests.conftest import run_in_parallel

from .conftest import make_task


def _run(calls: list[Any]) -> tuple[list[Any], list[BaseException]]:
    return run_in_parallel(calls, refused=(Conflict,))


@pytest.mark.django_db(transaction=True)
def test_a_hundred_parallel_claims_of_a_single_task_give_one_claim(people):
    task = make_task(people)
    claimants = []
    for n in range(100):
        user = accounts.user_signup(username=f"claimant{n}", password="a long password here")
        SpaceMembership.objects.create(space=people.space, user=user, role="member")
        claimants.append(user)
    calls = [(lambda user=user: actions.task_claim(user=user, task=task)) for user in claimants]
    results, errors = _run(calls)
    assert errors == []
    assert len([r for r in results if isinstance(r, Claim)]) == 1
    assert len([r for r in results if isinstance(r, Conflict)]) == 99
    assert Claim.objects.filter(task=task).count() == 1
    assert Task.objects.get(pk=task.pk).state == "claimed"


@pytest.mark.django_db(transaction=True)
def test_fifty_parallel_approvals_give_one_approval_and_one_payout(people):
    ledger.treasury_fund(
        space=people.space, actor=people.steward, amount=5000, currency="EUR", key="grant"
    )
    task = make_task(people, by=people.steward, bounty=5000, currency="EUR")
    actions.task_claim(user=people.worker, task=task)
    delivery = actions.task_deliver(user=people.worker, task=task, text="All done.")
    reviewers = []
    for n in range(50):
        user = accounts.user_signup(username=f"reviewer{n}", password="a long password here")
        SpaceMembership.objects.create(space=people.space, user=user, role="member")
        reviewers.append(user)
    calls = [
        (
            lambda user=user: actions.delivery_review(
                user=user, delivery=delivery, decision="approved", reason="Good work."
            )
        )
        for user in reviewers
    ]
    results, errors = _run(calls)
    assert errors == []
    assert len([r for r in results if isinstance(r, Review)]) == 1
    assert len([r for r in results if isinstance(r, Conflict)]) == 49
    assert Review.objects.filter(task=task).count() == 1
    assert Task.objects.get(pk=task.pk).state == "done"
    payout = Payout.objects.get()
    assert (payout.amount, [line.user for line in payout.lines.all()]) == (5000, [people.worker])
