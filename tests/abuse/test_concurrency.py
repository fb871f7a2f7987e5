"""A limit of N holds exactly under 100 parallel requests, on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest

from peerwork.core import limits
from peerwork.core.errors import RateLimited
from peerwork.discussions import actions as discussions
from peerwork.discussions.models import Comment
from peerwork.wiki import actions as wiki
from peerwork.wiki.models import Revision
from tests.conftest import run_in_parallel

from .conftest import set_policy

pytestmark = pytest.mark.django_db(transaction=True)


def test_exactly_n_of_a_hundred_parallel_edits_are_saved(rate_limits, make_user, make_space):
    owner, newbie = make_user("owner"), make_user("newbie")
    space = set_policy(make_space(owner, "atlas"), "limits", edit_newbie_per_minute=7)

    def edit(n: int):
        return lambda: wiki.page_save(
            user=newbie, space=space, title=f"Page {n}", text=f"{n}\n", base_revision_id=None
        )

    outcomes, errors = run_in_parallel([edit(n) for n in range(100)], refused=(RateLimited,))
    assert errors == []
    assert len(outcomes) == 100
    assert sum(not isinstance(o, RateLimited) for o in outcomes) == 7
    assert Revision.objects.filter(author=newbie).count() == 7


def test_exactly_n_of_a_hundred_parallel_comments_from_one_address(
    rate_limits, make_user, make_space
):
    owner = make_user("owner")
    space = set_policy(make_space(owner, "atlas"), "limits", comment_ip_per_minute=5)
    page = wiki.page_save(
        user=owner, space=space, title="Main", text="Hello\n", base_revision_id=None
    ).page
    people = [make_user(f"p{n}") for n in range(10)]

    def comment(n: int):
        def call():
            with limits.using_address("203.0.113.50"):
                return discussions.comment_post(user=people[n % 10], target=page, text=f"#{n}")

        return call

    outcomes, errors = run_in_parallel([comment(n) for n in range(100)], refused=(RateLimited,))
    assert errors == []
    assert sum(not isinstance(o, RateLimited) for o in outcomes) == 5
    assert Comment.objects.count() == 5


def test_a_hundred_parallel_guesses_get_exactly_five_checks(rate_limits, make_user):
    make_user("victim")

    def guess():
        with limits.using_address(None):
            limits.login_attempt(username="victim")
        return "checked"

    outcomes, errors = run_in_parallel([guess for _ in range(100)], refused=(RateLimited,))
    assert errors == []
    assert outcomes.count("checked") == 5
