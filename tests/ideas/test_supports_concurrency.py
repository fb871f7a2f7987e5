"""Supports stay exact when many requests arrive at once, on SQLite and on PostgreSQL."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from peerwork.ideas import actions
from peerwork.ideas.models import Idea, Support
from tests.conftest import ApiClient, parallel_connections


def _run_at_once(count: int, work) -> list[BaseException]:
    """Start `count` threads together, all holding a connection at once where the database
    allows it (see `parallel_connections`)."""
    errors: list[BaseException] = []
    start = threading.Barrier(count)
    slots = threading.BoundedSemaphore(parallel_connections(count))

    def worker(n: int) -> None:
        try:
            start.wait()
            with slots:
                try:
                    work(n)
                finally:
                    connections.close_all()
        except BaseException as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.mark.django_db(transaction=True)
def test_hundred_concurrent_supports_from_one_account_count_once(make_user, make_space, api_as):
    ada, fan = make_user("ada"), make_user("fan")
    space = make_space(ada, "busy")
    idea = actions.idea_create(user=ada, space=space, title="Solar kiosk")
    idea = actions.idea_publish(user=ada, idea=idea)
    client: ApiClient = api_as(fan)
    statuses: list[int] = []

    def support(_n: int) -> None:
        statuses.append(client.put(f"/spaces/busy/ideas/{idea.pk}/support").status_code)

    assert _run_at_once(100, support) == []
    assert statuses == [200] * 100
    assert Support.objects.filter(idea=idea).count() == 1
    assert Idea.objects.get(pk=idea.pk).support_count == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_supports_and_withdrawals_of_many_people_stay_exact(make_user, make_space):
    ada = make_user("ada")
    space = make_space(ada, "crowd")
    people = [make_user(f"p{n}") for n in range(40)]
    idea = actions.idea_create(user=ada, space=space, title="Rain garden")
    idea = actions.idea_publish(user=ada, idea=idea)

    def churn(n: int) -> None:
        person = people[n % 40]
        actions.idea_support(user=person, idea=idea)
        if n >= 40 and n % 3 == 0:
            actions.idea_support_withdraw(user=person, idea=idea)

    assert _run_at_once(80, churn) == []
    rows = Support.objects.filter(idea=idea).count()
    assert Idea.objects.get(pk=idea.pk).support_count == rows
    assert 0 < rows <= 40
