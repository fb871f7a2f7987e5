"""Rate limits: MediaWiki's figures, new accounts stricter, per space, the refusal's answer."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client

from peerwork.abuse.limiter import LIMITER, limits_for
from peerwork.accounts import actions as accounts
from peerwork.core import limits
from peerwork.core.errors import Invalid, RateLimited
from peerwork.discussions import actions as discussions
from peerwork.discussions.models import Comment
from peerwork.spaces import actions as spaces
from peerwork.wiki import actions as wiki
from peerwork.wiki.models import Revision
from tests.conftest import PASSWORD
from tests.interop.test_mediawiki_api import MW

from .conftest import make_established, set_policy

pytestmark = pytest.mark.django_db


def save(user, space, n):
    return wiki.page_save(
        user=user, space=space, title=f"Page {n}", text=f"Text {n}\n", base_revision_id=None
    )


def saves_until_refused(user, space, tries=120):
    """How many edits go through before the first refusal, and that refusal."""
    for n in range(tries):
        try:
            save(user, space, n)
        except RateLimited as refusal:
            return n, refusal
    return tries, None


#: What Wikimedia's wikis set (MediaWiki's own default is no limit).
WIKIMEDIA_SIGNUPS = {"signup": {"ip": [6, 86400]}}


def test_the_defaults_are_mediawikis(rate_limits):
    assert limits_for("edit") == {"ip": (8, 60), "newbie": (8, 60), "user": (90, 60)}
    assert limits_for("signup") == {}  # off, as MediaWiki's $wgAccountCreationThrottle


def test_a_new_account_saves_eight_edits_a_minute_then_waits(rate_limits, make_user, make_space):
    owner, newbie = make_user("owner"), make_user("newbie")
    space = make_space(owner, "atlas")
    with time_machine.travel("2030-01-01 12:00:00", tick=False):
        saved, refusal = saves_until_refused(newbie, space)
        assert saved == 8
        assert refusal is not None
        assert refusal.type == "rate-limited"
        assert refusal.retry_after == 60
        assert refusal.detail == "You may save at most 8 edits in 1 minute. Try again in 1 minute."
        assert Revision.objects.filter(author=newbie).count() == 8
    with time_machine.travel("2030-01-01 12:00:45", tick=False):
        with pytest.raises(RateLimited) as later:
            save(newbie, space, 99)
        assert later.value.retry_after == 15
        assert "Try again in 15 seconds." in later.value.detail
    with time_machine.travel("2030-01-01 12:01:00", tick=False):
        save(newbie, space, 100)  # a new minute


def test_an_established_account_has_the_user_figure(rate_limits, make_user, make_space):
    rate_limits.PEERWORK_RATE_LIMITS = {"edit": {"user": (12, 60)}}
    owner = make_user("owner")
    regular = make_established(make_user("regular"))
    space = set_policy(make_space(owner, "atlas"), "privileges", autoconfirmed_edits=0)
    saved, refusal = saves_until_refused(regular, space)
    assert saved == 12
    assert "at most 12 edits" in refusal.detail


def test_a_space_sets_its_own_figures_and_others_keep_theirs(rate_limits, make_user, make_space):
    owner, newbie = make_user("owner"), make_user("newbie")
    strict = set_policy(make_space(owner, "strict"), "limits", edit_newbie_per_minute=3)
    usual = make_space(owner, "usual")
    assert saves_until_refused(newbie, strict)[0] == 3
    assert saves_until_refused(newbie, usual)[0] == 8  # counted per space


def test_the_policy_section_is_checked(make_user, make_space):
    owner = make_user("owner")
    space = make_space(owner, "atlas")
    policy = {**space.policy, "limits": {**space.policy["limits"], "exempt": "everyone"}}
    with pytest.raises(Invalid, match="limits.exempt"):
        spaces.space_policy_update(user=owner, space=space, document=policy)


def test_stewards_are_exempt_and_members_when_the_policy_says(rate_limits, make_user, make_space):
    owner, member = make_user("owner"), make_user("member")
    space = make_space(owner, "atlas", participation="members")
    spaces.space_member_add(user=owner, space=space, member=member)
    rate_limits.PEERWORK_RATE_LIMITS = {"edit": {"user": (5, 60), "newbie": (5, 60)}}
    assert saves_until_refused(owner, space, tries=20)[0] == 20
    assert saves_until_refused(member, space, tries=20)[0] == 5
    set_policy(space, "limits", exempt="member")
    space.refresh_from_db()
    for n in range(100, 110):
        save(member, space, n)


def test_comments_have_their_own_count(rate_limits, make_user, make_space):
    owner, newbie = make_user("owner"), make_user("newbie")
    space = set_policy(make_space(owner, "atlas"), "limits", comment_newbie_per_minute=2)
    page = save(owner, space, 0).page
    for n in range(2):
        discussions.comment_post(user=newbie, target=page, text=f"Comment {n}")
    with pytest.raises(RateLimited, match="at most 2 comments"):
        discussions.comment_post(user=newbie, target=page, text="One too many")
    assert Comment.objects.count() == 2


def test_the_api_answers_429_with_retry_after(rate_limits, make_user, make_space, api_as):
    owner, newbie = make_user("owner"), make_user("newbie")
    set_policy(make_space(owner, "atlas"), "limits", comment_newbie_per_minute=1)
    save(owner, _space("atlas"), 0)
    client = api_as(newbie)
    url = "/spaces/atlas/discussion/Page_0"
    with time_machine.travel("2030-01-01 12:00:00", tick=False):
        assert client.post(url, {"text": "First"}).status_code == 201
        response = client.post(url, {"text": "Second"})
    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    assert response["Retry-After"] == "60"
    body = response.json()
    assert body["type"] == "/problems/rate-limited"
    assert body["retry_after"] == 60
    assert body["limit"] == 1
    assert body["detail"] == ("You may post at most 1 comments in 1 minute. Try again in 1 minute.")
    assert Comment.objects.count() == 1


def _space(slug):
    from peerwork.spaces.models import Space

    return Space.objects.get(slug=slug)


def test_a_page_keeps_what_was_typed(rate_limits, make_user, make_space):
    owner, newbie = make_user("owner"), make_user("newbie")
    space = set_policy(make_space(owner, "atlas"), "limits", edit_newbie_per_minute=1)
    save(newbie, space, 0)
    client = Client()
    client.force_login(newbie)
    response = client.post(
        "/s/atlas/edit/Page_9", {"text": "My carefully typed words", "summary": "s"}
    )
    assert response.status_code == 429
    html = response.content.decode()
    assert "You may save at most 1 edits in 1 minute." in html
    assert "My carefully typed words" in html
    assert not Revision.objects.filter(page__title="Page 9").exists()


def test_sign_ups_are_limited_per_address(rate_limits, db):
    rate_limits.PEERWORK_RATE_LIMITS = WIKIMEDIA_SIGNUPS
    with limits.using_address("203.0.113.7"):
        for n in range(6):
            accounts.user_signup(username=f"person{n}", password=PASSWORD)
        with pytest.raises(RateLimited, match="accounts may be created from one address"):
            accounts.user_signup(username="person6", password=PASSWORD)
    with limits.using_address("198.51.100.2"):
        accounts.user_signup(username="person7", password=PASSWORD)


def test_the_sign_up_page_keeps_the_form(rate_limits, db):
    rate_limits.PEERWORK_RATE_LIMITS = WIKIMEDIA_SIGNUPS
    client = Client(REMOTE_ADDR="203.0.113.9")
    form = {"username": "", "password1": PASSWORD, "password2": PASSWORD, "email": ""}
    for n in range(6):
        assert client.post("/signup/", {**form, "username": f"p{n}"}).status_code == 302
        client.logout()
    response = client.post("/signup/", {**form, "username": "seventh"})
    assert response.status_code in (400, 429)
    html = response.content.decode()
    assert "accounts may be created from one address" in html
    assert 'value="seventh"' in html


def test_api_tokens_are_limited(rate_limits, make_user, api_as):
    person = make_user("person")
    for n in range(10):
        accounts.token_create(user=person, person=person, name=f"t{n}")
    with pytest.raises(RateLimited, match="at most 10 API tokens"):
        accounts.token_create(user=person, person=person, name="eleventh")


def test_the_mediawiki_api_answers_ratelimited(rate_limits, make_user, make_space):
    owner = make_user("owner")
    make_user("newbie")
    set_policy(make_space(owner, "atlas"), "limits", edit_newbie_per_minute=1)
    mw = MW("atlas")
    assert mw.login("newbie")["login"]["result"] == "Success"
    assert mw.edit(title="One", text="one")["edit"]["result"] == "Success"
    answer = mw.edit(title="Two", text="two")
    assert answer["error"]["code"] == "ratelimited"
    assert "at most 1 edits" in answer["error"]["info"]


def test_limits_off_counts_nothing(settings, make_user, make_space):
    owner, newbie = make_user("owner"), make_user("newbie")
    space = make_space(owner, "atlas")
    assert saves_until_refused(newbie, space, tries=20)[0] == 20
    assert not LIMITER.enabled()


def test_an_address_bucket_counts_new_accounts_together(rate_limits, make_user, make_space):
    owner = make_user("owner")
    space = make_space(owner, "atlas")
    a, b = make_user("a"), make_user("b")
    with limits.using_address("203.0.113.1"):
        for n in range(4):
            save(a, space, n)
            save(b, space, 100 + n)
        with pytest.raises(RateLimited):
            save(a, space, 50)
    with limits.using_address("203.0.113.2"):
        save(a, space, 51)  # each account has made only four, and this is another address


def test_a_window_starts_at_the_first_hit(rate_limits, make_user, make_space):
    owner, newbie = make_user("owner"), make_user("newbie")
    space = set_policy(make_space(owner, "atlas"), "limits", edit_newbie_per_minute=2)
    start = "2030-01-01 12:00:30"
    with time_machine.travel(start, tick=False) as clock:
        save(newbie, space, 0)
        clock.shift(timedelta(seconds=50))
        save(newbie, space, 1)
        with pytest.raises(RateLimited) as refused:
            save(newbie, space, 2)
        assert refused.value.retry_after == 10
        clock.shift(timedelta(seconds=10))
        save(newbie, space, 3)


def test_the_hourly_purge_drops_only_ended_counters(rate_limits, make_user, make_space):
    from peerwork.abuse.models import Counter
    from peerwork.core import jobs

    owner, newbie = make_user("owner"), make_user("newbie")
    space = set_policy(make_space(owner, "atlas"), "limits", edit_newbie_per_minute=2)
    with time_machine.travel("2030-01-01 12:00:00", tick=False) as clock:
        save(newbie, space, 0)
        counted = Counter.objects.count()
        assert counted > 0
        assert jobs.run("abuse.counters_purge", {}) == 0  # still in their minute
        clock.shift(timedelta(seconds=61))
        assert jobs.run("abuse.counters_purge", {}) == counted
        assert not Counter.objects.exists()
        save(newbie, space, 1)  # the next edit starts a new minute at one
        save(newbie, space, 2)
        with pytest.raises(RateLimited):
            save(newbie, space, 3)
