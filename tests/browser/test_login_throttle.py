"""Too many wrong passwords in Chromium: the log-in page says how long to wait, keeps the name,
and lets the person in once the wait is over."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from peerwork.abuse.models import Counter
from peerwork.accounts import actions as accounts
from tests.browser.conftest import log_in, screenshot
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_login_throttle_message_shows_the_wait(new_page: Any, settings: Any) -> None:
    settings.PEERWORK_RATE_LIMITS_ON = True
    accounts.user_signup(username="nia", password=PASSWORD)
    page = new_page()
    for _ in range(5):
        log_in(page, "nia", "not my password")
        expect(page.get_by_text("Please enter a correct username and password")).to_be_visible()
    log_in(page, "nia", PASSWORD)
    message = page.get_by_text("Too many failed sign-ins for this account. Try again in")
    expect(message).to_be_visible()
    expect(message).to_contain_text("minutes.")
    expect(page.get_by_label("Username")).to_have_value("nia")
    screenshot(page, "login-throttled")
    Counter.objects.filter(bucket__startswith="login:").delete()  # the wait is over
    log_in(page, "nia", PASSWORD)
    expect(page.get_by_role("heading", name="Log in")).to_have_count(0)
