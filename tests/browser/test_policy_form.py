"""A steward changes an idea milestone through the policy form in Chromium, adds one with the
"Add a row" button, sees a mistake named and kept, and saves; at desktop and phone widths."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from peerwork.accounts import actions as accounts
from peerwork.spaces import actions as spaces
from peerwork.spaces.models import Space
from tests.browser.conftest import log_in, screenshot
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_steward_changes_a_milestone_through_the_policy_form(new_page: Any) -> None:
    stew = accounts.user_signup(username="stew", password=PASSWORD, display_name="Stew")
    spaces.space_create(user=stew, slug="garden", name="Garden", preset="small-team")
    page = new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, "stew", PASSWORD)

    page.goto("/s/garden/settings/")
    rows = page.locator("#policy-ideas-support-milestones")
    expect(rows.get_by_role("columnheader", name="Supporters")).to_be_visible()
    supporters = rows.get_by_label("Ideas: Support milestones, row 2: Supporters")
    expect(supporters).to_have_value("6")

    # A mistake is named in words, what was typed stays, and nothing is saved.
    supporters.fill("2")
    page.get_by_role("button", name="Save the policy").click()
    problems = page.locator("#policy-problems")
    expect(problems).to_contain_text(
        "Ideas: Support milestones: each milestone must need more supporters"
    )
    expect(rows).to_contain_text("each milestone must need more supporters")
    expect(rows.get_by_label("Ideas: Support milestones, row 2: Supporters")).to_have_value("2")
    assert Space.objects.get(slug="garden").policy["ideas"]["support_milestones"][1] == {
        "supporters": 6,
        "days": 30,
    }

    rows = page.locator("#policy-ideas-support-milestones")
    rows.get_by_label("Ideas: Support milestones, row 2: Supporters").fill("8")
    add = rows.get_by_role("button", name="Add a row")
    expect(add).to_be_visible()
    add.click()  # a fifth row beyond the two blank ones
    expect(rows.locator("tbody tr")).to_have_count(5)
    rows.get_by_label("Ideas: Support milestones, row 3: Supporters").fill("20")
    rows.get_by_label("Ideas: Support milestones, row 3: Within").fill("60")
    screenshot(page, "after-policy-form-1280")
    page.get_by_role("button", name="Save the policy").click()

    expect(page.get_by_text("The policy is saved.")).to_be_visible()
    assert Space.objects.get(slug="garden").policy["ideas"]["support_milestones"] == [
        {"supporters": 3, "days": 14},
        {"supporters": 8, "days": 30},
        {"supporters": 20, "days": 60},
    ]

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/s/garden/settings/#policy-ideas-support-milestones")
    expect(page.get_by_label("Ideas: Support milestones, row 3: Supporters")).to_have_value("20")
    screenshot(page, "after-policy-form-390")
