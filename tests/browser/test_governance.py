"""Decisions in a real browser: people delegate, vote (also by keyboard alone, without
JavaScript), object, rank and change the space's policy through the pages; only the clock is
moved by the test, by putting a proposal's close in the past and running the close job, as the
scheduler would."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from peerwork.accounts import actions as accounts
from peerwork.governance import actions
from peerwork.governance.models import Ballot, Proposal
from peerwork.spaces import actions as spaces
from peerwork.spaces.models import Space
from tests.browser.conftest import log_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MEMBERS = ("ada", "grace", "linus", "ostrom")


@pytest.fixture
def town() -> Space:
    """A public space: stew its steward, four members; five eligible voters."""
    stew = accounts.user_signup(username="stew", password=PASSWORD)
    space = spaces.space_create(
        user=stew, slug="town", name="Town", visibility="public", participation="anyone"
    )
    for name in MEMBERS:
        person = accounts.user_signup(username=name, password=PASSWORD)
        spaces.space_member_add(user=stew, space=space, member=person, role="member")
    return space


@pytest.fixture
def people(new_page: Any, town: Space) -> Any:
    """people("ada") -> a page on which ada has logged in (one browser context each)."""
    pages: dict[str, Any] = {}

    def page_of(name: str) -> Any:
        if name not in pages:
            pages[name] = new_page()
            log_in(pages[name], name, PASSWORD)
        return pages[name]

    return page_of


@pytest.fixture
def no_script_page(browser: Any, live_server: Any) -> Iterator[Any]:
    """A page in a context with JavaScript switched off."""
    context = browser.new_context(
        base_url=live_server.url, locale="en-US", java_script_enabled=False
    )
    context.set_default_timeout(5000)
    yield context.new_page()
    context.close()


def open_proposal(page: Any, *, title: str, method: str, options: str = "", **fields: str) -> int:
    """Fill the New proposal form from the Decisions tab; the new proposal's id."""
    page.goto("/s/town/")
    page.get_by_role("link", name="Decisions", exact=True).click()
    page.get_by_role("link", name="New proposal").click()
    page.get_by_label("Title").fill(title)
    page.get_by_label("Decision method").select_option(method)
    if options:
        page.get_by_label("Options").fill(options)
    for label, value in fields.items():
        page.get_by_label(label).fill(value)
    page.get_by_role("button", name="Open the proposal").click()
    expect(page.get_by_text("Your proposal is open.")).to_be_visible()
    match = re.search(r"/decisions/(\d+)/$", page.url)
    assert match, page.url
    return int(match.group(1))


def close_now(proposal_id: int) -> None:
    """What the scheduler does when the close comes: the close job, then the execution job
    (the space's timelock is 0 hours)."""
    # The close is just now: what happened in the last second (a delegation made a moment
    # before on a fast machine) happened before it, as it did for the people clicking.
    now = timezone.now()
    Proposal.objects.filter(pk=proposal_id).update(
        opens_at=now - timedelta(days=7), closes_at=now - timedelta(microseconds=1)
    )
    assert actions.proposal_close(proposal_id=proposal_id)
    actions.proposal_execute(proposal_id=proposal_id)


def choose(page: Any, proposal_id: int, label: str) -> None:
    """Pick one radio button of a ballot and cast it."""
    page.goto(f"/s/town/decisions/{proposal_id}/")
    page.locator("#vote").get_by_label(label, exact=True).check()
    page.get_by_role("button", name=re.compile("Cast my ballot|Change my ballot")).click()


def delegate(page: Any, to: str) -> None:
    page.goto("/s/town/decisions/")
    page.get_by_role("link", name="Delegation", exact=True).click()
    page.get_by_label("Member who votes for you").fill(to)
    page.get_by_role("button", name="Delegate").click()
    expect(page.get_by_text(f"{to} now votes for you unless you vote yourself.")).to_be_visible()
    expect(page.locator("#given")).to_contain_text(f"On every proposal: {to} votes for you")


def counted(page: Any, option: str) -> Any:
    """One option's row in the result table, found by its header as a reader sees it."""
    return page.locator("#result table.tally tr", has=page.get_by_role("rowheader", name=option))


def test_a_delegated_vote_is_cast_by_the_delegate_and_counted_with_her_ballot(people: Any) -> None:
    stew, grace, ada = people("stew"), people("grace"), people("ada")
    proposal = open_proposal(
        stew, title="Open the library on Sundays", method="majority", options="Yes\nNo"
    )
    delegate(grace, "ada")
    ada.goto("/s/town/decisions/delegation")
    expect(ada.locator("#received")).to_contain_text("grace, on every proposal")

    grace.goto(f"/s/town/decisions/{proposal}/")
    expect(grace.locator("#vote")).to_contain_text(
        "The person you delegated to has not voted (yet): your vote is not cast."
    )
    choose(ada, proposal, "Yes")
    expect(ada.get_by_text("Your ballot is counted.")).to_be_visible()
    grace.reload()
    expect(grace.locator("#vote .delegated")).to_have_text(
        "Your vote is cast by ada via delegation. Vote yourself to override it for this proposal."
    )

    close_now(proposal)
    for page in (grace, ada):
        page.reload()
        expect(page.locator("#result .verdict")).to_contain_text("Passed.")
        expect(page.locator("#result .verdict")).to_contain_text("Winner: Yes.")
        # One ballot, ada's, carries two votes: hers and grace's.
        expect(counted(page, "Yes ✓").locator("td")).to_have_text("2")
        expect(counted(page, "No").locator("td")).to_have_text("0")
        expect(page.locator("#result .turnout")).to_have_text(
            "2 of 5 eligible voters counted; quorum 0%. 1 vote was cast through delegation."
        )
    expect(ada.locator("#vote .carried")).to_have_text(
        "Your ballot counted 2 times: for you and for 1 person who delegated to you."
    )
    expect(grace.locator("#vote .delegated")).to_contain_text(
        "Your vote was cast by ada via delegation."
    )
    assert list(Ballot.objects.values_list("voter__username", "weight")) == [("ada", 2)]


def test_voting_yourself_overrides_the_delegation_by_keyboard_without_javascript(
    people: Any, no_script_page: Any
) -> None:
    stew, ada, linus = people("stew"), people("ada"), people("linus")
    grace = no_script_page
    log_in(grace, "grace", PASSWORD)
    proposal = open_proposal(
        stew, title="Paint the hall green", method="majority", options="Yes\nNo"
    )
    delegate(grace, "ada")
    choose(ada, proposal, "Yes")
    choose(linus, proposal, "No")
    grace.goto(f"/s/town/decisions/{proposal}/")
    expect(grace.locator("#vote .delegated")).to_contain_text("Your vote is cast by ada")

    # Keyboard only, no script: into the choices, the arrow key picks the next one, Tab leaves
    # the group for the button, Enter sends the form.
    grace.get_by_label("Yes", exact=True).focus()
    grace.keyboard.press("ArrowDown")
    expect(grace.get_by_label("No", exact=True)).to_be_checked()
    expect(grace.get_by_label("No", exact=True)).to_be_focused()
    grace.keyboard.press("Tab")
    expect(grace.get_by_role("button", name="Cast my ballot")).to_be_focused()
    grace.keyboard.press("Enter")
    expect(grace.get_by_text("Your ballot is counted.")).to_be_visible()
    expect(grace.locator("#vote .receipt")).to_contain_text("You voted. Your receipt:")
    expect(grace.locator("#vote .delegated")).to_have_count(0)
    expect(grace.get_by_label("No", exact=True)).to_be_checked()
    expect(grace.get_by_role("button", name="Change my ballot")).to_be_visible()

    close_now(proposal)
    grace.reload()
    expect(grace.locator("#result .verdict")).to_contain_text("Winner: No.")
    expect(counted(grace, "No ✓").locator("td")).to_have_text("2")
    expect(counted(grace, "Yes").locator("td")).to_have_text("1")
    expect(grace.locator("#result .turnout")).to_have_text(
        "3 of 5 eligible voters counted; quorum 0%."
    )
    expect(grace.locator("#vote .delegated")).to_have_count(0)
    weights = dict(Ballot.objects.values_list("voter__username", "weight"))
    assert weights == {"ada": 1, "grace": 1, "linus": 1}


def test_a_ranked_choice_vote_shows_each_round_and_the_winner(people: Any) -> None:
    stew = people("stew")
    proposal = open_proposal(
        stew,
        title="Which street gets the bike lane first?",
        method="irv",
        options="Harbour street\nMill road\nMarket square",
    )
    # A ballot with nothing ranked is refused in place.
    stew.get_by_role("button", name="Cast my ballot").click()
    expect(stew.locator("#vote").get_by_role("alert")).to_contain_text(
        "Your ballot is not cast: Rank at least one option"
    )
    assert not Ballot.objects.exists()
    rankings = {
        "stew": ("Harbour street", "Mill road"),
        "ada": ("Harbour street", "Market square"),
        "grace": ("Mill road", "Harbour street"),
        "linus": ("Market square", "Mill road"),
        "ostrom": ("Mill road", "Market square"),
    }
    for name, ranking in rankings.items():
        page = people(name)
        page.goto(f"/s/town/decisions/{proposal}/")
        for rank, option in enumerate(ranking, start=1):
            page.get_by_label(option, exact=True).select_option(str(rank))
        page.get_by_role("button", name="Cast my ballot").click()
        expect(page.get_by_text("Your ballot is counted.")).to_be_visible()
        # The page shows the ballot as it was read back.
        for rank, option in enumerate(ranking, start=1):
            expect(page.get_by_label(option, exact=True)).to_have_value(str(rank))

    close_now(proposal)
    reader = people("ada")
    reader.reload()
    expect(reader.locator("#result .verdict")).to_contain_text("Passed.")
    expect(reader.locator("#result .verdict")).to_contain_text("Winner: Mill road.")
    rounds = reader.locator("#rounds figure.round")
    expect(rounds).to_have_count(2)
    first, second = rounds.all()
    # Whole votes read as whole numbers (the count keeps four decimals for transfers).
    expect(first.locator("figcaption")).to_have_text(
        "Round 1 · threshold 3 · eliminated: Market square"
    )
    expect(first.locator("tr", has_text="Harbour street").locator("td").first).to_have_text("2")
    expect(first.locator("tr", has_text="Mill road").locator("td").first).to_have_text("2")
    expect(first.locator("tr", has_text="Market square").locator("td").first).to_have_text("1")
    expect(second.locator("figcaption")).to_have_text("Round 2 · threshold 3 · elected: Mill road")
    expect(second.locator("tr", has_text="Mill road").locator("td").first).to_have_text("3")
    expect(second.locator("tr", has_text="Harbour street").locator("td").first).to_have_text("2")


def test_an_objection_with_a_reason_blocks_a_consent_proposal(people: Any) -> None:
    stew, ada, grace = people("stew"), people("ada"), people("grace")
    proposal = open_proposal(stew, title="Sell the old library", method="consent")
    choose(ada, proposal, "I consent")
    expect(ada.get_by_text("Your ballot is counted.")).to_be_visible()

    choose(grace, proposal, "I object: it should not pass")
    # Refused in place, beside the ballot, with her choice kept.
    expect(grace.locator("#vote").get_by_role("alert")).to_have_text(
        "Your ballot is not cast: An objection needs a reason: say what would have to change "
        "for you to consent."
    )
    expect(grace.get_by_label("I object: it should not pass")).to_be_checked()
    expect(grace.locator("#vote .receipt")).to_have_count(0)
    assert not Ballot.objects.filter(voter__username="grace").exists()

    grace.get_by_label("Reason (required for an objection)").fill(
        "It is the only library in town; lend it to a co-op instead."
    )
    grace.get_by_role("button", name="Cast my ballot").click()
    expect(grace.get_by_text("Your ballot is counted.")).to_be_visible()

    close_now(proposal)
    for page in (grace, stew):
        page.reload()
        expect(page.locator("#result .verdict")).to_contain_text("Not passed.")
        expect(page.locator("#result .objections li")).to_have_text(
            ["It is the only library in town; lend it to a co-op instead."]
        )
    stew.goto("/s/town/decisions/")
    expect(stew.locator("li", has_text="Sell the old library")).to_contain_text("did not pass")


def test_a_passed_policy_change_is_applied_to_the_space(people: Any) -> None:
    stew = people("stew")
    proposal = open_proposal(
        stew,
        title="Give three weeks to finish a claimed task",
        method="consent",
        **{"Policy change if it passes": '{"tasks": {"claim_days": 21}}'},
    )
    expect(stew.locator("#changes")).to_contain_text(
        'The space\'s policy changes: {"tasks": {"claim_days": 21}}'
    )
    for name in ("stew", *MEMBERS):
        page = people(name)
        choose(page, proposal, "I consent")
        expect(page.get_by_text("Your ballot is counted.")).to_be_visible()

    close_now(proposal)
    stew.reload()
    expect(stew.locator("#result .verdict")).to_contain_text("Passed.")
    expect(stew.locator("#changes .execution")).to_have_text("Applied.")
    expect(stew.locator("#changes .applied")).to_contain_text("Policy changed: tasks")
    stew.get_by_role("navigation", name="Space").get_by_role("link", name="Settings").click()
    stew.get_by_role("link", name="Edit as JSON").click()
    policy = json.loads(stew.get_by_label("Policy (JSON)").input_value())
    assert policy["tasks"]["claim_days"] == 21
