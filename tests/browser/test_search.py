"""Search in a real browser: the search box completes titles as one types, word search shows
highlighted snippets, and a members-only space's pages never show to an outsider."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from peerwork.accounts import actions as accounts
from peerwork.spaces import actions as spaces
from peerwork.wiki import actions as wiki
from tests.browser.conftest import log_in
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
    box = page.locator("#space-search")
    box.press_sequentially("Riv", delay=20)
    options = page.locator("#space-search-titles option")
    expect(options).to_have_count(1)
    expect(options).to_have_attribute("value", "River maps")
    box.fill("mill")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/s/atlas/search/\?q=mill$"))
    results = page.locator("ol.search-results > li")
    expect(results).to_have_count(1)
    expect(results.get_by_role("link")).to_have_text("River maps")
    expect(results.locator(".snippet mark")).to_have_text("mill")


def test_members_only_pages_never_show_to_an_outsider(new_page: Any, atlas: Any) -> None:
    page = new_page()
    log_in(page, "out", PASSWORD)
    page.goto("/search/?q=river")
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
