"""A risky edit held for review and released by a patroller, in a real browser."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from peerwork.accounts import actions as accounts
from peerwork.spaces import actions as spaces
from peerwork.wiki import actions as wiki
from peerwork.wiki.models import HeldEdit, Page
from tests.browser.conftest import log_in, screenshot
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "\n".join(f"A careful sentence about the commons, number {n}." for n in range(30))
SHOUT = "LOL IDIOT!!!!!!!!!!!!"


@pytest.fixture
def atlas() -> Any:
    ana = accounts.user_signup(username="ana", password=PASSWORD, display_name="Ana")
    accounts.user_signup(username="eve", password=PASSWORD, display_name="Eve")
    space = spaces.space_create(
        user=ana, slug="atlas", name="Atlas", visibility="public", participation="anyone"
    )
    # The steward turns holding on, through the same action as the policy settings page.
    spaces.space_policy_update(
        user=ana,
        space=space,
        document={**space.policy, "risk": {"hold_risky_edits": True, "threshold_percent": 80}},
    )
    space.refresh_from_db()
    wiki.page_save(user=ana, space=space, title="Home", text=TEXT, base_revision_id=None)
    return space


def test_a_held_edit_released_by_a_patroller(new_page: Any, atlas: Any) -> None:
    # A new account blanks the page and shouts: the edit is held, the page stays as it was.
    eve = new_page()
    log_in(eve, "eve", PASSWORD)
    eve.goto("/s/atlas/edit/Home")
    eve.get_by_label("Text", exact=True).fill(SHOUT)
    eve.get_by_role("button", name="Save").click()
    expect(eve.get_by_text("Your edit was saved for review")).to_be_visible()
    expect(eve.get_by_test_id("held-waiting")).to_be_visible()
    expect(eve.locator("article.wiki-content")).to_contain_text("number 29.")
    expect(eve.locator("article.wiki-content")).not_to_contain_text("IDIOT")
    held = HeldEdit.objects.get()
    assert held.state == "held"

    # The patroller finds the queue from recent changes and reads why it was held.
    ana = new_page()
    ana.set_viewport_size({"width": 390, "height": 844})
    log_in(ana, "ana", PASSWORD)
    ana.goto("/s/atlas/recent-changes")
    ana.get_by_test_id("held-edits-link").click()
    row = ana.locator(f"#held-{held.pk}")
    expect(row.get_by_test_id("risk-score")).to_contain_text("risk ")
    expect(row.locator(".held-features li").first).to_be_visible()
    expect(row.locator("table.diff")).to_contain_text("IDIOT")
    wide = ana.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
    screenshot(ana, "held-edits-queue-phone")
    assert not wide, "the queue scrolls sideways at phone width"
    row.get_by_test_id("release").click()
    expect(ana.get_by_text("Released: the edit of Home is published.")).to_be_visible()
    expect(ana.get_by_text("No edit waits for review.")).to_be_visible()

    # Everyone now reads the released edit.
    ana.goto("/s/atlas/wiki/Home")
    expect(ana.locator("article.wiki-content")).to_contain_text("IDIOT")
    assert Page.objects.get(title="Home").current_revision.content.text == SHOUT
