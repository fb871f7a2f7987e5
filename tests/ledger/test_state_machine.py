"""Random sequences of every movement keep the ledger's invariants after each step.

Fund, refund, reserve, release, pay (at once or held), approve, turn down, disburse and
reverse, in any order Hypothesis finds; a refused movement (not enough funds, already
reversed) writes nothing. After every step: each transaction's entries sum to zero, no account
of the space is below zero, cached balances equal their entries, every payout has its
transaction, and `verify()` finds nothing wrong.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from peerwork.core.errors import Conflict, InsufficientFunds
from peerwork.ledger import actions as ledger
from peerwork.ledger.models import Account, Entry, Payout, Transaction
from peerwork.ledger.verify import verify

AMOUNTS = st.integers(min_value=1, max_value=20_000)
SUBJECTS = st.sampled_from(["tasks.task:1", "tasks.task:2", "challenges.challenge:3"])
#: Refusals a movement may answer with; anything else fails the run.
REFUSED = (InsufficientFunds, Conflict)


def machine_for(book: Any) -> type[RuleBasedStateMachine]:
    class Ledger(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            self.count = 0

        def teardown(self) -> None:
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)

        def key(self) -> str:
            self.count += 1
            return f"k{self.count}"

        def attempt(self, move: Any) -> Any:
            before = Transaction.objects.count()
            try:
                return move()
            except REFUSED:
                assert Transaction.objects.count() == before
                return None

        @rule(amount=AMOUNTS)
        def fund(self, amount: int) -> None:
            ledger.treasury_fund(
                actor=book.steward, space=book.space, amount=amount, currency="EUR", key=self.key()
            )

        @rule(amount=AMOUNTS)
        def refund(self, amount: int) -> None:
            self.attempt(
                lambda: ledger.treasury_refund(
                    actor=book.steward,
                    space=book.space,
                    amount=amount,
                    currency="EUR",
                    key=self.key(),
                )
            )

        @rule(subject=SUBJECTS, amount=AMOUNTS)
        def reserve(self, subject: str, amount: int) -> None:
            self.attempt(
                lambda: ledger.funds_reserve(
                    space=book.space,
                    actor=book.steward,
                    subject=subject,
                    amount=amount,
                    currency="EUR",
                    key=self.key(),
                )
            )

        @rule(subject=SUBJECTS)
        def release(self, subject: str) -> None:
            ledger.funds_release(
                space=book.space, actor=book.steward, subject=subject, key=self.key()
            )

        @rule(subject=SUBJECTS, amount=AMOUNTS, split=st.booleans())
        def pay(self, subject: str, amount: int, split: bool) -> None:
            to = [(book.member, amount)]
            if split:
                to.append((book.other, 1 + amount // 3))
            self.attempt(
                lambda: ledger.payout_create(
                    space=book.space,
                    actor=book.second,
                    subject=subject,
                    kind="bounty",
                    to=to,
                    currency="EUR",
                    key=self.key(),
                )
            )

        @rule(approve=st.booleans())
        def decide(self, approve: bool) -> None:
            held = Payout.objects.filter(space=book.space, state="awaiting").first()
            if held is None:
                return
            if approve:
                self.attempt(lambda: ledger.payout_approve(actor=book.steward, payout=held))
            else:
                self.attempt(
                    lambda: ledger.payout_reject(actor=book.steward, payout=held, reason="No")
                )

        @rule(amount=AMOUNTS)
        def disburse(self, amount: int) -> None:
            self.attempt(
                lambda: ledger.earnings_disburse(
                    actor=book.steward,
                    space=book.space,
                    user=book.member,
                    amount=amount,
                    currency="EUR",
                    key=self.key(),
                )
            )

        @rule(pick=st.integers(min_value=0, max_value=50))
        def reverse(self, pick: int) -> None:
            ids = list(Transaction.objects.order_by("pk").values_list("pk", flat=True))
            if not ids:
                return
            tx = Transaction.objects.get(pk=ids[pick % len(ids)])
            self.attempt(
                lambda: ledger.transaction_reverse(
                    actor=book.steward, transaction=tx, key=self.key(), reason="Wrong"
                )
            )

        @invariant()
        def entries_balance(self) -> None:
            unbalanced = (
                Entry.objects.values("transaction_id")
                .annotate(total=Sum("amount"))
                .exclude(total=0)
            )
            assert list(unbalanced) == []

        @invariant()
        def balances_are_their_entries_and_never_negative(self) -> None:
            for item in Account.objects.all():
                total = item.entries.aggregate(total=Sum("amount"))["total"] or 0
                assert item.balance == total
                assert item.kind == "external" or item.balance >= 0

        @invariant()
        def payouts_have_their_transactions(self) -> None:
            for payout in Payout.objects.select_related("funded_by"):
                if payout.funded_by.kind == "hold":
                    assert (payout.state == "awaiting") == (payout.settled_by_id is None)
                else:
                    assert (payout.state, payout.settled_by_id) == ("paid", None)

        @invariant()
        def verify_finds_nothing(self) -> None:
            report = verify(book.space.pk)
            assert report.ok, report.problems

    return Ledger


@pytest.mark.django_db
def test_every_sequence_of_movements_keeps_the_invariants(book):
    book.space.policy = {"ledger": {"approval_above": {"EUR": 5_000}}}
    book.space.save(update_fields=["policy"])
    run_state_machine_as_test(
        machine_for(book),
        settings=settings(
            max_examples=30,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
