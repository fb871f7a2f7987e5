"""A steward's filter in a real browser: the steward writes and tests it, a newcomer's comment
triggers it and they read the filter's message; a held comment waits and is released."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from peerwork.accounts import actions as accounts
from peerwork.discussions.models import Comment
from peerwork.moderation.models import FilterHit
from peerwork.spaces import actions as spaces
from peerwork.wiki import actions as wiki
from tests.browser.conftest import log_in, screenshot
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def garden() -> Any:
    ana = accounts.user_signup(username="ana", password=PASSWORD, display_name="Ana")
    accounts.user_signup(username="bea", password=PASSWORD, display_name="Bea")
    space = spaces.space_create(
        user=ana, slug="garden", name="Garden", visibility="public", participation="anyone"
    )
    wiki.page_save(user=ana, space=space, title="Seed bank", text="Seeds.\n", base_revision_id=None)
    return space


def test_a_filter_refuses_a_comment_and_the_person_reads_why(new_page: Any, garden: Any) -> None:
    ana = new_page()
    log_in(ana, "ana", PASSWORD)
    ana.goto("/s/garden/moderation/filters/new")
    ana.get_by_label("Name").fill("Casino")
    ana.get_by_label("Text added matches").fill(r"\bcasino\b")
    ana.get_by_label("Then").select_option("refuse")
    ana.get_by_label("Message to the person").fill("No gambling adverts in the garden.")
    ana.get_by_label("Enabled").check()
    ana.get_by_role("button", name="Save filter").click()
    expect(ana.get_by_text("The filter is saved.")).to_be_visible()

    bea = new_page()
    log_in(bea, "bea", PASSWORD)
    bea.goto("/s/garden/discussion/Seed_bank")
    bea.get_by_label("New comment").fill("Best casino in town!")
    bea.get_by_role("button", name="Post comment").click()
    expect(bea.get_by_text("No gambling adverts in the garden.")).to_be_visible()
    expect(bea.get_by_label("New comment")).to_have_value("Best casino in town!")
    screenshot(bea, "moderation-refused")
    assert not Comment.objects.exists()
    assert FilterHit.objects.get().user.username == "bea"

    # The steward sees the hit in the filter's log and its counts.
    ana.goto("/s/garden/moderation/filters/")
    expect(ana.locator("table tbody tr td").nth(3)).to_have_text("1")
    ana.get_by_role("link", name="Casino").click()
    expect(ana.locator("#hits-heading + table")).to_contain_text("bea")


def test_a_held_comment_waits_for_the_moderator(new_page: Any, garden: Any) -> None:
    ana = new_page()
    log_in(ana, "ana", PASSWORD)
    ana.goto("/s/garden/moderation/filters/new")
    ana.get_by_label("Name").fill("Links")
    ana.get_by_label("Text added matches").fill(r"https?://")
    ana.get_by_label("Then").select_option("hold")
    ana.get_by_label("Enabled").check()
    ana.get_by_role("button", name="Save filter").click()

    bea = new_page()
    log_in(bea, "bea", PASSWORD)
    bea.goto("/s/garden/discussion/Seed_bank")
    bea.get_by_label("New comment").fill("See http://example.org for seeds")
    bea.get_by_role("button", name="Post comment").click()
    expect(bea.get_by_role("status")).to_have_text(
        "Your comment is saved and awaits a moderator's review."
    )
    comment = Comment.objects.get()
    expect(bea.get_by_test_id(f"held-{comment.pk}")).to_be_visible()

    ana.goto("/s/garden/moderation/queue/")
    expect(ana.get_by_text("See http://example.org for seeds")).to_be_visible()
    ana.get_by_role("button", name="Release").click()
    expect(ana.get_by_text("Decided.")).to_be_visible()
    assert not Comment.objects.get().is_held
