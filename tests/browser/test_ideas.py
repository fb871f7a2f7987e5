"""Ideas in a real browser: a draft with a co-creator, suggestions of similar ideas while
typing, support through the milestones (time moved with time-machine), review with a reason,
and an idea that misses its milestone and expires."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from playwright.sync_api import expect

from peerwork.accounts import actions as accounts
from peerwork.ideas import actions as ideas
from peerwork.ideas.models import Idea, RevenueShare
from peerwork.spaces import actions as spaces
from tests.browser.conftest import log_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

START = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
MILESTONES = [{"supporters": 2, "days": 10}, {"supporters": 3, "days": 5}]


@pytest.fixture
def lab() -> Any:
    people = {
        name: accounts.user_signup(username=name, password=PASSWORD, display_name=name.title())
        for name in ("ana", "bea", "stew", "fan1", "fan2", "fan3")
    }
    space = spaces.space_create(
        user=people["stew"], slug="lab", name="Lab", visibility="public", participation="anyone"
    )
    spaces.space_policy_update(
        user=people["stew"],
        space=space,
        document={
            "ideas": {
                "support_milestones": MILESTONES,
                "review_criteria": "Ideas must be **safe** to build.",
            }
        },
    )
    older = ideas.idea_create(user=people["fan1"], space=space, title="Solar charging benches")
    ideas.idea_publish(user=people["fan1"], idea=older)
    return people


def test_idea_from_draft_through_milestones_to_acceptance(new_page: Any, lab: Any) -> None:
    with time_machine.travel(START) as clock:
        ana = new_page()
        log_in(ana, "ana", PASSWORD)
        ana.goto("/s/lab/")
        ana.get_by_role("link", name="Ideas", exact=True).click()
        ana.get_by_test_id("new-idea").click()

        # While she types the title, similar ideas are suggested.
        ana.get_by_test_id("idea-title").press_sequentially("Solar bench lights", delay=20)
        expect(ana.get_by_test_id("similar-ideas")).to_contain_text("Solar charging benches")
        ana.get_by_label("Description").fill("Benches that *glow* at night.")
        ana.get_by_label("Tags").fill("Energy, park")
        ana.get_by_label("Your share").fill("3")
        ana.get_by_test_id("save-idea").click()
        expect(ana.get_by_test_id("idea-status")).to_have_text("draft")
        expect(ana.get_by_test_id("idea-description").locator("em")).to_have_text("glow")
        idea = Idea.objects.get(title="Solar bench lights")
        url = f"/s/lab/ideas/{idea.pk}/"

        # Nobody else sees the draft.
        assert new_page().goto(url).status == 404

        ana.get_by_text("Invite a co-creator").click()
        ana.get_by_label("Username").fill("nobody-here")
        ana.get_by_role("button", name="Invite").click()
        expect(ana.get_by_text("There is no person named 'nobody-here'.")).to_be_visible()
        expect(ana.get_by_label("Username")).to_have_value("nobody-here")
        ana.get_by_label("Username").fill("bea")
        ana.get_by_role("button", name="Invite").click()
        expect(ana.get_by_text("Invited; they become a co-creator")).to_be_visible()

        bea = new_page()
        log_in(bea, "bea", PASSWORD)
        bea.goto("/s/lab/ideas/")
        invitations = bea.get_by_role("region", name="You are invited to co-create")
        invitations.get_by_role("link", name="Solar bench lights").click()
        bea.get_by_test_id("accept-invitation").click()
        expect(bea.get_by_text("You are now a co-creator of this idea.")).to_be_visible()

        ana.reload()
        ana.get_by_test_id("publish").click()
        expect(ana.get_by_test_id("idea-status")).to_have_text("open for support")
        progress = ana.get_by_test_id("idea-progress")
        expect(progress).to_contain_text("0 supporters of 2 for milestone 1 of 2")
        expect(ana.get_by_test_id("days-left")).to_have_text("10 days left")
        expect(ana.get_by_test_id("support")).to_have_count(0)  # not for her own idea

        clock.move_to(START + timedelta(days=4))
        fans = []
        for name in ("fan1", "fan2", "fan3"):
            fan = new_page()
            log_in(fan, name, PASSWORD)
            fan.goto(url)
            fans.append(fan)
        fans[0].get_by_test_id("support").click()
        expect(fans[0].get_by_text("You support this idea.")).to_be_visible()
        expect(fans[0].get_by_test_id("idea-progress")).to_contain_text("1 supporter of 2")
        fans[1].get_by_test_id("support").click()
        # The first milestone is reached: the next stage's 5 days count from now.
        expect(fans[1].get_by_test_id("idea-progress")).to_contain_text(
            "2 supporters of 3 for milestone 2 of 2"
        )
        expect(fans[1].get_by_test_id("days-left")).to_have_text("5 days left")

        clock.move_to(START + timedelta(days=6))
        fans[2].get_by_test_id("support").click()
        expect(fans[2].get_by_test_id("idea-progress")).to_contain_text("3 supporters")
        fans[2].reload()
        expect(fans[2].get_by_test_id("idea-status")).to_have_text("in review")

        stew = new_page()
        log_in(stew, "stew", PASSWORD)
        stew.goto(url)
        expect(stew.get_by_text("Ideas must be safe to build.")).to_be_visible()
        stew.get_by_label("Accept").check()
        stew.get_by_test_id("decide").click()
        expect(stew.get_by_text("This field is required.")).to_be_visible()
        assert Idea.objects.get(pk=idea.pk).status == "in_review"
        stew.get_by_label("Accept").check()
        stew.get_by_label("Reason").fill("Safe, cheap, and **loved** by the park's visitors.")
        stew.get_by_test_id("decide").click()
        expect(stew.get_by_test_id("idea-status")).to_have_text("accepted")

        # Everyone who can see the idea reads the reason and the creators' share.
        visitor = new_page()
        visitor.goto(url)
        reason = visitor.get_by_test_id("status-reason")
        expect(reason).to_contain_text("Accepted")
        expect(reason.locator("strong")).to_have_text("loved")
        expect(visitor.get_by_test_id("revenue-shares")).to_contain_text("Ana: 75 basis points")
        expect(visitor.get_by_test_id("revenue-shares")).to_contain_text("Bea: 25 basis points")
    assert sorted(RevenueShare.objects.values_list("basis_points", flat=True)) == [25, 75]


def test_idea_that_misses_its_milestone_expires(new_page: Any, lab: Any) -> None:
    with time_machine.travel(START) as clock:
        idea = ideas.idea_create(
            user=lab["ana"], space=Idea.objects.get().space, title="Glow paint"
        )
        idea = ideas.idea_publish(user=lab["ana"], idea=idea)
        url = f"/s/lab/ideas/{idea.pk}/"
        fan = new_page()
        log_in(fan, "fan1", PASSWORD)
        fan.goto(url)
        fan.get_by_test_id("support").click()
        expect(fan.get_by_text("You support this idea.")).to_be_visible()

        clock.move_to(START + timedelta(days=10, minutes=1))
        # Before the expiry job runs, the page already says when and why.
        visitor = new_page()
        visitor.goto(url)
        expect(visitor.get_by_test_id("idea-status")).to_have_text("expired")
        reason = visitor.get_by_test_id("status-reason")
        expect(reason).to_contain_text(re.compile(r"Expired on June 11, 2026"))
        expect(reason).to_contain_text("It needed 2 supporters by 2026-06-11 08:00 UTC and had 1.")
        expect(visitor.get_by_test_id("support")).to_have_count(0)

        assert ideas.expire_overdue() == 1
        visitor.reload()
        expect(visitor.get_by_test_id("status-reason")).to_contain_text("had 1.")
        visitor.goto("/s/lab/ideas/?status=expired")
        expect(visitor.get_by_test_id("idea-list")).to_contain_text("Glow paint")
    assert Idea.objects.get(pk=idea.pk).status == "expired"
