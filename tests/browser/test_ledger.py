"""The ledger in a real browser: a steward records funding typed as people write it, a double
click records it once, and everyone sees the balance, the row and the flows chart."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from peerwork.accounts import actions as accounts
from peerwork.ledger.models import Transaction
from peerwork.spaces import actions as spaces
from tests.browser.conftest import log_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def fund() -> Any:
    sara = accounts.user_signup(username="sara", password=PASSWORD)
    return spaces.space_create(
        user=sara, slug="fund", name="Fund", visibility="public", participation="anyone"
    )


def test_funding_recorded_once_and_shown_to_everyone(new_page: Any, fund: Any) -> None:
    steward = new_page()
    log_in(steward, "sara", PASSWORD)
    steward.goto("/s/fund/")
    steward.get_by_role("link", name="Ledger").click()
    expect(steward.get_by_text("The treasury is empty")).to_be_visible()
    form = steward.locator("form", has=steward.get_by_role("button", name="Record the funding"))
    form.get_by_label("Amount").fill("1,500.50")
    form.get_by_label("Currency").fill("EUR")
    form.get_by_label("What it is (public)").fill("Grant from the city")
    form.get_by_label("Reference (stewards only)").fill("GR-17")
    form.get_by_role("button", name="Record the funding").dblclick()
    expect(steward.get_by_text("The funding is recorded.")).to_be_visible()
    assert Transaction.objects.count() == 1
    expect(steward.locator(".ledger-balances")).to_contain_text("€1,500.50")
    expect(steward.locator(".ledger-transactions")).to_contain_text("GR-17")

    reader = new_page()
    reader.goto("/s/fund/ledger/")
    expect(reader.locator(".ledger-balances")).to_contain_text("€1,500.50")
    expect(reader.locator(".ledger-transactions")).to_contain_text("Grant from the city")
    expect(reader.locator(".ledger-transactions")).not_to_contain_text("GR-17")
    expect(reader.locator(".ledger-flows svg title").first).to_contain_text("EUR")
    expect(reader.get_by_role("button", name="Record the funding")).to_have_count(0)
