"""The web shell in a real browser: openness, membership and activity, language, form errors."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from peerwork.accounts import actions as accounts
from peerwork.activity.models import Event
from peerwork.spaces.models import Space, SpaceMembership
from tests.browser.conftest import log_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_members_only_space_from_signup_to_activity(new_page: Any) -> None:
    accounts.user_signup(username="bea", password=PASSWORD, display_name="Bea")
    accounts.user_signup(username="carl", password=PASSWORD)

    # Ana signs up in the browser.
    ana = new_page()
    ana.goto("/signup/")
    ana.get_by_label("Username").fill("ana")
    ana.get_by_label("Display name").fill("Ana")
    ana.get_by_label("Password", exact=True).fill(PASSWORD)
    ana.get_by_label("Password again").fill(PASSWORD)
    ana.get_by_role("button", name="Create my account").click()
    expect(ana.get_by_text("Welcome to peerwork, Ana.")).to_be_visible()

    # She creates an organization.
    ana.get_by_role("link", name="Organizations").click()
    ana.get_by_role("link", name="Create an organization").click()
    ana.get_by_label("Short name").fill("acme")
    ana.get_by_label("Name", exact=True).fill("Acme Cooperative")
    ana.get_by_role("button", name="Create the organization").click()
    expect(ana.get_by_role("heading", name="Acme Cooperative")).to_be_visible()

    # She creates a members-only space.
    ana.goto("/")
    ana.locator("main").get_by_role("link", name="Create a space").click()
    ana.get_by_label("Short name").fill("back-room")
    ana.get_by_label("Name", exact=True).fill("Back Room")
    ana.get_by_label("Description").fill("Where the plans are drawn.")
    ana.get_by_label("members: only members may read, and it is not listed").check()
    ana.get_by_label("only members may contribute").check()
    ana.get_by_role("button", name="Create the space").click()
    expect(ana.get_by_role("heading", name="Back Room")).to_be_visible()
    expect(ana.get_by_test_id("your-role")).to_have_text("steward")

    # She adds Bea on the members page.
    ana.locator("main").get_by_role("link", name="Members").first.click()
    ana.get_by_label("Person (username)").first.fill("bea")
    ana.get_by_role("button", name="Add", exact=True).click()
    expect(ana.get_by_text("Bea is now a member.")).to_be_visible()
    expect(ana.locator("table.members")).to_contain_text("Bea")
    space = Space.objects.get(slug="back-room")
    assert (space.visibility, space.participation) == ("members", "members")
    assert SpaceMembership.objects.filter(space=space, user__username="bea").count() == 1

    # Carl, an outsider, gets the not-found page.
    carl = new_page()
    log_in(carl, "carl", PASSWORD)
    response = carl.goto("/s/back-room/")
    assert response.status == 404
    expect(carl.get_by_role("heading", name="Not found")).to_be_visible()
    expect(carl.locator("body")).not_to_contain_text("Back Room")

    # Bea sees the space on the home page and opens it.
    bea = new_page()
    log_in(bea, "bea", PASSWORD)
    bea.goto("/")
    bea.get_by_role("link", name="Back Room").click()
    expect(bea).to_have_url(re.compile(r"/s/back-room/$"))
    expect(bea.get_by_test_id("your-role")).to_have_text("member")

    # The activity page lists each step.
    bea.locator(".tabs").get_by_role("link", name="Activity").click()
    events = bea.locator("ol.events > li")
    expect(events).to_have_count(2)
    expect(events.nth(0)).to_contain_text("Ana added a member Back Room")
    expect(events.nth(0)).to_contain_text("Person: Bea")
    expect(events.nth(0)).to_contain_text("Role: member")
    expect(events.nth(1)).to_contain_text("Ana created the space Back Room")
    assert list(
        Event.objects.filter(space=space).order_by("id").values_list("verb", flat=True)
    ) == [
        "space:created",
        "space:member_added",
    ]


def test_switching_the_language_to_spanish(new_page: Any) -> None:
    page = new_page()
    page.goto("/spaces/")
    page.get_by_label("Language").select_option("es")
    page.get_by_role("button", name="Change").click()

    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page).to_have_url(re.compile(r"/spaces/$"))
    expect(page.get_by_role("heading", name="Espacios", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Organizaciones")).to_be_visible()
    expect(page.get_by_role("link", name="Regístrate")).to_be_visible()


def test_bad_space_slug_shows_the_error_and_keeps_the_typing(new_page: Any) -> None:
    accounts.user_signup(username="ana", password=PASSWORD)
    page = new_page()
    log_in(page, "ana", PASSWORD)
    page.goto("/spaces/new/")
    page.get_by_label("Short name").fill("Bad Slug!")
    page.get_by_label("Name", exact=True).fill("My Garden")
    page.get_by_label("Description").fill("Tomatoes and beans.")
    page.get_by_role("button", name="Create the space").click()

    expect(page.locator(".field.has-error .errorlist")).to_contain_text(
        "Use 1 to 50 lowercase letters, digits and hyphens"
    )
    expect(page.get_by_label("Short name")).to_have_value("Bad Slug!")
    expect(page.get_by_label("Name", exact=True)).to_have_value("My Garden")
    expect(page.get_by_label("Description")).to_have_value("Tomatoes and beans.")
    assert Space.objects.count() == 0
