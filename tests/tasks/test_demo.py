"""The demo's tasks: one done, one in review, open ones, made through the actions."""

from __future__ import annotations

import pytest

from peerwork.demo import load_demo
from peerwork.tasks.models import Task

pytestmark = pytest.mark.django_db


def test_the_demo_has_done_in_review_and_open_tasks():
    assert load_demo()
    states = dict(Task.objects.filter(space__slug="open-atlas").values_list("title", "state"))
    assert states == {
        "Survey the river crossings": "done",
        "Translate the map legend into Spanish": "in_review",
        "Draw the cycling routes layer": "open",
        "Propose a cover for the printed atlas": "open",
        "Print the first edition": "open",
    }
    survey = Task.objects.get(state="done")
    assert survey.reviews.get().reviewer.username == "linus"


def test_the_demo_survey_bounty_is_paid_to_its_claimant():
    from peerwork.ledger.models import Payout

    assert load_demo()
    survey = Task.objects.get(title="Survey the river crossings")
    payout = Payout.objects.get(subject=f"tasks.task:{survey.pk}")
    assert (payout.state, [(line.user.username, line.amount) for line in payout.lines.all()]) == (
        "paid",
        [("grace", 12000)],
    )
