"""A forgotten password in Chromium: ask on the log-in page, open the mailed link, choose a
new password, and be signed in; the link then no longer works."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache
from playwright.sync_api import expect

from peerwork.accounts import actions as accounts
from peerwork.accounts.models import User
from tests.browser.conftest import screenshot
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "a whole new passphrase 42"


def test_a_forgotten_password_is_reset_by_mail(new_page: Any, settings: Any) -> None:
    settings.PEERWORK_JOBS_THREADS = 0  # the mail goes before the page answers
    settings.PEERWORK_BASE_URL = ""
    cache.clear()
    accounts.user_signup(
        username="nia", password=PASSWORD, email="nia@example.org", display_name="Nia"
    )

    page = new_page()
    page.goto("/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    expect(page.get_by_role("heading", name="Forgot your password?")).to_be_visible()
    page.get_by_label("Email address").fill("nia@example.org")
    screenshot(page, "password-reset-ask")
    page.get_by_role("button", name="Mail me a link").click()
    expect(page.get_by_role("heading", name="Check your mail")).to_be_visible()
    screenshot(page, "password-reset-sent")

    (message,) = mail.outbox
    assert message.to == ["nia@example.org"]
    link = re.search(r"https?://\S+/password-reset/\S+/", message.body)
    assert link, message.body
    page.goto(link.group(0))
    expect(page).to_have_url(re.compile(r"/password-reset/[\w-]+/set-password/$"))
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password again").fill(NEW_PASSWORD)
    screenshot(page, "password-reset-choose")
    page.get_by_role("button", name="Set my new password").click()

    expect(page.get_by_text("Your new password is set, and you are signed in.")).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    screenshot(page, "password-reset-done")
    nia = User.objects.get(username="nia")
    assert nia.check_password(NEW_PASSWORD)

    # The mail was read, so the address counts as verified; notification mail is chosen here.
    page.goto("/settings/email/")
    expect(page.get_by_text("nia@example.org is verified.")).to_be_visible()
    page.get_by_label("A weekly digest").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your email settings are saved.")).to_be_visible()
    expect(page.get_by_label("A weekly digest")).to_be_checked()
    screenshot(page, "email-settings")

    # The link worked once.
    again = new_page()
    again.goto(link.group(0))
    expect(again.get_by_role("heading", name="This link does not work")).to_be_visible()
    expect(again.get_by_role("link", name="Mail me a new link")).to_be_visible()
