"""The ledger stays exact under 50 parallel requests, on SQLite and on PostgreSQL.

Every movement locks its space's row first (SQLite's IMMEDIATE transactions serialize writers
anyway), so a key is looked up, and a balance read, only by one writer at a time.
"""

from __future__ import annotations

from typing import Any

import pytest

from peerwork.core.errors import InsufficientFunds
from peerwork.ledger import actions as ledger
from peerwork.ledger.models import Payout, Transaction
from peerwork.ledger.verify import verify
from tests.conftest import run_in_parallel

from .test_actions import balance

REQUESTS = 50


def _run(calls: list[Any]) -> tuple[list[Any], list[BaseException]]:
    return run_in_parallel(calls, refused=(InsufficientFunds,))


@pytest.mark.django_db(transaction=True)
def test_one_key_in_parallel_makes_one_payout_and_one_transaction(book):
    ledger.treasury_fund(
        actor=book.steward, space=book.space, amount=100_000, currency="EUR", key="grant"
    )
    calls = [
        lambda: ledger.payout_create(
            space=book.space,
            actor=book.steward,
            subject="tasks.task:1",
            kind="bounty",
            to=[(book.member, 700)],
            currency="EUR",
            key="the-one-key",
            from_treasury=True,
        )
        for _ in range(REQUESTS)
    ]
    results, errors = _run(calls)
    assert errors == []
    assert len({payout.pk for payout in results}) == 1
    assert Payout.objects.count() == 1
    assert Transaction.objects.filter(kind="bounty").count() == 1
    assert balance(book.space, "earnings", user=book.member) == 700
    assert verify().ok


@pytest.mark.django_db(transaction=True)
def test_distinct_keys_in_parallel_all_land(book):
    calls = [
        (
            lambda n=n: ledger.treasury_fund(
                actor=book.steward,
                space=book.space,
                amount=100 + n,
                currency="EUR",
                key=f"gift-{n}",
            )
        )
        for n in range(REQUESTS)
    ]
    results, errors = _run(calls)
    assert errors == []
    assert len({tx.pk for tx in results}) == REQUESTS
    expected = sum(100 + n for n in range(REQUESTS))
    assert balance(book.space, "treasury") == expected
    assert balance(book.space, "external") == -expected
    assert verify().ok


@pytest.mark.django_db(transaction=True)
def test_parallel_reservations_never_overdraw_the_treasury(book):
    ledger.treasury_fund(
        actor=book.steward, space=book.space, amount=10_000, currency="EUR", key="grant"
    )
    calls = [
        (
            lambda n=n: ledger.funds_reserve(
                space=book.space,
                actor=book.steward,
                subject=f"tasks.task:{n}",
                amount=1_000,
                currency="EUR",
                key=f"reserve-{n}",
            )
        )
        for n in range(REQUESTS)
    ]
    results, errors = _run(calls)
    assert errors == []
    refused = [r for r in results if isinstance(r, InsufficientFunds)]
    assert len(refused) == REQUESTS - 10
    assert balance(book.space, "treasury") == 0
    assert Transaction.objects.filter(kind="reserve").count() == 10
    assert verify().ok
