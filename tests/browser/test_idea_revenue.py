"""An accepted idea's revenue in a real browser: a steward types it as people write it, a
refused amount keeps what was typed, and the creators' paid parts show on the idea."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from peerwork.accounts import actions as accounts
from peerwork.ideas import actions as ideas
from peerwork.ledger.models import Transaction
from peerwork.spaces import actions as spaces
from tests.browser.conftest import log_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shop() -> Any:
    people = {
        name: accounts.user_signup(username=name, password=PASSWORD, display_name=name.title())
        for name in ("ana", "bea", "stew", "fan")
    }
    space = spaces.space_create(
        user=people["stew"], slug="shop", name="Shop", visibility="public", participation="anyone"
    )
    space = spaces.space_policy_update(
        user=people["stew"],
        space=space,
        document={
            "ideas": {
                "support_milestones": [{"supporters": 1, "days": 30}],
                "revenue_share_basis_points": 1000,
            }
        },
    )
    idea = ideas.idea_create(user=people["ana"], space=space, title="Seed library", share=2)
    ideas.idea_invite_creator(user=people["ana"], idea=idea, invitee=people["bea"], share=1)
    ideas.idea_invitation_respond(user=people["bea"], idea=idea, accept=True)
    idea = ideas.idea_publish(user=people["ana"], idea=idea)
    ideas.idea_support(user=people["fan"], idea=idea)
    idea.refresh_from_db()
    return ideas.idea_review(user=people["stew"], idea=idea, decision="accept", reason="Yes.")


def test_a_steward_records_revenue_and_the_creators_parts_show(new_page: Any, shop: Any) -> None:
    stew = new_page()
    log_in(stew, "stew", PASSWORD)
    stew.goto(f"/s/shop/ideas/{shop.pk}/")
    expect(stew.get_by_text("No revenue recorded yet.")).to_be_visible()
    stew.get_by_text("Record revenue", exact=True).first.click()
    stew.get_by_label("Net revenue").fill("12.3.4")
    stew.get_by_role("button", name="Record revenue").click()
    expect(stew.locator(".has-error").first).to_contain_text("Net revenue")
    expect(stew.get_by_label("Net revenue")).to_have_value("12.3.4")
    assert not Transaction.objects.exists()
    stew.get_by_label("Net revenue").fill("100.01")
    stew.get_by_role("button", name="Record revenue").click()
    expect(
        stew.get_by_text("Revenue recorded; the creators' share is in the ledger.")
    ).to_be_visible()
    # 10 % of 100.01 is 10.001: 10.00 to the creators, split 667:333 basis points.
    expect(stew.get_by_test_id("revenue")).to_contain_text("€100.01")
    expect(stew.get_by_test_id("revenue")).to_contain_text("Ana: €6.67, Bea: €3.33")
