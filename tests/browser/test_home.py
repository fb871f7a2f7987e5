"""A newcomer's first minutes in Chromium: sign up, follow the first steps to a space, join
it, and find it on their home; then what waits for them appears there and goes once done."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from peerwork.accounts import actions as accounts
from peerwork.spaces import actions as spaces
from tests.browser.conftest import screenshot
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_newcomer_follows_the_first_steps_into_a_space(new_page: Any) -> None:
    stew = accounts.user_signup(username="stew", password=PASSWORD, display_name="Stew")
    spaces.space_create(
        user=stew, slug="garden", name="Garden", visibility="public", participation="anyone"
    )

    page = new_page()
    page.goto("/signup/")
    page.get_by_label("Username").fill("nia")
    page.get_by_label("Display name").fill("Nia")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    page.goto("/")
    expect(page.get_by_role("heading", name="Welcome, Nia")).to_be_visible()
    expect(page.get_by_role("heading", name="First steps")).to_be_visible()
    expect(page.get_by_text("Nothing waits for you right now.")).to_be_visible()
    screenshot(page, "home-newcomer")

    page.get_by_role("link", name="Find a space and join it").click()
    page.locator("main").get_by_role("link", name="Garden").click()
    page.get_by_role("button", name="Join this space").click()
    page.goto("/")
    expect(page.get_by_role("heading", name="First steps")).to_be_hidden()
    spaces_section = page.locator("#home-your-spaces")
    expect(spaces_section.get_by_role("link", name="Garden")).to_be_visible()
    expect(spaces_section).to_contain_text("You are a member.")

    # An invitation from elsewhere waits on the home, and goes once answered.
    room = spaces.space_create(
        user=stew, slug="room", name="Back Room", visibility="members", participation="members"
    )
    from peerwork.accounts.models import User

    spaces.space_invitation_create(user=stew, space=room, invitee=User.objects.get(username="nia"))
    page.goto("/")
    waiting = page.locator("#home-waiting")
    expect(waiting.get_by_role("link", name="An invitation waits for your answer")).to_be_visible()
    screenshot(page, "home-waiting")
    waiting.get_by_role("link", name="An invitation waits for your answer").click()
    page.locator("main").get_by_role("button", name="Accept").first.click()
    page.goto("/")
    expect(page.locator("#home-waiting")).to_contain_text("Nothing waits for you right now.")
    expect(page.locator("#home-your-spaces").get_by_role("link", name="Back Room")).to_be_visible()
