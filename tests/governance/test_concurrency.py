"""Exactly one ballot per voter per proposal under parallel submissions, on SQLite and on
PostgreSQL: each cast locks the proposal's row, and the unique (proposal, voter) constraint
stands behind the lock."""

from __future__ import annotations

import pytest

from peerwork.accounts import actions as accounts
from peerwork.core.errors import Conflict
from peerwork.governance import actions
from peerwork.governance.models import Ballot
from peerwork.spaces.models import SpaceMembership
from tests.conftest import run_in_parallel

from .conftest import close, propose


@pytest.mark.django_db(transaction=True)
def test_a_hundred_parallel_ballots_leave_one_per_voter_and_the_last_choice_of_each(people):
    proposal = propose(people, "majority")
    voters = []
    for n in range(20):
        user = accounts.user_signup(username=f"voter{n}", password="a long password here")
        SpaceMembership.objects.create(space=people.space, user=user, role="member")
        voters.append(user)
    # Five submissions per voter, all at once: the same person changing their mind in a hurry.
    calls = [
        (
            lambda user=user, choice=choice: actions.ballot_cast(
                user=user, proposal=proposal, ballot={"choice": choice}
            )
        )
        for user in voters
        for choice in ("a", "b", "a", "b", "a")
    ]
    results, errors = run_in_parallel(calls, refused=(Conflict,))
    assert errors == []
    assert len(results) == 100 and all(isinstance(r, Ballot) for r in results)
    assert Ballot.objects.filter(proposal=proposal).count() == 20
    assert sorted(Ballot.objects.values_list("voter_id", flat=True)) == sorted(v.pk for v in voters)
    receipts = set(Ballot.objects.values_list("receipt", flat=True))
    assert len(receipts) == 20
    result = close(proposal).result
    assert result.ballots == 20 and sum(result.tally["counts"].values()) == 20


@pytest.mark.django_db(transaction=True)
def test_a_hundred_parallel_first_ballots_of_different_voters_are_all_kept(people):
    proposal = propose(people, "approval")
    voters = []
    for n in range(100):
        user = accounts.user_signup(username=f"many{n}", password="a long password here")
        SpaceMembership.objects.create(space=people.space, user=user, role="member")
        voters.append(user)
    calls = [
        (
            lambda user=user: actions.ballot_cast(
                user=user, proposal=proposal, ballot={"approve": ["a", "c"]}
            )
        )
        for user in voters
    ]
    results, errors = run_in_parallel(calls, refused=(Conflict,))
    assert errors == []
    assert Ballot.objects.filter(proposal=proposal).count() == 100
    assert close(proposal).result.tally["counts"] == {"a": 100, "b": 0, "c": 100}
