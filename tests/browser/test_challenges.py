"""A scored challenge in a real browser: the seeker posts it (its pool set aside from the
treasury) and uploads the hidden answers, a solver uploads predictions (a bad file first,
refused in place), watches the live leaderboard, and after the close everyone sees the private
ranking and the seeker awards the prizes, which are paid."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from peerwork.accounts import actions as accounts
from peerwork.challenges.models import Award, Challenge, Submission
from peerwork.spaces import actions as spaces
from tests.browser.conftest import log_in
from tests.challenges.conftest import fund
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TRUTH = "id,label\n" + "".join(f"{n},{'ab'[n % 2]}\n" for n in range(1, 21))
GOOD = TRUTH.encode()
BAD = b"id,label\n1,a\n2,b\n"


@pytest.fixture
def lab() -> Any:
    sara = accounts.user_signup(username="sara", password=PASSWORD)
    sol = accounts.user_signup(username="sol", password=PASSWORD)
    space = spaces.space_create(
        user=sara, slug="lab", name="Lab", visibility="public", participation="anyone"
    )
    spaces.space_member_add(user=sara, space=space, member=sol, role="member")
    fund(space, sara, amount=5000)
    return space


def _local(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def test_scored_challenge_from_posting_to_award(new_page: Any, lab: Any, time_machine) -> None:
    seeker = new_page()
    log_in(seeker, "sara", PASSWORD)
    seeker.goto("/s/lab/")
    seeker.get_by_role("link", name="Challenges").click()
    seeker.get_by_role("link", name="Post a challenge").click()
    now = timezone.now()
    seeker.get_by_label("Title").fill("Label the rows")
    seeker.get_by_label("Problem statement").fill("Predict the label of each row.")
    seeker.get_by_label("Kind").select_option("scored")
    seeker.get_by_label("Metric (scored challenges)").select_option("accuracy")
    seeker.get_by_label("Show the live leaderboard to everyone").check()
    seeker.get_by_label("Prize pool").fill("10.00")
    seeker.get_by_label("Prize of each place").fill("7\n2")
    seeker.get_by_label("Opens at").fill(_local(now - timedelta(minutes=5)))
    seeker.get_by_label("Closes at (the deadline)").fill(_local(now + timedelta(days=2)))
    seeker.get_by_label("open licence: the work joins the space's commons").check()
    seeker.get_by_role("button", name="Post the challenge").click()
    # The split does not add up: refused in place, with what she typed kept.
    expect(seeker.get_by_text("add up to €9.00, not to the prize pool of €10.00")).to_be_visible()
    expect(seeker.get_by_label("Title")).to_have_value("Label the rows")
    seeker.get_by_label("Prize of each place").fill("7.00\n3")
    seeker.get_by_role("button", name="Post the challenge").click()
    expect(seeker.get_by_text("Your challenge is posted.")).to_be_visible()
    challenge = Challenge.objects.get()
    expect(seeker.locator("#prize-money")).to_contain_text(
        "Prize pool reserved: €10.00 set aside from the treasury"
    )
    expect(seeker.locator("#countdown")).to_have_text(re.compile(r"\d+d \d+h \d+m \d+s left"))

    seeker.get_by_label("…or paste the CSV").fill(TRUTH)
    seeker.get_by_role("button", name="Upload the answers").click()
    expect(seeker.get_by_text("The hidden answers are saved: 20 rows.")).to_be_visible()

    solver = new_page()
    log_in(solver, "sol", PASSWORD)
    solver.goto(f"/s/lab/challenges/{challenge.pk}/")
    solver.get_by_role("link", name="Submit a solution").click()
    solver.get_by_label("Predictions CSV file").set_input_files(
        files=[{"name": "bad.csv", "mimeType": "text/csv", "buffer": BAD}]
    )
    solver.get_by_role("button", name="Submit").click()
    expect(solver.locator(".has-error").first).to_contain_text("Predictions CSV file")
    expect(solver.locator(".has-error").first).to_contain_text("have no prediction")
    assert not Submission.objects.exists()
    solver.get_by_label("Predictions CSV file").set_input_files(
        files=[{"name": "good.csv", "mimeType": "text/csv", "buffer": GOOD}]
    )
    solver.get_by_role("button", name="Submit").click()
    expect(solver.get_by_text("Your submission is in.")).to_be_visible()
    solver.goto(f"/s/lab/challenges/{challenge.pk}/")
    board = solver.locator("#leaderboard")
    expect(board).to_contain_text("Live leaderboard (public part)")
    expect(board.locator("tbody tr")).to_have_count(1)
    expect(board.locator("tbody tr")).to_contain_text("1.000000")

    # The close: the private ranking is revealed to everyone, and the seeker awards.
    time_machine.move_to(challenge.closes_at + timedelta(minutes=1), tick=True)
    anonymous = new_page()
    anonymous.goto(f"/s/lab/challenges/{challenge.pk}/")
    expect(anonymous.locator("#leaderboard")).to_contain_text("Final ranking (private part)")
    expect(anonymous.locator("#leaderboard tbody tr")).to_contain_text("sol")
    seeker.goto(f"/s/lab/challenges/{challenge.pk}/")
    seeker.get_by_role("link", name="Award the prizes…").click()
    # The seeker sees who gets what before confirming.
    expect(seeker.locator("table.award-places")).to_contain_text("€7.00")
    expect(seeker.get_by_test_id("pool")).to_have_text("€10.00")
    assert not Award.objects.exists()
    seeker.get_by_role("button", name="Confirm and award the prizes").click()
    expect(seeker.get_by_text("The prizes are awarded.")).to_be_visible()
    expect(seeker.locator("#awards")).to_contain_text("sol: €7.00")
    expect(seeker.locator("#prize-money")).to_contain_text("€7.00 paid to the winners")
    assert list(Award.objects.values_list("place", "amount")) == [(1, 700)]
