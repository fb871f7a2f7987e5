"""The ledger's movements through its actions: balances, idempotency, limits, reversals."""

from __future__ import annotations

from typing import Any

import pytest

from peerwork.core.errors import (
    Conflict,
    Forbidden,
    InsufficientFunds,
    Invalid,
    KeyReused,
    NotFound,
)
from peerwork.ledger import actions as ledger
from peerwork.ledger.models import Account, AccountKind, Entry, Payout, Transaction
from peerwork.ledger.verify import verify


def balance(space: Any, kind: str, currency: str = "EUR", **match: Any) -> int:
    found = Account.objects.filter(space=space, kind=kind, currency=currency, **match).first()
    return found.balance if found else 0


def fund(book: Any, amount: int = 100_000, key: str = "grant-1") -> Transaction:
    return ledger.treasury_fund(
        actor=book.steward,
        space=book.space,
        amount=amount,
        currency="EUR",
        key=key,
        memo="Grant from the city",
        reference="GR-2026-17",
    )


def test_funding_moves_money_from_outside_into_the_treasury(book):
    tx = fund(book)
    assert (tx.kind, tx.amount, tx.currency) == ("funding", 100_000, "EUR")
    assert balance(book.space, "treasury") == 100_000
    assert balance(book.space, "external") == -100_000
    assert sorted(Entry.objects.filter(transaction=tx).values_list("amount", flat=True)) == [
        -100_000,
        100_000,
    ]
    assert verify().ok


def test_the_same_key_returns_the_first_transaction_and_another_body_is_refused(book):
    first = fund(book)
    assert fund(book).pk == first.pk
    assert Transaction.objects.count() == 1
    with pytest.raises(KeyReused):
        fund(book, amount=5)
    assert balance(book.space, "treasury") == 100_000


@pytest.mark.parametrize("amount", [0, -1, 1.5, True, "100"])
def test_a_bad_amount_writes_nothing(book, amount):
    with pytest.raises(Invalid):
        fund(book, amount=amount)
    assert not Transaction.objects.exists()


def test_only_a_steward_records_funding(book):
    for person in (book.member, book.outsider):
        with pytest.raises(Forbidden):
            ledger.treasury_fund(actor=person, space=book.space, amount=1, currency="EUR", key="k")
    assert not Transaction.objects.exists()


def test_a_reservation_never_exceeds_the_treasury(book):
    fund(book, amount=5_000)
    with pytest.raises(InsufficientFunds):
        ledger.funds_reserve(
            space=book.space,
            actor=book.steward,
            subject="tasks.task:1",
            amount=5_001,
            currency="EUR",
            key="r1",
        )
    assert Transaction.objects.count() == 1
    ledger.funds_reserve(
        space=book.space,
        actor=book.steward,
        subject="tasks.task:1",
        amount=3_000,
        currency="EUR",
        key="r1",
    )
    assert balance(book.space, "treasury") == 2_000
    assert ledger.reserved(book.space, "tasks.task:1") == {"EUR": 3_000}


def test_a_payout_pays_each_person_from_the_reservation(book):
    fund(book)
    ledger.funds_reserve(
        space=book.space,
        actor=book.steward,
        subject="tasks.task:1",
        amount=9_000,
        currency="EUR",
        key="r1",
    )
    payout = ledger.payout_create(
        space=book.space,
        actor=book.second,
        subject="tasks.task:1",
        kind="bounty",
        to=[(book.member, 6_000), (book.other, 3_000)],
        currency="EUR",
        key="task:1:bounty",
    )
    assert payout.state == Payout.State.PAID
    assert balance(book.space, "earnings", user=book.member) == 6_000
    assert balance(book.space, "earnings", user=book.other) == 3_000
    assert ledger.reserved(book.space, "tasks.task:1") == {}
    again = ledger.payout_create(
        space=book.space,
        actor=book.second,
        subject="tasks.task:1",
        kind="bounty",
        to=[(book.member, 6_000), (book.other, 3_000)],
        currency="EUR",
        key="task:1:bounty",
    )
    assert again.pk == payout.pk
    assert Payout.objects.count() == 1
    assert verify().ok


def test_a_payout_beyond_the_reservation_is_refused(book):
    fund(book)
    with pytest.raises(InsufficientFunds):
        ledger.payout_create(
            space=book.space,
            actor=book.second,
            subject="tasks.task:9",
            kind="bounty",
            to=[(book.member, 1)],
            currency="EUR",
            key="k",
        )
    assert not Payout.objects.exists()
    assert balance(book.space, "treasury") == 100_000


def hold(book: Any, amount: int = 80_000) -> Payout:
    book.space.policy = {"ledger": {"approval_above": {"EUR": 50_000}}}
    book.space.save()
    fund(book)
    return ledger.payout_create(
        space=book.space,
        actor=book.steward,
        subject="ideas.idea:3",
        kind="revenue_share",
        to=[(book.member, amount)],
        currency="EUR",
        key="idea:3:share",
        from_treasury=True,
    )


def test_a_payout_over_the_limit_waits_for_a_second_steward(book):
    payout = hold(book)
    assert payout.state == Payout.State.AWAITING
    assert balance(book.space, "pending") == 80_000
    assert balance(book.space, "earnings", user=book.member) == 0
    with pytest.raises(Forbidden):
        ledger.payout_approve(actor=book.steward, payout=payout)  # asked for it
    with pytest.raises(Forbidden):
        ledger.payout_approve(actor=book.member, payout=payout)  # not a steward
    assert balance(book.space, "pending") == 80_000
    ledger.payout_approve(actor=book.second, payout=payout)
    payout.refresh_from_db()
    assert (payout.state, payout.decided_by) == (Payout.State.PAID, book.second)
    assert balance(book.space, "pending") == 0
    assert balance(book.space, "earnings", user=book.member) == 80_000
    with pytest.raises(Conflict):
        ledger.payout_approve(actor=book.second, payout=payout)
    assert verify().ok


def test_nobody_approves_a_payout_to_themselves(book):
    book.space.policy = {"ledger": {"approval_above": {"EUR": 10}}}
    book.space.save()
    fund(book)
    payout = ledger.payout_create(
        space=book.space,
        actor=book.steward,
        subject="challenges.challenge:1",
        kind="prize",
        to=[(book.second, 500)],
        currency="EUR",
        key="p",
        from_treasury=True,
    )
    with pytest.raises(Forbidden, match="paid by this payout"):
        ledger.payout_approve(actor=book.second, payout=payout)
    assert Payout.objects.get().state == Payout.State.AWAITING


def test_a_rejected_payout_goes_back_where_it_came_from(book):
    payout = hold(book)
    with pytest.raises(Invalid):
        ledger.payout_reject(actor=book.second, payout=payout, reason=" ")
    ledger.payout_reject(actor=book.second, payout=payout, reason="No revenue report yet.")
    assert balance(book.space, "treasury") == 100_000
    assert balance(book.space, "pending") == 0
    assert Payout.objects.get().state == Payout.State.REJECTED
    assert verify().ok


def test_an_outsider_cannot_see_a_payout_in_a_private_space(book):
    book.space.visibility = "members"
    book.space.participation = "members"
    book.space.save()
    payout = hold(book)
    with pytest.raises(NotFound):
        ledger.payout_approve(actor=book.outsider, payout=payout)


def test_a_reversal_mirrors_the_transaction_once(book):
    tx = fund(book)
    reversal = ledger.transaction_reverse(
        actor=book.second, transaction=tx, key="undo-1", reason="Entered twice"
    )
    assert reversal.reverses == tx
    assert balance(book.space, "treasury") == 0
    assert balance(book.space, "external") == 0
    with pytest.raises(Conflict):
        ledger.transaction_reverse(actor=book.second, transaction=tx, key="undo-2", reason="again")
    with pytest.raises(Conflict):
        ledger.transaction_reverse(
            actor=book.second, transaction=reversal, key="undo-3", reason="back"
        )
    assert verify().ok


def test_a_reversal_that_would_overdraw_is_refused(book):
    tx = fund(book)
    ledger.funds_reserve(
        space=book.space,
        actor=book.steward,
        subject="tasks.task:1",
        amount=60_000,
        currency="EUR",
        key="r",
    )
    with pytest.raises(InsufficientFunds):
        ledger.transaction_reverse(actor=book.steward, transaction=tx, key="u", reason="oops")
    assert Transaction.objects.count() == 2


def test_rows_are_never_changed_through_the_models(book):
    tx = fund(book)
    tx.memo = "changed"
    with pytest.raises(RuntimeError):
        tx.save()
    with pytest.raises(RuntimeError):
        tx.entries.first().delete()


def test_a_disbursement_is_recorded_by_another_steward(book):
    fund(book)
    ledger.funds_reserve(
        space=book.space, actor=None, subject="t:1", amount=700, currency="EUR", key="r"
    )
    ledger.payout_create(
        space=book.space,
        actor=None,
        subject="t:1",
        kind="bounty",
        to=[(book.steward, 700)],
        currency="EUR",
        key="b",
    )
    with pytest.raises(Forbidden):
        ledger.earnings_disburse(
            actor=book.steward,
            space=book.space,
            user=book.steward,
            amount=700,
            currency="EUR",
            key="d",
        )
    with pytest.raises(InsufficientFunds):
        ledger.earnings_disburse(
            actor=book.second,
            space=book.space,
            user=book.steward,
            amount=701,
            currency="EUR",
            key="d",
        )
    ledger.earnings_disburse(
        actor=book.second,
        space=book.space,
        user=book.steward,
        amount=700,
        currency="EUR",
        key="d",
        reference="bank transfer 889",
    )
    assert balance(book.space, "earnings", user=book.steward) == 0
    assert verify().ok


# ---- verify finds every kind of tampering ----------------------------------------------------


def funded_and_paid(book: Any) -> None:
    fund(book)
    ledger.funds_reserve(
        space=book.space, actor=None, subject="t:1", amount=900, currency="EUR", key="r"
    )
    ledger.payout_create(
        space=book.space,
        actor=None,
        subject="t:1",
        kind="bounty",
        to=[(book.member, 900)],
        currency="EUR",
        key="b",
    )
    assert verify().ok


def test_verify_names_an_entry_changed_in_the_database(book):
    funded_and_paid(book)
    entry = Entry.objects.filter(amount=900).first()
    Entry.objects.filter(pk=entry.pk).update(amount=901)
    report = verify()
    assert not report.ok
    assert report.problems[0].startswith(f"transaction {entry.transaction_id}:")


def test_verify_names_a_cached_balance_changed_in_the_database(book):
    funded_and_paid(book)
    Account.objects.filter(kind=AccountKind.EARNINGS).update(balance=1_000_000)
    assert "its balance says 1000000, its entries sum to 900" in verify().problems[0]


def test_verify_sees_entries_and_balances_changed_together(book):
    funded_and_paid(book)
    earnings = Account.objects.get(kind=AccountKind.EARNINGS)
    entry = Entry.objects.get(account=earnings)
    reserve_entry = Entry.objects.get(transaction=entry.transaction, amount=-900)
    Entry.objects.filter(pk=entry.pk).update(amount=400)
    Entry.objects.filter(pk=reserve_entry.pk).update(amount=-400)
    Account.objects.filter(pk=earnings.pk).update(balance=400)
    Account.objects.filter(pk=reserve_entry.account_id).update(balance=500)
    Transaction.objects.filter(pk=entry.transaction_id).update(amount=400)
    problems = verify().problems
    assert problems
    assert "differs from the activity event" in problems[0]
