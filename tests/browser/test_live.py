"""Recent changes update themselves in the browser as changes arrive, over the space's
Server-Sent Events stream, without a reload."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from peerwork.accounts import actions as accounts
from peerwork.spaces import actions as spaces
from peerwork.wiki import actions as wiki
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_new_change_appears_on_an_open_recent_changes_page(new_page: Any, settings: Any) -> None:
    settings.PEERWORK_LIVE_POLL = 0.2
    ana = accounts.user_signup(username="ana", password=PASSWORD)
    space = spaces.space_create(user=ana, slug="garden", name="Garden")
    wiki.page_save(user=ana, space=space, title="Seeds", text="a\n", base_revision_id=None)

    page = new_page()
    page.goto("/s/garden/recent-changes")
    changes = page.locator("#changes")
    expect(changes).to_contain_text("Seeds")
    expect(page.get_by_test_id("live")).to_be_attached()
    page.evaluate("window.stillTheSamePage = true")
    # The stream is open before the change is made (htmx connects once the page has loaded).
    page.wait_for_function("() => window.htmx !== undefined")
    page.wait_for_timeout(500)

    wiki.page_save(
        user=ana, space=space, title="Compost", text="b\n", base_revision_id=None, summary="heap"
    )
    expect(changes).to_contain_text("Compost", timeout=8000)
    expect(changes).to_contain_text("heap")
    assert page.evaluate("window.stillTheSamePage") is True
    assert changes.inner_text().index("Compost") < changes.inner_text().index("Seeds")
