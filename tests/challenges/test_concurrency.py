"""Submissions stay exact under 100 parallel requests, on SQLite and on PostgreSQL.

The challenge row is locked by every submission (SQLite's IMMEDIATE transactions serialize
writers anyway), so the daily cap is counted under the lock and can never be overrun. The
requests all run at once where the database allows that many connections (CI raises
PostgreSQL's max_connections to 200; see `tests.conftest.parallel_connections`).
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connections

from peerwork.accounts import actions as accounts
from peerwork.challenges import actions
from peerwork.challenges.models import Submission
from peerwork.core.errors import Conflict
from peerwork.spaces.models import SpaceMembership
from tests.conftest import parallel_connections

from .conftest import HALF, make_scored

REQUESTS = 100


def _run(calls: list[Any]) -> tuple[list[Any], list[BaseException]]:
    results: list[Any] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    workers = parallel_connections(len(calls))
    start = threading.Barrier(workers)

    def one(index: int) -> None:
        try:
            if index < workers:
                start.wait()
            outcome = calls[index]()
        except Conflict as conflict:
            outcome = conflict
        except BaseException as error:  # noqa: BLE001
            with lock:
                errors.append(error)
            return
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(one, range(len(calls))))
    return results, errors


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
