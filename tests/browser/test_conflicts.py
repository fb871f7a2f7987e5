"""An edit conflict between two people in two browsers, resolved MediaWiki's way, and a
destructive action that asks in a dialog: nothing anyone typed is lost, nothing acts unasked."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from peerwork.accounts import actions as accounts
from peerwork.spaces import actions as spaces
from peerwork.spaces.models import SpaceMembership
from peerwork.wiki import actions as wiki
from peerwork.wiki.models import Page
from tests.browser.conftest import log_in, screenshot
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

START = "# River maps\n\nThe maps of the rivers.\n\n## Sources\nNone yet.\n"


@pytest.fixture
def garden() -> Any:
    ana = accounts.user_signup(username="ana", password=PASSWORD, display_name="Ana Ruiz")
    bea = accounts.user_signup(username="bea", password=PASSWORD, display_name="Bea")
    space = spaces.space_create(
        user=ana, slug="garden", name="Garden", visibility="public", participation="anyone"
    )
    spaces.space_member_add(user=ana, space=space, member=bea, role="member")
    wiki.page_save(user=ana, space=space, title="Rivers", text=START, base_revision_id=None)
    return space


def _conflict(new_page: Any, width: int, height: int) -> tuple[Any, str]:
    """Ana and Bea open the same page; Ana saves first; Bea's save meets the conflict."""
    ana, bea = new_page(), new_page()
    for page in (ana, bea):
        page.set_viewport_size({"width": width, "height": height})
    log_in(ana, "ana", PASSWORD)
    log_in(bea, "bea", PASSWORD)
    ana.goto("/s/garden/edit/Rivers")
    bea.goto("/s/garden/edit/Rivers")
    ana.get_by_label("Text", exact=True).fill(START.replace("None yet.", "The national atlas."))
    bea_text = START.replace("None yet.", "Field notes <b>2024</b> & the county survey.")
    bea.get_by_label("Text", exact=True).fill(bea_text)
    ana.get_by_role("button", name="Save", exact=True).click()
    expect(ana.get_by_text("Saved.")).to_be_visible()
    bea.get_by_role("button", name="Save", exact=True).click()
    expect(bea.get_by_role("heading", name="Edit conflict")).to_be_visible()
    return bea, bea_text


def test_two_people_meet_an_edit_conflict_and_resolve_it(new_page: Any, garden: Any) -> None:
    bea, bea_text = _conflict(new_page, 1280, 900)
    alert = bea.get_by_test_id("conflict")
    expect(alert).to_contain_text("Ana Ruiz saved this page on")
    expect(alert.get_by_role("link", name="Ana Ruiz")).to_have_attribute("href", "/people/ana/")
    current = bea.get_by_label("The current text (edit it and save)")
    expect(current).to_have_value(START.replace("None yet.", "The national atlas."))
    expect(bea.get_by_test_id("yours")).to_have_value(bea_text)
    for area in bea.locator("textarea").all():
        assert "<<<<<<<" not in area.input_value() and ">>>>>>>" not in area.input_value()
    expect(bea.locator("table.diff")).to_contain_text(
        "Field notes <b>2024</b> & the county survey."
    )
    # A preview on the way keeps her text below the form.
    current.fill(START.replace("None yet.", "The national atlas; field notes and the survey."))
    bea.get_by_role("button", name="Show preview").click()
    expect(bea.get_by_test_id("yours")).to_have_value(bea_text)
    bea.get_by_role("button", name="Save", exact=True).click()
    expect(bea.get_by_text("Saved.")).to_be_visible()
    page = Page.objects.get(title="Rivers")
    assert page.current_revision.content.text == START.replace(
        "None yet.", "The national atlas; field notes and the survey."
    )
    assert page.revisions.count() == 3
    screenshot(bea, "after-conflict-resolved-1280")


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (390, 844)])
def test_the_conflict_page_at_two_widths(
    new_page: Any, garden: Any, width: int, height: int
) -> None:
    bea, bea_text = _conflict(new_page, width, height)
    expect(bea.get_by_test_id("yours")).to_have_value(bea_text)
    # Nothing is wider than the screen.
    overflow = bea.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, overflow
    screenshot(bea, f"after-conflict-{width}")


def test_leaving_asks_in_a_dialog_and_cancel_changes_nothing(new_page: Any, garden: Any) -> None:
    bea = new_page()
    log_in(bea, "bea", PASSWORD)
    bea.goto("/s/garden/")
    bea.get_by_role("button", name="Leave this space").click()
    dialog = bea.locator("#confirm-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Leave this space?")
    expect(dialog).to_contain_text("To come back you have to be invited or ask to join again.")
    screenshot(bea, "confirm-dialog-1280", full_page=False)
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    assert SpaceMembership.objects.filter(space=garden, user__username="bea").exists()
    bea.get_by_role("button", name="Leave this space").click()
    dialog.get_by_role("button", name="Leave this space").click()
    expect(bea.get_by_text("You left Garden.")).to_be_visible()
    assert not SpaceMembership.objects.filter(space=garden, user__username="bea").exists()
