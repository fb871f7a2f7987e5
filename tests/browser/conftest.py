"""Playwright driving Debian's Chromium against pytest-django's live server.

Never `playwright install`: the browser is the system's /usr/bin/chromium.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"


# Playwright's sync API runs an event loop in this thread, while the ORM calls of the test itself
# (creating people through actions, database setup and flush) stay synchronous; Django must be
# told that is fine. The variable spans each browser test from setup to the end of teardown and
# no further, so it never reaches other tests or their subprocesses (`check --deploy` refuses it).
@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Iterator[None]:
    os.environ[ASYNC_UNSAFE] = "true"
    yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    yield
    os.environ.pop(ASYNC_UNSAFE, None)


# Module scope: Playwright's event loop must be gone before the next, non-browser module runs,
# or Django refuses synchronous database calls in the main thread from then on.
@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(
            "Debian's chromium is not installed at /usr/bin/chromium "
            "(apt-get install chromium); browser tests need it."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture(autouse=True)
def _site_imported() -> None:
    """Import the URLconf (every view module) before a browser asks for a page: the first
    request would otherwise do it inside the browser's 5-second wait, which a busy machine
    can overrun."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018  (the property imports every view module)


#: How long an action or an expectation waits. A passing wait ends as soon as the page is right,
#: so only a failure waits it out; CI's two suites share two cores, and 5 s (Playwright's
#: default) was overrun there by a page that renders in well under a second alone.
TIMEOUT_MS = 20_000
expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture
def new_page(browser: Any, live_server: Any) -> Iterator[Any]:
    """new_page() -> a page in a fresh browser context (its own cookies) on the live server."""
    contexts = []

    def make() -> Any:
        context = browser.new_context(base_url=live_server.url, locale="en-US")
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def log_in(page: Any, username: str, password: str) -> None:
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.locator("main").get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


# Screenshots are test artifacts, never committed: CI keeps the folder; a person opens them to
# read what a reader sees. PEERWORK_ARTIFACTS moves the folder (default var/artifacts).
ARTIFACTS = Path(os.environ.get("PEERWORK_ARTIFACTS", "var/artifacts"))


def screenshot(page: Any, name: str, *, full_page: bool = True) -> Path:
    """Save the page as ARTIFACTS/screenshots/<name>.png and return the path."""
    path = ARTIFACTS / "screenshots" / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=full_page)
    return path
