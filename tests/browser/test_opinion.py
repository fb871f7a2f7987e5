"""An opinion map in a real browser: a member opens a proposal's map with votes, sees the
groups drawn and listed, votes on the next statement, and sees the map marked outdated; at
phone width the map fits the screen."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from peerwork.accounts import actions as accounts
from peerwork.governance import actions, opinion_actions
from peerwork.governance.models import OpinionMap, StatementVote
from peerwork.spaces import actions as spaces
from tests.browser.conftest import log_in, screenshot
from tests.conftest import PASSWORD
from tests.governance.opinion_synthetic import planted

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def mapped(monkeypatch: pytest.MonkeyPatch) -> Any:
    """A public space's proposal with two planted camps of voters, its map computed. The job
    that would compute it again waits an hour, so the page shows what the test did."""
    monkeypatch.setattr(opinion_actions, "DEBOUNCE_SECONDS", 3600)
    stew = accounts.user_signup(username="stew", password=PASSWORD)
    space = spaces.space_create(
        user=stew, slug="town", name="Town", visibility="public", participation="anyone"
    )
    ada = accounts.user_signup(username="ada", password=PASSWORD)
    proposal = actions.proposal_create(
        user=stew, space=space, title="Open the library on Sundays", method_name="consent"
    )
    data = planted(2, per_camp=10, statements_per_camp=4, shared=2, seed=5)
    statements = [
        opinion_actions.statement_add(
            user=stew, proposal=proposal, text=f"Statement number {i} (camp {camp})."
        )
        for i, camp in data.statement_camp.items()
    ]
    voters = [
        accounts.user_signup(username=f"voter{n}", password=PASSWORD)
        for n in range(len(data.camp_of))
    ]
    StatementVote.objects.bulk_create(
        StatementVote(statement=statements[c], proposal=proposal, voter=voters[r], value=v)
        for r, c, v in data.votes.cells
    )
    opinion_actions.opinion_map_compute(proposal_id=proposal.pk)
    assert OpinionMap.objects.get(proposal=proposal).document["k"] == 2
    return {"proposal": proposal, "ada": ada}


def test_a_member_sees_the_groups_and_votes(new_page: Any, mapped: Any) -> None:
    proposal = mapped["proposal"]
    page = new_page()
    log_in(page, "ada", PASSWORD)
    page.goto(f"/s/town/decisions/{proposal.pk}/")
    page.get_by_role("link", name="Opinion map").click()
    expect(page.get_by_role("heading", name="Opinion map")).to_be_visible()
    expect(page.get_by_role("img", name="Opinion groups")).to_be_visible()
    groups = page.locator("li.opinion-group")
    expect(groups).to_have_count(2)
    expect(groups.first.get_by_role("heading")).to_contain_text("Group A")
    expect(groups.first.locator("ul.representatives li").first).to_contain_text("% of this group")
    expect(page.locator("ul.consensus li")).to_have_count(2)
    expect(page.locator("p.map-status")).to_have_attribute("data-outdated", "0")
    assert page.locator("svg.opinion-svg circle").count() >= 15
    screenshot(page, "opinion-map")

    voting = page.locator("#vote")
    first = voting.locator("blockquote").inner_text()
    voting.get_by_role("button", name="Agree", exact=True).click()
    expect(page.locator("#vote blockquote")).not_to_have_text(first)
    expect(page.locator("p.map-status")).to_have_attribute("data-outdated", "1")
    expect(page.locator("p.map-status")).to_contain_text("Outdated")


def test_the_map_fits_a_phone(new_page: Any, mapped: Any) -> None:
    proposal = mapped["proposal"]
    page = new_page()
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"/s/town/decisions/{proposal.pk}/opinion")
    svg = page.locator("svg.opinion-svg")
    expect(svg).to_be_visible()
    box = svg.bounding_box()
    assert box is not None and box["width"] <= 360
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page scrolls sideways: {width}px"
    screenshot(page, "opinion-map-phone")
