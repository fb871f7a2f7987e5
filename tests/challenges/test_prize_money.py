"""A challenge's prize pool in the ledger: reserved when posted, resized with the terms, paid on
award (or held for a second steward), given back when withdrawn or left unawarded."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from peerwork.activity.models import Event
from peerwork.challenges import actions
from peerwork.challenges.models import Challenge
from peerwork.core.errors import Conflict, InsufficientFunds
from peerwork.ledger import actions as ledger
from peerwork.ledger.models import Account, Payout, Transaction
from peerwork.ledger.verify import verify
from peerwork.spaces import actions as spaces

from .conftest import GRANT, People, make_challenge

pytestmark = pytest.mark.django_db


def balance(people: People, kind: str, currency: str = "EUR", **match: Any) -> int:
    found = Account.objects.filter(
        space=people.space, kind=kind, currency=currency, **match
    ).first()
    return found.balance if found else 0


def reserved(challenge: Challenge) -> int:
    return balance_of(challenge, "reserve", subject=f"challenges.challenge:{challenge.pk}")


def balance_of(challenge: Challenge, kind: str, **match: Any) -> int:
    found = Account.objects.filter(
        space=challenge.space, kind=kind, currency=challenge.currency, **match
    ).first()
    return found.balance if found else 0


def page(people: People, challenge: Challenge, user: Any = None) -> str:
    client = Client()
    if user is not None:
        client.force_login(user)
    response = client.get(f"/s/{people.space.slug}/challenges/{challenge.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def money_line(html: str) -> str:
    """The text of the page's prize money line, tags stripped."""
    found = re.search(r'<dd id="prize-money"[^>]*>(.*?)</dd>', html, re.S)
    assert found, "no prize money line"
    return re.sub(r"<[^>]+>", "", found.group(1)).strip()


def _team_award(people: People, make_user: Any, time_machine: Any, **terms: Any) -> Challenge:
    """A 7.00 first place won by a team of three, the 2nd and 3rd places left empty."""
    challenge = make_challenge(people, prize_pool=1000, prize_split=[700, 200, 100], **terms)
    for name in ("mate", "mate2"):
        people.space.memberships.create(user=make_user(name), role="member")
    team = actions.submission_create(user=people.solver, challenge=challenge, title="Team")
    for name in ("mate", "mate2"):
        actions.submission_invite(user=people.solver, submission=team, username=name)
        actions.submission_join(
            user=people.space.memberships.get(user__username=name).user, submission=team
        )
    actions.submission_score(user=people.judge, submission=team, scores={"Feasibility": 5})
    time_machine.move_to(challenge.closes_at + timedelta(seconds=1), tick=False)
    return challenge


def test_posting_a_challenge_sets_its_pool_aside(people: People):
    challenge = make_challenge(people)
    assert reserved(challenge) == 10000
    assert balance(people, "treasury") == GRANT - 10000
    tx = Transaction.objects.get(kind="reserve")
    assert (tx.key, tx.amount, tx.subject) == (
        f"challenge:{challenge.pk}:pool",
        10000,
        f"challenges.challenge:{challenge.pk}",
    )
    assert money_line(page(people, challenge)) == (
        "Prize pool reserved: €100.00 set aside from the treasury · See the ledger"
    )
    assert f'href="/s/{people.space.slug}/ledger/"' in page(people, challenge)
    assert verify().ok


def test_a_prize_the_treasury_cannot_cover_is_refused_and_nothing_is_written(people: People):
    before = (Transaction.objects.count(), Event.objects.count())
    with pytest.raises(InsufficientFunds) as refused:
        make_challenge(people, currency="CHF", prize_pool=100, prize_split=[100])
    assert refused.value.field == "prize_pool"
    assert "The treasury holds CHF0.00, less than the CHF1.00" in refused.value.detail
    assert not Challenge.objects.exists()
    assert (Transaction.objects.count(), Event.objects.count()) == before
    assert verify().ok


def test_the_api_answers_insufficient_funds_and_writes_nothing(people: People, api_as):
    now, seeker = timezone.now(), api_as(people.seeker)
    before = (Transaction.objects.count(), Event.objects.count())
    answer = seeker.post(
        f"/spaces/{people.space.slug}/challenges",
        {
            "title": "Too rich",
            "statement": "More than the treasury holds.",
            "kind": "ideation",
            "currency": "EUR",
            "prize_pool": GRANT + 1,
            "prize_split": [GRANT + 1],
            "opens_at": (now - timedelta(minutes=1)).isoformat(),
            "closes_at": (now + timedelta(days=3)).isoformat(),
            "ip_terms": "open",
            "criteria": [{"name": "Quality", "weight": 1}],
        },
    )
    assert answer.status_code == 409
    assert answer["Content-Type"] == "application/problem+json"
    assert answer.json()["type"] == "/problems/insufficient-funds"
    assert not Challenge.objects.exists()
    assert (Transaction.objects.count(), Event.objects.count()) == before


def test_the_post_form_shows_the_treasury_is_short(people: People):
    client = Client()
    client.force_login(people.seeker)
    response = client.post(
        f"/s/{people.space.slug}/challenges/new",
        {
            "title": "Kept title",
            "statement": "Kept statement",
            "kind": "ideation",
            "currency": "GBP",
            "prize_pool": "100",
            "prize_split": "100",
            "opens_at": "2020-01-01T00:00",
            "closes_at": "2099-01-01T00:00",
            "ip_terms": "license",
            "criteria": "Quality: 1",
        },
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "The treasury holds £0.00, less than the £100.00 to set aside" in body
    assert 'value="Kept title"' in body
    assert not Challenge.objects.exists()


def test_raising_the_pool_reserves_the_difference_and_lowering_it_gives_money_back(
    people: People,
):
    challenge = make_challenge(people)
    actions.challenge_update(
        user=people.seeker, challenge=challenge, prize_pool=15000, prize_split=[10000, 5000]
    )
    assert reserved(challenge) == 15000
    assert balance(people, "treasury") == GRANT - 15000
    actions.challenge_update(
        user=people.seeker, challenge=challenge, prize_pool=4000, prize_split=[4000]
    )
    assert reserved(challenge) == 4000
    assert balance(people, "treasury") == GRANT - 4000
    # Raised again to the same amount as before: a new key, so the money really moves.
    actions.challenge_update(
        user=people.seeker, challenge=challenge, prize_pool=15000, prize_split=[10000, 5000]
    )
    assert reserved(challenge) == 15000
    keys = list(
        Transaction.objects.filter(subject=f"challenges.challenge:{challenge.pk}")
        .order_by("id")
        .values_list("kind", "amount")
    )
    assert keys == [
        ("reserve", 10000),
        ("reserve", 5000),
        ("release", 15000),
        ("reserve", 4000),
        ("reserve", 11000),
    ]
    assert verify().ok


def test_raising_the_pool_beyond_the_treasury_changes_nothing(people: People):
    challenge = make_challenge(people)
    with pytest.raises(InsufficientFunds):
        actions.challenge_update(
            user=people.seeker,
            challenge=challenge,
            title="Richer",
            prize_pool=GRANT + 1,
            prize_split=[GRANT + 1],
        )
    challenge.refresh_from_db()
    assert (challenge.title, challenge.prize_pool) == ("Cheaper water filters", 10000)
    assert reserved(challenge) == 10000
    assert Transaction.objects.filter(kind="reserve").count() == 1


def test_withdrawing_gives_the_pool_back_to_the_treasury(people: People):
    challenge = make_challenge(people)
    actions.challenge_withdraw(user=people.seeker, challenge=challenge, reason="Solved it")
    assert reserved(challenge) == 0
    assert balance(people, "treasury") == GRANT
    release = Transaction.objects.get(kind="release")
    assert (release.key, release.amount) == (f"challenge:{challenge.pk}:withdrawn", 10000)
    assert money_line(page(people, challenge)) == (
        "The prize pool went back to the treasury. · See the ledger"
    )
    assert verify().ok


def test_the_award_pays_each_share_and_gives_the_unawarded_rest_back(
    people: People, make_user, time_machine
):
    challenge = _team_award(people, make_user, time_machine)
    actions.challenge_award(user=people.seeker, challenge=challenge)
    earnings = dict(
        Account.objects.filter(space=people.space, kind="earnings").values_list(
            "user__username", "balance"
        )
    )
    # 700 among three by largest remainder: the earliest member gets the extra unit.
    assert earnings == {"solver": 234, "mate": 233, "mate2": 233}
    payout = Payout.objects.get()
    assert (payout.kind, payout.state, payout.amount, payout.key) == (
        "prize",
        "paid",
        700,
        f"challenge:{challenge.pk}:prizes",
    )
    assert reserved(challenge) == 0
    assert balance(people, "treasury") == GRANT - 700
    unawarded = Transaction.objects.get(kind="release")
    assert (unawarded.amount, unawarded.key) == (300, f"challenge:{challenge.pk}:unawarded")
    assert money_line(page(people, challenge)) == "€7.00 paid to the winners · See the ledger"
    assert verify().ok


def test_a_challenge_is_awarded_and_paid_once(people: People, make_user, time_machine):
    challenge = _team_award(people, make_user, time_machine)
    actions.challenge_award(user=people.seeker, challenge=challenge)
    with pytest.raises(Conflict):
        actions.challenge_award(user=people.seeker, challenge=challenge)
    assert Payout.objects.count() == 1
    assert Transaction.objects.filter(kind="prize").count() == 1
    assert balance(people, "treasury") == GRANT - 700
    assert verify().ok


def test_a_prize_over_the_limit_is_awarded_and_awaits_a_second_steward(
    people: People, make_user, time_machine
):
    document = dict(people.space.policy or {})
    document["ledger"] = {"approval_above": {"EUR": 500}}
    spaces.space_policy_update(user=people.steward, space=people.space, document=document)
    challenge = _team_award(people, make_user, time_machine)
    actions.challenge_award(user=people.seeker, challenge=challenge)
    challenge.refresh_from_db()
    assert challenge.awarded_at is not None
    payout = Payout.objects.get()
    assert (payout.state, payout.amount) == ("awaiting", 700)
    assert not Account.objects.filter(kind="earnings", balance__gt=0).exists()
    assert balance(people, "pending") == 700
    assert money_line(page(people, challenge)) == (
        "€7.00 awarded, awaiting a second steward's approval · See the ledger"
    )
    ledger.payout_approve(actor=people.steward, payout=payout)
    assert balance(people, "earnings", user=people.solver) == 234
    assert money_line(page(people, challenge)) == "€7.00 paid to the winners · See the ledger"
    assert verify().ok


def test_the_edit_form_shows_the_treasury_is_short_and_keeps_the_old_pool(people: People):
    challenge = make_challenge(people)
    client = Client()
    client.force_login(people.seeker)
    local = timezone.localtime
    response = client.post(
        f"/s/{people.space.slug}/challenges/{challenge.pk}/edit",
        {
            "title": "Richer",
            "statement": challenge.statement,
            "eligibility": "",
            "prize_pool": "100000.01",
            "prize_split": "100000.01",
            "opens_at": local(challenge.opens_at).strftime("%Y-%m-%dT%H:%M"),
            "closes_at": local(challenge.closes_at).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 409
    # The raise is what would be set aside: 99,900.01 more, with 99,900.00 left.
    assert (
        "The treasury holds €99,900.00, less than the €99,900.01 to set aside"
        in response.content.decode()
    )
    challenge.refresh_from_db()
    assert (challenge.title, challenge.prize_pool) == ("Cheaper water filters", 10000)
    assert reserved(challenge) == 10000
