"""Submissions stay exact under 100 parallel requests, on SQLite and on PostgreSQL.

The challenge row is locked by every submission (SQLite's IMMEDIATE transactions serialize
writers anyway), so the daily cap is counted under the lock and can never be overrun. The
requests all run at once where the database allows that many connections (CI raises
PostgreSQL's max_connections to 200; see `tests.conftest.parallel_connections`).
"""

from __future__ import annotations

from typing import Any

import pytest

from peerwork.accounts import actions as accounts
from peerwork.challenges import actions
from peerwork.challenges.models import Submission
from peerwork.core.errors import Conflict
from peerwork.spaces.models import SpaceMembership
from tests.conftest import run_in_parallel

from .conftest import HALF, make_scored

REQUESTS = 100


def _run(calls: list[Any]) -> tuple[list[Any], list[BaseException]]:
    return run_in_parallel(calls, refused=(Conflict,))


@pytest.mark.django_db(transaction=True)
def test_one_solver_in_parallel_never_passes_the_daily_cap(people):
    challenge = make_scored(people)  # the default policy allows 5 a day
    calls = [
        (
            lambda: actions.submission_create(
                user=people.solver, challenge=challenge, predictions=HALF
            )
        )
        for _ in range(REQUESTS)
    ]
    results, errors = _run(calls)
    assert errors == []
    stored = [r for r in results if isinstance(r, Submission)]
    refused = [r for r in results if isinstance(r, Conflict)]
    assert len(stored) == 5 and len(refused) == REQUESTS - 5
    assert Submission.objects.filter(challenge=challenge).count() == 5


@pytest.mark.django_db(transaction=True)
def test_many_solvers_in_parallel_are_all_stored(people):
    challenge = make_scored(people)
    solvers = []
    for n in range(REQUESTS):
        user = accounts.user_signup(username=f"solver{n}", password="a long password here")
        SpaceMembership.objects.create(space=people.space, user=user, role="member")
        solvers.append(user)
    calls = [
        (
            lambda user=user: actions.submission_create(
                user=user, challenge=challenge, predictions=HALF
            )
        )
        for user in solvers
    ]
    results, errors = _run(calls)
    assert errors == []
    assert all(isinstance(r, Submission) for r in results)
    assert Submission.objects.filter(challenge=challenge).count() == REQUESTS
    assert (
        Submission.objects.filter(challenge=challenge).values("submitted_by").distinct().count()
        == REQUESTS
    )
