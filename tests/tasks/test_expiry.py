"""Quiet claims: the periodic job warns the claimant, then releases the task."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from peerwork.activity.models import Event, Notification
from peerwork.discussions import actions as discussions
from peerwork.tasks import actions, jobs
from peerwork.tasks.models import Claim, Task

from .conftest import make_task, set_policy

pytestmark = pytest.mark.django_db


def test_a_quiet_claim_is_warned_then_released(people):
    set_policy(people, claim_days=10, warn_days_before=3)
    task = make_task(people)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        actions.task_claim(user=people.worker, task=task)
    with time_machine.travel(start + timedelta(days=6), tick=False):
        assert jobs.expire_claims() == 0
    with time_machine.travel(start + timedelta(days=7, hours=1), tick=False):
        assert jobs.expire_claims() == 1
        assert jobs.expire_claims() == 0  # warned once
    warning = Notification.objects.get(user=people.worker, event__verb="task:claim_expiring")
    assert warning.event.space is None  # a private reminder, in no public chain
    assert Claim.objects.get().status == "active"
    with time_machine.travel(start + timedelta(days=10, hours=1), tick=False):
        assert jobs.expire_claims() == 1
    assert Claim.objects.get().status == "expired"
    assert Task.objects.get(pk=task.pk).state == "open"
    expired = Event.objects.get(verb="task:claim_expired")
    assert expired.actor is None and expired.data["claimant"] == "worker"
    assert Notification.objects.filter(user=people.poster, event=expired).exists()


def test_a_comment_or_delivery_by_the_claimant_keeps_the_claim(people):
    set_policy(people, claim_days=10, warn_days_before=3)
    task = make_task(people)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        actions.task_claim(user=people.worker, task=task)
    with time_machine.travel(start + timedelta(days=9), tick=False):
        discussions.comment_post(user=people.worker, target=task, text="Halfway there.")
    with time_machine.travel(start + timedelta(days=12), tick=False):
        assert jobs.expire_claims() == 0
    # Someone else's comment does not count.
    with time_machine.travel(start + timedelta(days=13), tick=False):
        discussions.comment_post(user=people.member, target=task, text="Any news?")
    with time_machine.travel(start + timedelta(days=16), tick=False):
        assert jobs.expire_claims() == 1
        assert Claim.objects.get().status == "active"  # warned, not yet released
        actions.task_deliver(user=people.worker, task=task, text="Done.")
    with time_machine.travel(start + timedelta(days=40), tick=False):
        # In review, the claimant waits for the reviewers: nothing expires.
        assert jobs.expire_claims() == 0
    assert Claim.objects.get().status == "active"
