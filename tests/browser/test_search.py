"""Search in a real browser: the header's search box completes titles as one types on a space's
pages, results of every kind show highlighted snippets and facets that narrow them, and a
members-only space's pages never show to an outsider."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from peerwork.accounts import actions as accounts
from peerwork.ideas import actions as ideas
from peerwork.spaces import actions as spaces
from peerwork.wiki import actions as wiki
from tests.browser.conftest import log_in, screenshot
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def atlas() -> Any:
    ada = accounts.user_signup(username="ada", password=PASSWORD, display_name="Ada")
    accounts.user_signup(username="out", password=PASSWORD, display_name="Out")
    space = spaces.space_create(
        user=ada, slug="atlas", name="Atlas", visibility="public", participation="anyone"
    )
    for title, text in (
        ("River maps", "The river flows past the old mill.\n"),
        ("Roads", "Roads cross the river at two bridges.\n"),
        ("Mountains", "Snow on the peaks.\n"),
    ):
        wiki.page_save(user=ada, space=space, title=title, text=text, base_revision_id=None)
    idea = ideas.idea_create(
        user=ada,
        space=space,
        title="A ferry across the river",
        description="A **ferry** would link both banks of the river.",
    )
    ideas.idea_publish(user=ada, idea=idea)
    secret = spaces.space_create(
        user=ada, slug="vault", name="Vault", visibility="members", participation="members"
    )
    wiki.page_save(
        user=ada,
        space=secret,
        title="River secrets",
        text="The river hides a treasure.\n",
        base_revision_id=None,
    )
    return space


def test_complete_a_title_then_search_words(new_page: Any, atlas: Any) -> None:
    page = new_page()
    page.goto("/s/atlas/")
    box = page.locator("header #site-search")
    box.press_sequentially("Riv", delay=20)
    options = page.locator("#site-search-titles option")
    expect(options).to_have_count(1)
    expect(options).to_have_attribute("value", "River maps")
    box.fill("mill")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=mill$"))
    results = page.locator("ol.search-results > li")
    expect(results).to_have_count(1)
    expect(results.get_by_role("link")).to_have_text("River maps")
    expect(results.locator(".snippet mark")).to_have_text("mill")
    expect(page.locator("header #site-search")).to_have_value("mill")


@pytest.mark.parametrize("width", [1280, 390])
def test_search_everything_from_the_header_and_narrow_by_a_facet(
    new_page: Any, atlas: Any, width: int
) -> None:
    page = new_page()
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/")
    box = page.locator("header #site-search")
    expect(box).to_be_visible()
    box.fill("river")
    box.press("Enter")
    results = page.locator("ol.search-results > li")
    expect(results).to_have_count(3)
    expect(page.locator(".search-summary")).to_have_text("3 results")
    # The idea's snippet is plain text: its Markdown stars are gone.
    idea = results.filter(has_text="A ferry across the river")
    expect(idea.locator(".kind")).to_have_text("Idea")
    expect(idea.locator(".snippet")).to_contain_text("ferry would link both banks")
    expect(idea).to_contain_text("Atlas")
    kinds = page.get_by_test_id("facet-kinds")
    expect(kinds.locator("a")).to_have_text(["Pages 2", "Ideas 1"])
    expect(page.get_by_test_id("facet-spaces").locator("a")).to_have_text(["Atlas 3"])
    expect(page.get_by_text("River secrets")).to_have_count(0)
    screenshot(page, f"after-search-{width}")
    kinds.get_by_role("link", name="Ideas").click()
    expect(page).to_have_url(re.compile(r"/search/\?q=river&kind=idea$"))
    expect(results).to_have_count(1)
    expect(results.get_by_role("link")).to_have_text("A ferry across the river")
    expect(page.get_by_test_id("facet-kinds").locator('a[aria-current="true"]')).to_have_text(
        "Ideas 1"
    )
    page.get_by_role("link", name="Clear the filters").click()
    expect(results).to_have_count(3)


def test_members_only_pages_never_show_to_an_outsider(new_page: Any, atlas: Any) -> None:
    page = new_page()
    log_in(page, "out", PASSWORD)
    page.goto("/search/?q=river&kind=page")
    results = page.locator("ol.search-results > li")
    expect(results).to_have_count(2)
    expect(results.get_by_role("link")).to_have_text(["River maps", "Roads"])
    expect(page.get_by_text("River secrets")).to_have_count(0)
    expect(page.get_by_text("treasure")).to_have_count(0)
    assert page.goto("/s/vault/search/?q=river").status == 404
    ada = new_page()
    log_in(ada, "ada", PASSWORD)
    ada.goto("/search/?q=treasure")
    expect(ada.locator("ol.search-results > li").get_by_role("link")).to_have_text("River secrets")
