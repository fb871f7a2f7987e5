"""The ledger's REST API: balances, lists, idempotent money-moving POSTs and their problems."""

from __future__ import annotations

from typing import Any

from peerwork.ledger import actions as ledger
from peerwork.ledger.models import Payout, Transaction

from .test_actions import balance, fund

BASE = "/spaces/fund/ledger"


def held_payout(book: Any, amount: int = 20_000) -> Payout:
    book.space.policy = {"ledger": {"approval_above": {"EUR": 10_000}}}
    book.space.save(update_fields=["policy"])
    return ledger.payout_create(
        space=book.space,
        actor=book.second,
        subject="tasks.task:9",
        kind="bounty",
        to=[(book.member, amount)],
        currency="EUR",
        key=f"held-{amount}",
        from_treasury=True,
    )


def test_balances_per_currency(book, api_as):
    fund(book)
    ledger.funds_reserve(
        space=book.space,
        actor=book.steward,
        subject="tasks.task:1",
        amount=30_000,
        currency="EUR",
        key="r1",
    )
    held_payout(book)
    response = api_as(None).get(BASE)
    assert response.status_code == 200
    assert response.json()["balances"] == [
        {"currency": "EUR", "treasury": 50_000, "reserved": 30_000, "pending": 20_000}
    ]
    assert response.json()["can_manage"] is False
    assert api_as(book.steward).get(BASE).json()["can_manage"] is True


def test_funding_needs_an_idempotency_key_and_replays_the_first_result(book, api_as):
    client = api_as(book.steward)
    body = {"amount": 12_345, "currency": "EUR", "memo": "Sponsor", "reference": "INV-9"}
    missing = client.post(f"{BASE}/funding", body)
    assert missing.status_code == 422
    assert missing.json()["type"].endswith("/validation")
    assert missing.json()["errors"][0]["field"] == "Idempotency-Key"
    assert not Transaction.objects.exists()
    first = client.post(f"{BASE}/funding", body, HTTP_IDEMPOTENCY_KEY="abc")
    assert first.status_code == 201
    again = client.post(f"{BASE}/funding", body, HTTP_IDEMPOTENCY_KEY="abc")
    assert again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert Transaction.objects.count() == 1
    reused = client.post(f"{BASE}/funding", {**body, "amount": 1}, HTTP_IDEMPOTENCY_KEY="abc")
    assert reused.status_code == 409
    assert reused.json()["type"].endswith("/idempotency-key-reused")
    assert balance(book.space, "treasury") == 12_345
    assert first.json()["reference"] == "INV-9"
    assert [e["amount"] for e in first.json()["entries"]] == [-12_345, 12_345]


def test_a_member_may_not_record_funding_and_nothing_changes(book, api_as):
    response = api_as(book.member).post(
        f"{BASE}/funding", {"amount": 5, "currency": "EUR"}, HTTP_IDEMPOTENCY_KEY="k"
    )
    assert response.status_code == 403
    assert response.json()["type"].endswith("/forbidden")
    assert not Transaction.objects.exists()


def test_a_refund_beyond_the_treasury_is_insufficient_funds(book, api_as):
    fund(book, amount=1_000)
    response = api_as(book.steward).post(
        f"{BASE}/refunds", {"amount": 1_001, "currency": "EUR"}, HTTP_IDEMPOTENCY_KEY="r"
    )
    assert response.status_code == 409
    assert response.json()["type"].endswith("/insufficient-funds")
    assert Transaction.objects.count() == 1
    assert balance(book.space, "treasury") == 1_000


def test_private_columns_only_for_stewards(book, api_as):
    fund(book)
    for user, reference in ((book.steward, "GR-2026-17"), (book.member, None), (None, None)):
        rows = api_as(user).get(f"{BASE}/transactions").json()["items"]
        assert [(row["kind"], row["reference"]) for row in rows] == [("funding", reference)]


def test_transactions_filter_and_paginate(book, api_as):
    fund(book, amount=100, key="a")
    fund(book, amount=200, key="b")
    ledger.treasury_fund(actor=book.steward, space=book.space, amount=300, currency="USD", key="c")
    client = api_as(None)
    usd = client.get(f"{BASE}/transactions?currency=USD").json()["items"]
    assert [row["amount"] for row in usd] == [300]
    first = client.get(f"{BASE}/transactions?limit=2").json()
    assert [row["amount"] for row in first["items"]] == [300, 200]
    rest = client.get(f"{BASE}/transactions?limit=2&cursor={first['next_cursor']}").json()
    assert [row["amount"] for row in rest["items"]] == [100]
    assert rest["next_cursor"] is None
    assert client.get(f"{BASE}/transactions?kind=refund").json()["items"] == []
    assert client.get(f"{BASE}/transactions?kind=nonsense").status_code == 422


def test_disbursement_and_earnings(book, api_as):
    fund(book)
    ledger.payout_create(
        space=book.space,
        actor=book.steward,
        subject="tasks.task:3",
        kind="bounty",
        to=[(book.member, 4_000)],
        currency="EUR",
        key="p",
        from_treasury=True,
    )
    response = api_as(book.steward).post(
        f"{BASE}/disbursements",
        {"username": "member", "amount": 1_500, "currency": "EUR", "reference": "TR-1"},
        HTTP_IDEMPOTENCY_KEY="d",
    )
    assert response.status_code == 201
    assert response.json()["kind"] == "disbursement"
    earnings = api_as(None).get(f"{BASE}/people/member").json()
    assert earnings == {
        "username": "member",
        "earnings": [{"currency": "EUR", "earned": 4_000, "paid_out": 1_500, "balance": 2_500}],
    }
    assert api_as(None).get(f"{BASE}/people/nobody").status_code == 404


def test_reversal_through_the_api(book, api_as):
    tx = fund(book)
    client = api_as(book.steward)
    response = client.post(
        f"{BASE}/transactions/{tx.pk}/reversal", {"reason": "Typo"}, HTTP_IDEMPOTENCY_KEY="x"
    )
    assert response.status_code == 201
    assert response.json()["reverses"] == tx.pk
    assert balance(book.space, "treasury") == 0
    twice = client.post(
        f"{BASE}/transactions/{tx.pk}/reversal", {"reason": "Typo"}, HTTP_IDEMPOTENCY_KEY="y"
    )
    assert twice.status_code == 409
    assert twice.json()["type"].endswith("/conflict")
    shown = client.get(f"{BASE}/transactions/{tx.pk}").json()
    assert shown["reversed"] is True


def test_held_payouts_are_listed_approved_and_rejected(book, api_as):
    fund(book)
    first = held_payout(book, 20_000)
    second = held_payout(book, 30_000)
    client = api_as(book.steward)
    awaiting = client.get(f"{BASE}/payouts?state=awaiting").json()["items"]
    assert [(p["id"], p["can_decide"]) for p in awaiting] == [(second.pk, True), (first.pk, True)]
    asked = api_as(book.second).post(f"{BASE}/payouts/{first.pk}/approval")
    assert asked.status_code == 403
    approved = client.post(f"{BASE}/payouts/{first.pk}/approval")
    assert approved.status_code == 200
    assert approved.json()["state"] == "paid"
    empty = client.post(f"{BASE}/payouts/{second.pk}/rejection", {"reason": ""})
    assert empty.status_code == 422
    rejected = client.post(f"{BASE}/payouts/{second.pk}/rejection", {"reason": "Not done"})
    assert rejected.json()["state"] == "rejected"
    assert balance(book.space, "pending") == 0
    assert balance(book.space, "earnings", user=book.member) == 20_000
    assert balance(book.space, "treasury") == 80_000


def test_a_ledger_for_stewards_is_hidden_from_members(book, api_as):
    fund(book)
    book.space.policy = {"ledger": {"visibility": "stewards"}}
    book.space.save(update_fields=["policy"])
    assert api_as(book.member).get(BASE).status_code == 404
    assert api_as(None).get(f"{BASE}/transactions").status_code == 404
    assert api_as(book.second).get(BASE).status_code == 200
