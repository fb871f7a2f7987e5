"""The wiki in a real browser: write with a live preview, history, diffs, undo, move, watch,
and an edit conflict between two people that loses nothing anyone typed."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from peerwork.accounts import actions as accounts
from peerwork.activity.models import Watch
from peerwork.spaces import actions as spaces
from peerwork.wiki import actions as wiki
from peerwork.wiki.models import Page
from tests.browser.conftest import log_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def garden() -> Any:
    ana = accounts.user_signup(username="ana", password=PASSWORD, display_name="Ana")
    bea = accounts.user_signup(username="bea", password=PASSWORD, display_name="Bea")
    space = spaces.space_create(
        user=ana, slug="garden", name="Garden", visibility="public", participation="anyone"
    )
    spaces.space_member_add(user=ana, space=space, member=bea, role="member")
    return space


def test_write_edit_compare_undo_move_and_watch_a_page(new_page: Any, garden: Any) -> None:
    ana = new_page()
    log_in(ana, "ana", PASSWORD)

    # A missing page offers to create it.
    response = ana.goto("/s/garden/wiki/Field_notes")
    assert response.status == 404
    ana.get_by_role("link", name="Create it").click()
    expect(ana).to_have_url(re.compile(r"/s/garden/edit/Field_notes$"))

    # The preview follows the typing before anything is saved.
    text = ana.get_by_label("Text", exact=True)
    text.press_sequentially("# Notes\n\nThe *quick* fox.\n", delay=5)
    preview = ana.get_by_test_id("preview")
    expect(preview.get_by_role("heading", name="Notes")).to_be_visible()
    expect(preview.locator("em")).to_have_text("quick")
    assert not Page.objects.filter(title="Field notes").exists()
    ana.get_by_label("Summary").fill("first notes")
    ana.get_by_role("button", name="Save").click()
    expect(ana.get_by_text("Saved.")).to_be_visible()
    expect(ana.locator("#page-title")).to_have_text("Field notes")
    expect(ana.locator("article.wiki-content em")).to_have_text("quick")

    # She edits it.
    ana.locator(".wiki-tabs").get_by_role("link", name="Edit").click()
    text = ana.get_by_label("Text", exact=True)
    expect(text).to_have_value("# Notes\n\nThe *quick* fox.\n")
    text.fill("# Notes\n\nThe *slow* fox.\n")
    ana.get_by_label("Summary").fill("slower")
    ana.get_by_role("button", name="Save").click()
    expect(ana.locator("article.wiki-content em")).to_have_text("slow")

    # The history lists both; she picks the two and compares them.
    ana.locator(".wiki-tabs").get_by_role("link", name="History").click()
    rows = ana.locator("ol.history > li")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("(slower)")
    expect(rows.nth(1)).to_contain_text("(first notes)")
    page = Page.objects.get(title="Field notes")
    first, second = list(page.revisions.order_by("id"))
    ana.locator(f"#from-{first.pk}").check()
    ana.locator(f"#to-{second.pk}").check()
    ana.get_by_role("button", name="Compare selected versions").click()
    expect(ana).to_have_url(re.compile(rf"/s/garden/diff\?to={second.pk}&from={first.pk}&"))
    expect(ana.locator("table.diff del")).to_have_text("quick")
    expect(ana.locator("table.diff ins")).to_have_text("slow")

    # She undoes the second revision.
    ana.locator(".wiki-tabs").get_by_role("link", name="History").click()
    ana.locator(f"#revision-{second.pk}").get_by_role("link", name="undo").click()
    expect(ana.locator("table.diff")).to_be_visible()
    ana.get_by_role("button", name="Save the undo").click()
    expect(ana.get_by_text("Saved.")).to_be_visible()
    expect(ana.locator("article.wiki-content em")).to_have_text("quick")

    # She restores the second version after all, from the history.
    ana.locator(".wiki-tabs").get_by_role("link", name="History").click()
    ana.locator(f"#revision-{second.pk}").get_by_role("link", name="restore this version").click()
    ana.get_by_role("button", name="Save the restored version").click()
    expect(ana.get_by_text("Saved.")).to_be_visible()
    expect(ana.locator("article.wiki-content em")).to_have_text("slow")

    # She moves it; the old title now redirects.
    ana.locator(".wiki-tabs").get_by_role("link", name="Move").click()
    ana.get_by_label("New title").fill("Field journal")
    ana.get_by_role("button", name="Move the page").click()
    expect(ana).to_have_url(re.compile(r"/s/garden/wiki/Field_journal$"))
    expect(ana.get_by_text("The page is moved to Field journal.")).to_be_visible()
    ana.goto("/s/garden/wiki/Field_notes")
    expect(ana.locator(".redirected-from")).to_have_text("(Redirected from Field notes)")
    expect(ana.locator("#page-title")).to_have_text("Field journal")

    # The creator watches the page already; she stops, then watches again.
    ana.get_by_test_id("unwatch").click()
    expect(ana.get_by_text("You no longer watch this page.")).to_be_visible()
    assert not Watch.objects.filter(page__title="Field journal").exists()
    ana.get_by_test_id("watch").click()
    expect(ana.get_by_text("You are watching this page.")).to_be_visible()
    assert Watch.objects.filter(page__title="Field journal", user__username="ana").exists()


def test_edit_conflict_keeps_the_second_persons_text(new_page: Any, garden: Any) -> None:
    ana_user = accounts.user_signup(username="cai", password=PASSWORD)
    wiki.page_save(
        user=ana_user, space=garden, title="Plan", text="one\ntwo\nthree\n", base_revision_id=None
    )
    ana = new_page()
    bea = new_page()
    log_in(ana, "ana", PASSWORD)
    log_in(bea, "bea", PASSWORD)
    ana.goto("/s/garden/edit/Plan")
    bea.goto("/s/garden/edit/Plan")

    ana.get_by_label("Text", exact=True).fill("one\ntwo, said Ana\nthree\n")
    bea_text = "one\nBea's second line <b>bold</b> & more\nthree\n"
    bea.get_by_label("Text", exact=True).fill(bea_text)
    ana.get_by_role("button", name="Save").click()
    expect(ana.get_by_text("Saved.")).to_be_visible()

    response = None

    def remember(resp: Any) -> None:
        nonlocal response
        if resp.request.method == "POST":
            response = resp

    bea.on("response", remember)
    bea.get_by_role("button", name="Save").click()
    expect(bea.get_by_role("heading", name="Edit conflict")).to_be_visible()
    assert response is not None and response.status == 409
    expect(bea.get_by_test_id("yours")).to_have_value(bea_text)
    expect(bea.get_by_label("The current text (edit it and save)")).to_have_value(
        "one\ntwo, said Ana\nthree\n"
    )
    # She resolves it and saves over the current revision.
    bea.get_by_label("The current text (edit it and save)").fill(
        "one\ntwo, said Ana and Bea\nthree\n"
    )
    bea.get_by_role("button", name="Save").click()
    expect(bea.get_by_text("Saved.")).to_be_visible()
    page = Page.objects.get(title="Plan")
    assert page.current_revision.content.text == "one\ntwo, said Ana and Bea\nthree\n"
    assert page.revisions.count() == 3
