"""Discussions in a real browser: a page's (post, reply in place, edit, history) and a
challenge's, whose comments are edited and removed through the same discussions flow."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from peerwork.accounts import actions as accounts
from peerwork.challenges import actions as challenges
from peerwork.discussions.models import Comment
from peerwork.spaces import actions as spaces
from peerwork.wiki import actions as wiki
from tests.browser.conftest import log_in
from tests.challenges.conftest import fund
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def garden() -> Any:
    ana = accounts.user_signup(username="ana", password=PASSWORD, display_name="Ana")
    bea = accounts.user_signup(username="bea", password=PASSWORD, display_name="Bea")
    space = spaces.space_create(
        user=ana, slug="garden", name="Garden", visibility="public", participation="anyone"
    )
    spaces.space_member_add(user=ana, space=space, member=bea, role="member")
    wiki.page_save(user=ana, space=space, title="Seed bank", text="Seeds.\n", base_revision_id=None)
    fund(space, ana)
    return space


def test_post_reply_edit_and_history(new_page: Any, garden: Any) -> None:
    ana = new_page()
    log_in(ana, "ana", PASSWORD)
    ana.goto("/s/garden/wiki/Seed_bank")
    ana.get_by_test_id("discussion-tab").click()
    expect(ana).to_have_url(re.compile(r"/s/garden/discussion/Seed_bank$"))
    expect(ana.get_by_text("No comments yet.")).to_be_visible()

    # Ana posts a comment; htmx puts it in the thread and empties the form.
    ana.get_by_label("New comment").fill("Keep seeds **dry**.")
    ana.get_by_role("button", name="Post comment").click()
    expect(ana.get_by_role("status")).to_have_text("Your comment is posted.")
    first = ana.locator("#thread > li.comment")
    expect(first).to_have_count(1)
    expect(first.locator(".comment-text strong")).to_have_text("dry")
    expect(ana.get_by_label("New comment")).to_have_value("")
    comment = Comment.objects.get()

    # Bea replies: the form opens under the comment.
    bea = new_page()
    log_in(bea, "bea", PASSWORD)
    bea.goto("/s/garden/discussion/Seed_bank")
    bea.get_by_test_id(f"reply-{comment.pk}").click()
    reply_box = bea.get_by_label("Your reply")
    expect(reply_box).to_be_focused()
    reply_box.fill("And *cool*.")
    bea.get_by_role("button", name="Post reply").click()
    rows = bea.locator("#thread > li.comment")
    expect(rows).to_have_count(2)
    expect(rows.nth(1)).to_have_attribute("data-depth", "1")
    expect(rows.nth(1).locator(".comment-text em")).to_have_text("cool")
    expect(rows.nth(1).locator(".in-reply-to")).to_have_text("in reply to Ana")
    expect(bea.get_by_test_id(f"edit-{comment.pk}")).to_have_count(0)

    # Ana edits her comment in place, then reads its history.
    ana.reload()
    expect(ana.locator("#thread > li.comment")).to_have_count(2)
    ana.get_by_test_id(f"edit-{comment.pk}").click()
    edit_box = ana.get_by_label("Edit your comment")
    expect(edit_box).to_have_value("Keep seeds **dry**.")
    edit_box.fill("Keep seeds **dry** and dark.")
    ana.get_by_role("button", name="Save").click()
    expect(ana.get_by_text("Your comment is saved.")).to_be_visible()
    mine = ana.locator(f"#comment-{comment.pk}")
    expect(mine.locator(".comment-text")).to_have_text("Keep seeds dry and dark.")
    mine.get_by_role("link", name="edited").click()
    expect(ana).to_have_url(re.compile(rf"/comments/{comment.pk}/history$"))
    versions = ana.locator(".comment-revision .comment-text")
    expect(versions).to_have_text(["Keep seeds dry and dark.", "Keep seeds dry."])


def test_without_javascript_reply_is_a_link_to_the_form(
    browser: Any, live_server: Any, garden: Any
) -> None:
    context = browser.new_context(
        base_url=live_server.url, locale="en-US", java_script_enabled=False
    )
    context.set_default_timeout(5000)
    try:
        bea = context.new_page()
        log_in(bea, "bea", PASSWORD)
        bea.goto("/s/garden/discussion/Seed_bank")
        bea.get_by_label("New comment").fill("Plain form.")
        bea.get_by_role("button", name="Post comment").click()
        comment = Comment.objects.get()
        expect(bea).to_have_url(
            re.compile(rf"/s/garden/discussion/Seed_bank#comment-{comment.pk}$")
        )
        expect(bea.get_by_text("Your comment is posted.")).to_be_visible()
        bea.get_by_test_id(f"reply-{comment.pk}").click()
        expect(bea).to_have_url(re.compile(rf"\?reply={comment.pk}#reply-form$"))
        bea.get_by_label("Your reply").fill("   ")
        bea.get_by_role("button", name="Post reply").click()
        expect(bea.locator("#reply-form .errorlist")).to_have_text("A comment needs some text.")
        bea.get_by_label("Your reply").fill("A reply without scripts.")
        bea.get_by_role("button", name="Post reply").click()
        rows = bea.locator("#thread > li.comment")
        expect(rows).to_have_count(2)
        expect(rows.nth(1)).to_have_attribute("data-depth", "1")
    finally:
        context.close()


def test_a_challenge_question_is_edited_and_removed(new_page: Any, garden: Any) -> None:
    ana = accounts.User.objects.get(username="ana")
    now = timezone.now()
    challenge = challenges.challenge_create(
        user=ana,
        space=garden,
        title="Drier seeds",
        statement="Keep seeds dry through the wet season.",
        kind="ideation",
        currency="EUR",
        prize_pool=1000,
        prize_split=[1000],
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=7),
        ip_terms="license",
        criteria=[("Feasibility", 1)],
        judges=[],
    )
    bea = new_page()
    bea.on("dialog", lambda dialog: dialog.accept())
    log_in(bea, "bea", PASSWORD)
    bea.goto(f"/s/garden/challenges/{challenge.pk}/")
    bea.get_by_label("Ask a question or answer one (public)").fill("May we use *clay* pots?")
    bea.get_by_role("button", name="Post", exact=True).click()
    expect(bea.get_by_text("Your comment is posted.")).to_be_visible()
    comment = Comment.objects.get()
    mine = bea.locator(f"#comment-{comment.pk}")
    expect(mine.locator(".comment-text em")).to_have_text("clay")

    bea.get_by_test_id(f"edit-{comment.pk}").click()
    edit_box = mine.get_by_label("Edit your comment")
    edit_box.fill("May we use clay or glass pots?")
    mine.get_by_role("button", name="Save").click()
    expect(bea.get_by_text("Your comment is saved.")).to_be_visible()
    expect(mine.locator(".comment-text")).to_have_text("May we use clay or glass pots?")
    mine.get_by_role("link", name="edited").click()
    expect(bea).to_have_url(re.compile(rf"/discussions/comments/{comment.pk}/history$"))
    bea.get_by_role("link", name="Back to the discussion").click()

    mine = bea.locator(f"#comment-{comment.pk}")
    bea.get_by_test_id(f"remove-{comment.pk}").click()
    mine.get_by_label("Reason (optional)").fill("asked twice")
    mine.get_by_role("button", name="Remove comment").click()
    bea.locator("#confirm-dialog").get_by_role("button", name="Remove comment").click()
    expect(bea.get_by_text("The comment is removed.")).to_be_visible()
    expect(mine.locator(".removed-notice")).to_contain_text("This comment was removed.")
    comment.refresh_from_db()
    assert comment.is_deleted


def test_a_challenge_thread_refuses_and_replies_in_place(new_page: Any, garden: Any) -> None:
    """The shared thread's in-place forms on a challenge: a refused post keeps its text and
    shows its message where it was typed; Reply opens under its comment; no page reloads."""
    ana = accounts.User.objects.get(username="ana")
    now = timezone.now()
    challenge = challenges.challenge_create(
        user=ana,
        space=garden,
        title="Drier seeds",
        statement="Keep seeds dry through the wet season.",
        kind="ideation",
        currency="EUR",
        prize_pool=1000,
        prize_split=[1000],
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=7),
        ip_terms="license",
        criteria=[("Feasibility", 1)],
        judges=[],
    )
    bea = new_page()
    log_in(bea, "bea", PASSWORD)
    bea.goto(f"/s/garden/challenges/{challenge.pk}/")
    bea.evaluate("window.__stayed = true")  # gone if anything reloads the page
    box = bea.get_by_label("Ask a question or answer one (public)")
    box.evaluate("el => el.removeAttribute('maxlength')")  # as an old browser would send it
    box.fill("x" * 20_001)
    bea.get_by_role("button", name="Post", exact=True).click()
    expect(bea.locator("#new-comment-text-error")).to_contain_text("at most 20000 characters")
    box = bea.get_by_label("Ask a question or answer one (public)")
    expect(box).to_have_value("x" * 20_001)
    box.fill("May we use *clay* pots?")
    bea.get_by_role("button", name="Post", exact=True).click()
    expect(bea.get_by_role("status")).to_have_text("Your comment is posted.")
    expect(bea.get_by_label("Ask a question or answer one (public)")).to_have_value("")
    comment = Comment.objects.get()

    bea.get_by_test_id(f"reply-{comment.pk}").click()
    reply_box = bea.locator(f"#reply-slot-{comment.pk}").get_by_label("Your reply")
    expect(reply_box).to_be_focused()
    reply_box.fill("   ")
    bea.get_by_role("button", name="Post reply").click()
    expect(bea.locator(f"#reply-slot-{comment.pk} .errorlist")).to_have_text(
        "A comment needs some text."
    )
    bea.locator(f"#reply-slot-{comment.pk}").get_by_label("Your reply").fill("Glass too.")
    bea.get_by_role("button", name="Post reply").click()
    rows = bea.locator("#thread > li.comment")
    expect(rows).to_have_count(2)
    expect(rows.nth(1)).to_have_attribute("data-depth", "1")
    assert bea.evaluate("window.__stayed") is True
