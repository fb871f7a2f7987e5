"""The markup toolbar in a real browser: bold a selection, link it, save, and read the result;
and the challenge form on a phone."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from peerwork.accounts import actions as accounts
from peerwork.spaces import actions as spaces
from peerwork.wiki.models import Page
from tests.browser.conftest import log_in, screenshot
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def garden() -> Any:
    ana = accounts.user_signup(username="ana", password=PASSWORD, display_name="Ana Alvarez")
    bea = accounts.user_signup(username="bea", password=PASSWORD, display_name="Bea Bravo")
    space = spaces.space_create(
        user=ana, slug="garden", name="Garden", visibility="public", participation="anyone"
    )
    spaces.space_member_add(user=ana, space=space, member=bea, role="member")
    return space


def select(text: Any, words: str) -> None:
    """Select `words` in the text area, as a person dragging over them would."""
    text.evaluate(
        "(area, words) => { const at = area.value.indexOf(words);"
        " area.focus(); area.setSelectionRange(at, at + words.length); }",
        words,
    )


def test_the_toolbar_bolds_and_links_a_selection_and_the_page_shows_it(
    new_page: Any, garden: Any
) -> None:
    ana = new_page()
    ana.set_viewport_size({"width": 1280, "height": 900})
    log_in(ana, "ana", PASSWORD)
    ana.goto("/s/garden/edit/Field_notes")
    toolbar = ana.get_by_role("toolbar", name="Formatting")
    expect(toolbar).to_be_visible()
    expect(ana.get_by_text("How to write it")).to_have_attribute("href", "/help/markup/")

    text = ana.get_by_label("Text", exact=True)
    text.fill("The quick fox sees the river.")
    select(text, "quick")
    toolbar.get_by_role("button", name="Bold").click()
    expect(text).to_have_value("The **quick** fox sees the river.")
    # The bolded words stay selected: bold again would be one click away.
    assert text.evaluate("a => a.value.slice(a.selectionStart, a.selectionEnd)") == "quick"

    # A web link: the address is selected, ready to be typed over.
    select(text, "fox")
    toolbar.get_by_role("button", name="Link to a web address").click()
    ana.keyboard.type("https://example.org/fox")
    expect(text).to_have_value("The **quick** [fox](https://example.org/fox) sees the river.")

    # A link to a page of the space, by keyboard shortcut.
    select(text, "river")
    text.press("Control+Shift+K")
    expect(text).to_have_value("The **quick** [fox](https://example.org/fox) sees the [[river]].")
    preview = ana.get_by_test_id("preview")
    expect(preview.locator("strong")).to_have_text("quick")
    screenshot(ana, "after-editor-1280")

    ana.get_by_role("button", name="Save").click()
    expect(ana.get_by_text("Saved.")).to_be_visible()
    article = ana.locator("article.wiki-content")
    expect(article.locator("strong")).to_have_text("quick")
    expect(article.get_by_role("link", name="fox")).to_have_attribute(
        "href", "https://example.org/fox"
    )
    expect(article.get_by_role("link", name="river")).to_have_attribute(
        "href", re.compile(r"/s/garden/(wiki|edit)/River")
    )
    assert Page.objects.get(title="Field notes").current_revision.content.text == (
        "The **quick** [fox](https://example.org/fox) sees the [[river]]."
    )


def test_the_text_area_works_without_the_script(
    browser: Any, live_server: Any, garden: Any
) -> None:
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    log_in(page, "ana", PASSWORD)
    page.goto("/s/garden/edit/Plain")
    expect(page.get_by_role("toolbar", name="Formatting")).to_be_hidden()
    page.get_by_label("Text", exact=True).fill("Plain **text**.")
    page.get_by_role("button", name="Save").click()
    assert Page.objects.get(title="Plain").current_revision.content.text == "Plain **text**."
    context.close()


def test_the_challenge_form_on_a_phone(new_page: Any, garden: Any) -> None:
    ana = new_page()
    ana.set_viewport_size({"width": 390, "height": 844})
    log_in(ana, "ana", PASSWORD)
    ana.goto("/s/garden/challenges/new")
    form = ana.locator("main form.stacked")
    first = form.locator("input[type=text], textarea").first
    expect(first).to_have_attribute("name", "title")
    expect(form.get_by_label("Bea Bravo")).to_be_visible()
    expect(form.get_by_text(re.compile(r"Times in UTC\."))).to_have_count(2)
    width = ana.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the form is {width}px wide on a 390px screen"
    screenshot(ana, "after-challenge-form-390")
