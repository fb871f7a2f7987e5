"""A bounty task in a real browser: a steward funds the treasury on the ledger page and posts
the task, another person claims it from the board and delivers, a third person reviews and
approves it; the task shows done, and the bounty is on the ledger page, on the claimant's
earnings page and in the ledger's CSV."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from playwright.sync_api import expect

from peerwork.accounts import actions as accounts
from peerwork.ledger.models import Payout
from peerwork.spaces import actions as spaces
from peerwork.tasks.models import Task
from tests.browser.conftest import log_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def lab() -> Any:
    sara = accounts.user_signup(username="sara", password=PASSWORD)
    space = spaces.space_create(
        user=sara, slug="lab", name="Lab", visibility="public", participation="anyone"
    )
    for name in ("wren", "rita"):
        person = accounts.user_signup(username=name, password=PASSWORD)
        spaces.space_member_add(user=sara, space=space, member=person, role="member")
    return space


def test_bounty_task_from_posting_to_done(new_page: Any, lab: Any) -> None:
    steward = new_page()
    log_in(steward, "sara", PASSWORD)
    steward.goto("/s/lab/")
    steward.get_by_role("link", name="Ledger", exact=True).click()
    funding = steward.locator("form", has=steward.get_by_role("button", name="Record the funding"))
    funding.get_by_label("Amount").fill("100")
    funding.get_by_label("Currency").fill("EUR")
    funding.get_by_label("What it is (public)").fill("Grant from the city")
    funding.get_by_role("button", name="Record the funding").click()
    expect(steward.get_by_text("The funding is recorded.")).to_be_visible()
    steward.get_by_role("link", name="Tasks", exact=True).click()
    steward.get_by_role("link", name="Post a task").click()
    steward.get_by_label("Title").fill("Map the fountains")
    steward.get_by_label("Description").fill("Walk the **old town**.")
    steward.get_by_label("Skills wanted").fill("cartography")
    steward.get_by_label("Bounty").fill("-5")
    steward.get_by_role("button", name="Post the task").click()
    # Refused in place, with what she typed kept.
    expect(steward.get_by_text("An amount cannot be negative.")).to_be_visible()
    expect(steward.get_by_label("Title")).to_have_value("Map the fountains")
    steward.get_by_label("Bounty").fill("25.50")
    steward.get_by_role("button", name="Post the task").click()
    expect(steward.get_by_text("Your task is posted.")).to_be_visible()
    expect(steward.locator("#bounty")).to_have_text("€25.50")
    task = Task.objects.get()
    assert (task.bounty, task.currency) == (2550, "EUR")

    worker = new_page()
    log_in(worker, "wren", PASSWORD)
    worker.goto("/s/lab/tasks/")
    card = worker.locator(f'[data-task="{task.pk}"]')
    card.get_by_role("button", name="Claim").click()
    expect(worker.get_by_text("You claim this task.")).to_be_visible()
    expect(worker.locator('[data-column="claimed"]')).to_contain_text("Map the fountains")
    worker.goto(f"/s/lab/tasks/{task.pk}/")
    worker.get_by_label("What you did").fill("41 fountains, each with a photo.")
    worker.get_by_label("Links").fill("https://example.org/fountains")
    worker.get_by_role("button", name="Deliver for review").click()
    expect(worker.get_by_text("Your work is delivered; a peer will review it.")).to_be_visible()
    expect(worker.locator(".review-form")).to_have_count(0)

    reviewer = new_page()
    log_in(reviewer, "rita", PASSWORD)
    reviewer.goto(f"/s/lab/tasks/{task.pk}/")
    reviewer.get_by_label("approve", exact=True).check()
    reviewer.get_by_label("Reason").fill("Checked five on the ground.")
    reviewer.get_by_role("button", name="Send the review").click()
    expect(reviewer.get_by_text("The delivery is approved and the task is done.")).to_be_visible()
    expect(reviewer.locator("h2 .badge")).to_have_text("done")
    expect(reviewer.locator("#bounty .payout")).to_have_text("paid")
    worker.reload()
    expect(worker.locator("h2 .badge")).to_have_text("done")
    task.refresh_from_db()
    assert task.state == "done"
    payout = Payout.objects.get()
    assert (payout.state, [(line.user.username, line.amount) for line in payout.lines.all()]) == (
        "paid",
        [("wren", 2550)],
    )

    # The bounty in the open: the ledger page, the claimant's earnings and the CSV.
    reader = new_page()
    reader.goto("/s/lab/ledger/")
    rows = reader.locator(".ledger-transactions")
    expect(rows).to_contain_text("Map the fountains")
    expect(rows).to_contain_text("€25.50")
    reader.goto("/s/lab/ledger/people/wren/")
    expect(reader.get_by_role("heading", name="Earnings of wren")).to_be_visible()
    expect(reader.locator("table.list").first).to_contain_text("€25.50")
    response = reader.request.get("/s/lab/ledger/transactions.csv")
    assert response.ok
    table = list(csv.DictReader(io.StringIO(response.text())))
    bounty = [row for row in table if row["kind"] == "bounty"]
    assert [(row["amount_minor"], row["earnings"], row["memo"]) for row in bounty] == [
        ("2550", "wren:2550", "Map the fountains")
    ]
    assert {row["kind"] for row in table} == {"funding", "reserve", "bounty"}
