"""In a real browser: typing an idea's title shows the duplicate warning naming existing work
of other kinds (a task, in Spanish too), with the reason."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from peerwork.accounts import actions as accounts
from peerwork.ideas import actions as ideas
from peerwork.spaces import actions as spaces
from peerwork.tasks import actions as tasks
from tests.browser.conftest import log_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def barrio() -> Any:
    stew, ana = (
        accounts.user_signup(username=name, password=PASSWORD, display_name=name.title())
        for name in ("stew", "ana")
    )
    space = spaces.space_create(
        user=stew, slug="barrio", name="Barrio", visibility="public", participation="anyone"
    )
    tasks.task_create(user=stew, space=space, title="Repair the broken water point in the park")
    idea = ideas.idea_create(user=stew, space=space, title="Plantar árboles en la plaza")
    ideas.idea_publish(user=stew, idea=idea)
    return idea


def test_typing_an_idea_title_warns_of_similar_work(new_page: Any, barrio: Any) -> None:
    plaza = barrio
    ana = new_page()
    log_in(ana, "ana", PASSWORD)
    ana.goto("/s/barrio/ideas/new")
    ana.get_by_test_id("idea-title").press_sequentially("Fix the water point", delay=20)
    warning = ana.get_by_test_id("similar-ideas")
    expect(warning).to_contain_text("Repair the broken water point in the park")
    expect(warning).to_contain_text("task")
    expect(warning).to_contain_text("water")
    ana.get_by_test_id("idea-title").fill("")
    ana.get_by_test_id("idea-title").press_sequentially("ARBOLES para la plaza", delay=20)
    expect(warning).to_contain_text("Plantar árboles en la plaza")
    expect(warning).not_to_contain_text("water point")
    expect(warning.get_by_role("link", name="Plantar árboles en la plaza")).to_have_attribute(
        "href", f"/s/barrio/ideas/{plaza.pk}/"
    )
