"""The Content-Security-Policy in a real browser: the main pages of the demo load without one
violation (no inline script or style, no `style=` attribute, not even inside an SVG chart),
and the JavaScript they carry still works under the policy."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from peerwork.accounts.models import User
from peerwork.challenges.models import Challenge
from peerwork.core import policy
from peerwork.demo import DEMO_PASSWORD, load_demo
from peerwork.governance import actions as governance
from peerwork.governance.models import Proposal
from peerwork.ideas.models import Idea, Status
from peerwork.spaces.models import Space
from peerwork.spaces.selectors import space_role
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_PEOPLE = ["ada", "grace", "linus", "ostrom"]

#: Reports every `securitypolicyviolation` event to the test, from the first script on.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (event) {
  window.reportViolation(
    event.violatedDirective + " blocked " + (event.blockedURI || "inline") +
    " at " + event.sourceFile + ":" + event.lineNumber
  );
});
"""


@pytest.fixture
def watched(new_page: Any) -> Iterator[Any]:
    """watched() -> (page, problems): a page whose CSP violations and console errors are kept."""
    problems: list[str] = []

    def make() -> tuple[Any, list[str]]:
        page = new_page()
        page.context.expose_function("reportViolation", lambda text: problems.append(text))
        page.context.add_init_script(REPORT_VIOLATIONS)
        page.on(
            "console",
            lambda message: (
                problems.append(f"console {message.type}: {message.text}")
                if message.type in {"error", "warning"}
                else None
            ),
        )
        page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        return page, problems

    yield make


@pytest.fixture
def demo() -> dict[str, Any]:
    """The demo, with its ranked-choice decision counted, so its result draws the round bars."""
    load_demo()
    ranked = Proposal.objects.get(method="irv")
    rankings = {"grace": [["a"], ["b"]], "ada": [["b"], ["c"]], "ostrom": [["c"], ["b"]]}
    for username, ranking in rankings.items():
        user = User.objects.get(username=username)
        governance.ballot_cast(user=user, proposal=ranked, ballot={"ranking": ranking})
    now = timezone.now()
    Proposal.objects.filter(pk=ranked.pk).update(
        opens_at=now - timedelta(days=7), closes_at=now - timedelta(seconds=1)
    )
    assert governance.proposal_close(proposal_id=ranked.pk)
    idea = Idea.objects.filter(space__slug="open-atlas").order_by("pk").first()
    open_ones = Challenge.objects.filter(space__slug="open-atlas", closes_at__gt=now)
    challenge = open_ones.order_by("closes_at").first()
    open_ideas = Idea.objects.filter(space__slug="open-atlas", status=Status.OPEN).order_by("pk")
    supportable = [
        (person.username, one)
        for one in open_ideas
        for person in User.objects.filter(username__in=DEMO_PEOPLE).order_by("pk")
        if policy.can(person, "idea.support", one) and not one.supports.filter(user=person).exists()
    ]
    assert idea is not None and challenge is not None and supportable
    supporter, supported = supportable[0]
    return {
        "decision": f"/s/city-budget/decisions/{ranked.pk}/",
        "idea": f"/s/open-atlas/ideas/{idea.pk}/",
        "supporter": supporter,
        "supporters": supported.supports.count(),
        "supportable": f"/s/open-atlas/ideas/{supported.pk}/",
        "challenge": f"/s/open-atlas/challenges/{challenge.pk}/",
    }


def _visit(page: Any, path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status == 200, path
    page.wait_for_load_state("networkidle")


def test_the_main_pages_load_without_a_policy_violation(watched: Any, demo: dict) -> None:
    page, problems = watched()
    paths = [
        "/",
        "/s/open-atlas/",
        "/s/open-atlas/wiki/",
        "/s/open-atlas/recent-changes",
        "/recent-changes/",
        "/s/open-atlas/ideas/",
        demo["idea"],
        demo["challenge"],
        "/s/open-atlas/ledger/",
        "/s/city-budget/decisions/",
        demo["decision"],
        "/api/v1/docs",
    ]
    for path in paths:
        _visit(page, path)
        assert problems == [], f"{path}: {problems}"
    # The pages drew what the policy could have blocked.
    page.goto("/s/open-atlas/ledger/")
    expect(page.locator(".ledger-flows svg circle").first).to_be_visible()
    page.goto(demo["decision"])
    expect(page.locator("#rounds figure.round svg rect").first).to_be_attached()
    assert problems == []


def test_scripts_still_work_under_the_policy(watched: Any, demo: dict) -> None:
    page, problems = watched()
    log_in(page, "ada", DEMO_PASSWORD)
    # htmx: typing in the edit form asks the server for a preview and swaps it in.
    _visit(page, "/s/open-atlas/edit/Sandbox_under_the_policy")
    page.get_by_label("Text", exact=True).fill("Some *emphasis* here")
    page.get_by_label("Text", exact=True).press("End")
    expect(page.locator("#preview em")).to_have_text("emphasis")
    # The challenge page's own script counts down to the deadline.
    _visit(page, demo["challenge"])
    expect(page.locator("[data-countdown]").first).to_have_text(re.compile(r"\d+s left$"))
    # htmx posts the support (with the CSRF header base.html gives it) and swaps the box.
    supporter, supporter_problems = watched()
    log_in(supporter, demo["supporter"], DEMO_PASSWORD)
    _visit(supporter, demo["supportable"])
    with supporter.expect_request(
        lambda request: request.method == "POST" and request.headers.get("hx-request") == "true"
    ) as sent:
        supporter.get_by_test_id("support").click()
    assert sent.value.headers.get("x-csrftoken")
    expect(supporter.locator("#support-box")).to_contain_text(
        f"{demo['supporters'] + 1} supporters"
    )
    assert supporter_problems == [], supporter_problems
    # site.js: a form with data-confirm asks first in the page's <dialog>; cancelled, it sends
    # nothing.
    _visit(page, "/s/city-budget/")
    page.get_by_role("button", name="Leave this space").click()
    dialog = page.locator("#confirm-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator(".confirm-question")).to_have_text("Leave this space?")
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    page.wait_for_load_state("networkidle")
    ada = User.objects.get(username="ada")
    assert space_role(ada, Space.objects.get(slug="city-budget")) is not None
    assert problems == [], problems
