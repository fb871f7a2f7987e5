"""The site on a 390-pixel phone, in Chromium: the menus fold behind one button, tabs stay on
one line and scroll, a diff reads as one column, and no page scrolls sideways. Each page is
saved as a screenshot (var/artifacts/screenshots/phone-*.png) for a person to look at."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.db.models import Count
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from peerwork.challenges.models import Challenge
from peerwork.demo import DEMO_PASSWORD, load_demo
from peerwork.ideas.models import Idea
from peerwork.wiki.models import Page, Revision
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def phone_page(
    browser: Any, live_server: Any, locale: str = "en-US", *, signed_in: str = ""
) -> Any:
    """A page in a phone-sized browser; signed in as `signed_in` through a session cookie,
    so the sign-in form's language does not matter."""
    context = browser.new_context(
        base_url=live_server.url,
        locale=locale,
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(5000)
    if signed_in:
        client = Client()
        assert client.login(username=signed_in, password=DEMO_PASSWORD)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return context.new_page()


def no_sideways_scroll(page: Any) -> None:
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"{page.url} is {widths[0]}px wide on a {widths[1]}px screen"


def demo_addresses() -> dict[str, str]:
    page = (
        Page.objects.filter(space__slug="open-atlas", is_deleted=False)
        .annotate(edits=Count("revisions"))
        .filter(edits__gte=2)
        .order_by("-edits")
        .first()
    )
    assert page is not None, "the demo has a page edited twice"
    newest, older = Revision.objects.filter(page=page).order_by("-id")[:2]
    idea = Idea.objects.filter(space__slug="open-atlas").order_by("id").first()
    challenge = Challenge.objects.order_by("id").first()
    assert idea is not None and challenge is not None
    return {
        "home": "/",
        "space": "/s/open-atlas/",
        "page": f"/s/open-atlas/wiki/{page.title.replace(' ', '_')}",
        "diff": f"/s/open-atlas/diff?from={older.pk}&to={newest.pk}",
        "idea": reverse("ideas:detail", args=["open-atlas", idea.pk]),
        "challenge": reverse("challenges:detail", args=[challenge.space.slug, challenge.pk]),
    }


@pytest.mark.parametrize("locale", ["en-US", "es-ES"])
def test_phone_pages(browser: Any, live_server: Any, locale: str) -> None:
    load_demo()
    addresses = demo_addresses()
    language = locale[:2]
    page = phone_page(browser, live_server, locale, signed_in="ada")
    for name, address in addresses.items():
        page.goto(address)
        page.wait_for_load_state()
        no_sideways_scroll(page)
        screenshot(page, f"phone-{name}-{language}")


def test_menu_folds_and_opens_with_mouse_and_keyboard(browser: Any, live_server: Any) -> None:
    load_demo()
    page = phone_page(browser, live_server, signed_in="ada")
    page.goto("/")
    menu = page.locator("#site-menu")
    toggle = page.get_by_role("button", name="Menu")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(menu.get_by_role("link", name="Spaces")).to_be_hidden()
    screenshot(page, "phone-menu-closed", full_page=False)

    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(menu.get_by_role("link", name="Spaces")).to_be_visible()
    expect(menu.get_by_test_id("nav-notifications")).to_be_visible()
    screenshot(page, "phone-menu-open", full_page=False)
    # One link per line, each tall enough for a thumb.
    boxes = [menu.get_by_role("link", name=n).bounding_box() for n in ("Spaces", "Organizations")]
    assert boxes[0]["x"] == boxes[1]["x"] and boxes[0]["y"] < boxes[1]["y"]
    assert all(box["height"] >= 40 for box in boxes)

    page.keyboard.press("Escape")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_be_focused()
    expect(menu.get_by_role("link", name="Spaces")).to_be_hidden()
    page.keyboard.press("Enter")
    expect(menu.get_by_role("link", name="Spaces")).to_be_visible()
    menu.get_by_role("link", name="Spaces").click()
    expect(page).to_have_url(live_server.url + reverse("spaces:list"))


def test_wide_screen_shows_the_menus_without_a_button(new_page: Any) -> None:
    load_demo()
    page = new_page()
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/")
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    expect(page.locator("#site-menu").get_by_role("link", name="Spaces")).to_be_visible()


def test_without_script_the_menus_stay_open(browser: Any, live_server: Any) -> None:
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, java_script_enabled=False
    )
    load_demo()
    page = context.new_page()
    page.goto("/")
    expect(page.locator("#site-menu").get_by_role("link", name="Spaces")).to_be_visible()
    expect(page.locator(".menu-toggle")).to_be_hidden()
    context.close()


def test_tabs_scroll_on_one_line(browser: Any, live_server: Any) -> None:
    load_demo()
    page = phone_page(browser, live_server, signed_in="ada")  # a steward sees every tab
    page.goto("/s/open-atlas/wiki/")  # the main page
    tabs = page.locator(".wiki-tabs li")
    count = tabs.count()
    assert count >= 6
    tops = {round(tabs.nth(n).bounding_box()["y"]) for n in range(count)}
    assert len(tops) == 1, "the tabs wrapped onto several lines"
    scroller = page.locator(".wiki-tabs ul")
    widths = scroller.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert widths[0] > widths[1], "so many tabs fit no phone: they scroll"
    no_sideways_scroll(page)


def test_diff_reads_as_one_column(browser: Any, live_server: Any) -> None:
    load_demo()
    address = demo_addresses()["diff"]
    page = phone_page(browser, live_server)
    page.goto(address)
    changed = page.locator("table.diff-side tr.diff-changed").first
    if changed.count() == 0:
        pytest.fail("the demo diff has a changed line")
    old, new = changed.locator("td.old"), changed.locator("td.new")
    old_box, new_box = old.bounding_box(), new.bounding_box()
    assert new_box["y"] >= old_box["y"] + old_box["height"] - 1, "the new line sits below the old"
    assert abs(new_box["x"] - old_box["x"]) < 2, "in the same column"
    # An unchanged line shows once.
    context_row = page.locator("table.diff-side tr.diff-context").first
    if context_row.count():
        expect(context_row.locator("td.new")).to_be_hidden()
        expect(context_row.locator("td.old")).to_be_visible()
    no_sideways_scroll(page)
    screenshot(page, "phone-diff-stacked")

    page.set_viewport_size({"width": 1280, "height": 800})
    old_box, new_box = old.bounding_box(), new.bounding_box()
    assert new_box["x"] > old_box["x"] + old_box["width"] - 1, "side by side on a wide screen"
