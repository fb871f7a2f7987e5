"""Notifications and the people directory in Chromium: a watcher reads what happened to the
page she watches (three edits in one entry, opened, one marked read in place, then all), and
on a phone a reader finds a colleague by skill in the directory."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from peerwork.accounts import actions as accounts
from peerwork.activity.actions import watch_set
from peerwork.activity.models import Notification
from peerwork.spaces import actions as spaces
from peerwork.wiki import actions as wiki
from tests.browser.conftest import log_in, screenshot
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def atlas() -> dict[str, Any]:
    ada = accounts.user_signup(username="ada", password=PASSWORD, display_name="Ada Lovelace")
    grace = accounts.user_signup(username="grace", password=PASSWORD, display_name="Grace Hopper")
    linus = accounts.user_signup(username="linus", password=PASSWORD, display_name="Linus Torvalds")
    accounts.user_update_profile(user=linus, person=linus, skills=["kernels", "git"])
    space = spaces.space_create(
        user=ada, slug="atlas", name="Open Atlas", visibility="public", participation="anyone"
    )
    for person in (grace, linus):
        spaces.space_member_add(user=ada, space=space, member=person)
    saved = wiki.page_save(
        user=ada, space=space, title="Main page", text="one\n", base_revision_id=None
    )
    watch_set(user=grace, target=saved.page, watching=True)
    for who, text in ((linus, "two\n"), (ada, "three\n"), (linus, "four\n")):
        saved = wiki.page_save(
            user=who,
            space=space,
            title="Main page",
            text=text,
            base_revision_id=saved.revision.pk,
        )
    other = wiki.page_save(
        user=linus, space=space, title="Rivers", text="Rivers\n", base_revision_id=None
    )
    watch_set(user=grace, target=other.page, watching=True)
    wiki.page_save(
        user=ada,
        space=space,
        title="Rivers",
        text="More rivers\n",
        base_revision_id=other.revision.pk,
    )
    return {"grace": grace}


def test_notifications_are_read_one_by_one_and_all(new_page: Any, atlas: Any) -> None:
    page = new_page()
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, "grace", PASSWORD)
    page.get_by_test_id("nav-notifications").click()
    entries = page.get_by_test_id("notification")
    expect(entries).to_have_count(2)
    group = entries.nth(1)
    expect(group).to_contain_text("3 changes to Main page by Linus Torvalds and Ada Lovelace")
    expect(entries.nth(0)).to_contain_text("Ada Lovelace edited Rivers, which you watch")
    group.locator("summary").click()
    expect(group.get_by_text("Linus Torvalds edited Main page, which you watch")).to_have_count(2)
    screenshot(page, "after-notifications-1280")
    # One marked read in place (htmx): the entry is drawn again, the rest still together.
    group.get_by_test_id("mark-read").first.click()
    expect(page.get_by_test_id("notification")).to_have_count(3)
    expect(
        page.get_by_text("2 changes to Main page by Ada Lovelace and Linus Torvalds")
    ).to_be_visible()
    expect(page.locator("li.entry.read")).to_have_count(1)
    assert Notification.objects.filter(user=atlas["grace"], read_at__isnull=False).count() == 1
    page.get_by_test_id("mark-all-read").click()
    expect(page.get_by_text("3 notifications marked read.")).to_be_visible()
    expect(page.locator("li.entry.unread")).to_have_count(0)
    expect(page.get_by_test_id("nav-notifications")).to_have_text("Notifications")
    # And one made unread again, without JavaScript's help needed: a plain form.
    page.get_by_test_id("mark-unread").first.click()
    expect(page.locator("li.entry.unread")).to_have_count(1)


def test_the_directory_on_a_phone(browser: Any, live_server: Any, atlas: Any) -> None:
    context = browser.new_context(
        base_url=live_server.url, locale="en-US", viewport={"width": 390, "height": 844}
    )
    context.set_default_timeout(5000)
    page = context.new_page()
    try:
        log_in(page, "grace", PASSWORD)
        page.get_by_role("button", name="Menu").click()
        page.get_by_test_id("nav-people").click()
        expect(page.get_by_role("heading", name="People", level=1)).to_be_visible()
        expect(page.get_by_test_id("person")).to_have_count(3)
        page.get_by_label("Name or skill").fill("kernel")
        page.get_by_role("button", name="Show").click()
        people = page.get_by_test_id("person")
        expect(people).to_have_count(1)
        expect(people).to_contain_text("Linus Torvalds")
        expect(people).to_contain_text("Spaces in common: Open Atlas")
        screenshot(page, "after-people-390")
        page.get_by_role("link", name="git").click()
        expect(page.get_by_test_id("person")).to_have_count(1)
        page.get_by_role("link", name="Linus Torvalds").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Linus Torvalds")
    finally:
        context.close()
