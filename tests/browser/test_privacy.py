"""A profile's privacy in Chromium: a person changes her time zone and chooses who sees it;
a colleague in her space sees it, a stranger does not, and the public activity never tells
anyone her new time zone."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from peerwork.accounts import actions as accounts
from peerwork.spaces import actions as spaces
from tests.browser.conftest import log_in, screenshot
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people() -> None:
    ada = accounts.user_signup(username="ada", password=PASSWORD, display_name="Ada Lovelace")
    grace = accounts.user_signup(username="grace", password=PASSWORD, display_name="Grace Hopper")
    accounts.user_signup(username="mallory", password=PASSWORD, display_name="Mallory")
    space = spaces.space_create(
        user=ada, slug="atlas", name="Open Atlas", visibility="public", participation="anyone"
    )
    spaces.space_member_add(user=ada, space=space, member=grace)


def _time_zone_shown(page: Any) -> Any:
    page.goto("/people/ada/")
    return page.get_by_test_id("profile-time-zone")


def test_a_time_zone_is_seen_by_whom_its_owner_chose(new_page: Any, people: None) -> None:
    ada = new_page()
    log_in(ada, "ada", PASSWORD)
    ada.goto("/settings/profile/")
    ada.get_by_label("Time zone", exact=True).select_option("Pacific/Auckland")
    privacy = ada.get_by_test_id("privacy-settings")
    expect(privacy).to_be_visible()
    # The default: people in my spaces.
    expect(privacy.get_by_label("people in my spaces").first).to_be_checked()
    ada.get_by_role("button", name="Save my profile").click()
    ada.wait_for_load_state()
    expect(ada.get_by_test_id("profile-privacy")).to_contain_text("the people of your spaces")
    screenshot(ada, "after-privacy-1280")

    # A colleague of the same space sees it; a stranger and a reader signed out do not.
    grace = new_page()
    log_in(grace, "grace", PASSWORD)
    expect(_time_zone_shown(grace)).to_have_text("Pacific/Auckland")
    mallory = new_page()
    log_in(mallory, "mallory", PASSWORD)
    expect(_time_zone_shown(mallory)).to_have_count(0)
    reader = new_page()
    expect(_time_zone_shown(reader)).to_have_count(0)

    # Nowhere public tells it: not the site's activity, not her contributions.
    for address in ("/activity/", "/people/ada/activity/"):
        reader.goto(address)
        expect(reader.locator("main")).not_to_contain_text("Auckland")

    # Only me: the colleague no longer sees it either.
    ada.goto("/settings/profile/")
    ada.get_by_test_id("privacy-settings").get_by_label("only me").first.check()
    ada.get_by_role("button", name="Save my profile").click()
    ada.wait_for_load_state()
    expect(_time_zone_shown(grace)).to_have_count(0)
    expect(_time_zone_shown(ada)).to_have_text("Pacific/Auckland")
