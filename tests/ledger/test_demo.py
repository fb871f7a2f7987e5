"""The demo's money: funded treasuries, a judged challenge paid, an idea's revenue shared, and
`peerwork ledger verify` passing on all of it."""

from __future__ import annotations

from peerwork.cli import main
from peerwork.demo import load_demo
from peerwork.ledger.models import Account, Payout, Transaction
from peerwork.ledger.verify import verify


def test_the_demo_ledger_verifies(db, capsys):
    assert load_demo() is True
    grants = Transaction.objects.filter(kind="funding").order_by("space__slug")
    assert [(tx.space.slug, tx.amount, tx.currency) for tx in grants] == [
        ("city-budget", 1_000_000, "EUR"),
        ("lab-notes", 1_000_000, "EUR"),
        ("open-atlas", 1_000_000, "EUR"),
    ]
    assert all(tx.reference.startswith("CF-2026-") for tx in grants)
    payouts = [
        (
            payout.kind,
            payout.state,
            {line.user.username: line.amount for line in payout.lines.all()},
        )
        for payout in Payout.objects.order_by("id")
    ]
    assert payouts == [
        # 1 % of 2,400.00 to the handbook's co-creators, 67:33 by largest remainder; then 1 %
        # of 1,150.50 is 11.505: 11.50 (rounded down), 7.705 and 3.795, the tie to the first.
        ("revenue_share", "paid", {"grace": 1608, "linus": 792}),
        ("revenue_share", "paid", {"grace": 771, "linus": 379}),
        # 400.00 and 150.00 to the two entries of the judged challenge; 50.00 unawarded.
        ("prize", "paid", {"linus": 40000, "ostrom": 15000}),
        # The river survey's bounty, approved by linus, to grace who delivered it.
        ("bounty", "paid", {"grace": 12000}),
    ]
    treasury = Account.objects.get(space__slug="open-atlas", kind="treasury", currency="EUR")
    # The grant and the revenue in; the open challenges' pools (2,000.00) set aside; the prizes
    # paid (550.00) and the creators' shares (24.00 and 11.50) out; the tasks' bounties set
    # aside (120.00, paid, and 40.00, in review).
    assert treasury.balance == (
        1_000_000 + 240_000 + 115_050 - 200_000 - 55_000 - 2_400 - 1_150 - 12_000 - 4_000
    )
    assert verify().ok
    assert main(["ledger", "verify"]) == 0
    capsys.readouterr()
