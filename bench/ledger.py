"""Benchmark of the ledger: payouts per second with 1 and 4 writers, and `ledger verify` time.

Run on SQLite:      PEERWORK_DATA_DIR=/tmp/pwbench .venv/bin/python bench/ledger.py
Run on PostgreSQL:  DATABASE_URL=postgres://postgres@127.0.0.1:5432/peerwork_bench \\
                    .venv/bin/python bench/ledger.py

Payouts go through `payout_create` (a bounty paid at once out of the treasury to one person),
each in its own database transaction as a request would be; the writers share one space, so
they queue on its lock, which is the point. The verify corpus is --transactions fundings
written in bulk by `bulk_fundings`: the rows `treasury_fund` writes (the transaction, its two
entries, its event appended to the space's SHA-256 chain, the balances), a batch per insert,
since a hundred thousand calls of the action take minutes; a sample made by the action itself
checks that the two paths write the same. A second run on the same database reuses the corpus.
Every number is the median of --repeat runs. It is a command, not a test: it prints numbers
and asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerwork.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections, transaction  # noqa: E402
from django.db.models import F  # noqa: E402
from django.utils import timezone  # noqa: E402

from peerwork.accounts import actions as accounts  # noqa: E402
from peerwork.accounts.models import User  # noqa: E402
from peerwork.activity.models import ChainHead, Event  # noqa: E402
from peerwork.activity.recorder import _plain, chain_key, event_hash, target_of  # noqa: E402
from peerwork.ledger import actions as ledger  # noqa: E402
from peerwork.ledger.models import Account, AccountKind, Entry, Kind, Transaction  # noqa: E402
from peerwork.ledger.verify import verify  # noqa: E402
from peerwork.spaces import actions as spaces  # noqa: E402
from peerwork.spaces.models import Space  # noqa: E402

BATCH = 1000
PASSWORD = "correct horse battery staple"


def person(name: str) -> User:
    return User.objects.filter(username=name).first() or accounts.user_signup(
        username=name, password=PASSWORD
    )


def space_of(steward: User, slug: str) -> Space:
    return Space.objects.filter(slug=slug).first() or spaces.space_create(
        user=steward, slug=slug, name=slug.title(), visibility="public", participation="anyone"
    )


def payouts_per_second(
    steward: User, payee: User, space: Space, writers: int, count: int, run: str
) -> float:
    """`count` payouts split among `writers` threads, each payout its own transaction."""
    ledger.treasury_fund(
        actor=steward,
        space=space,
        amount=count * 100,
        currency="EUR",
        key=f"bench-fund-{run}-{writers}",
    )
    start = threading.Barrier(writers + 1)
    errors: list[BaseException] = []

    def write(index: int) -> None:
        start.wait()
        try:
            for n in range(index, count, writers):
                ledger.payout_create(
                    space=space,
                    actor=steward,
                    subject=f"tasks.task:{n}",
                    kind="bounty",
                    to=[(payee, 100)],
                    currency="EUR",
                    key=f"bench-{run}-{writers}-{n}",
                    from_treasury=True,
                )
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(i,)) for i in range(writers)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    if errors:
        raise errors[0]
    return count / elapsed


@transaction.atomic
def bulk_fundings(steward: User, space: Space, first: int, last: int) -> None:
    """Fundings `first` to `last - 1` as `treasury_fund` writes them, a batch at a time."""
    space = Space.objects.select_for_update().get(pk=space.pk)
    outside = ledger.account(space, AccountKind.EXTERNAL, "EUR")
    treasury = ledger.account(space, AccountKind.TREASURY, "EUR")
    now = timezone.now()
    rows = []
    for n in range(first, last):
        amount, memo = 1 + n % 10_000, f"Gift {n}"
        digest = ledger.request_hash(
            {
                "op": "fund",
                "kind": Kind.FUNDING,
                "amount": amount,
                "currency": "EUR",
                "memo": memo,
                "reference": "",
                "note": "",
                "subject": "",
            }
        )
        rows.append(
            Transaction(
                space=space,
                kind=Kind.FUNDING,
                currency="EUR",
                amount=amount,
                memo=memo,
                actor=steward,
                key=f"corpus-{n}",
                request_hash=digest,
                created_at=now,
            )
        )
    Transaction.objects.bulk_create(rows)
    Entry.objects.bulk_create(
        entry
        for tx in rows
        for entry in (
            Entry(transaction=tx, account=outside, amount=-tx.amount),
            Entry(transaction=tx, account=treasury, amount=tx.amount),
        )
    )
    key = chain_key(space)
    head, _created = ChainHead.objects.get_or_create(key=key)
    head = ChainHead.objects.select_for_update().get(pk=head.pk)
    events, seq, last_hash = [], head.length, head.last_hash
    for tx in rows:
        target_type, target_id, target_repr = target_of(tx)
        seq += 1
        event = Event(
            chain=key,
            seq=seq,
            space=space,
            actor=steward,
            verb="ledger:funding",
            target_type=target_type,
            target_id=target_id,
            target_repr=target_repr,
            data=_plain(ledger.event_data(tx, [(outside, -tx.amount), (treasury, tx.amount)])),
            created_at=now,
            prev_hash=last_hash,
        )
        event.hash = last_hash = event_hash(event)
        events.append(event)
    Event.objects.bulk_create(events)
    ChainHead.objects.filter(pk=head.pk).update(length=seq, last_hash=last_hash)
    total = sum(tx.amount for tx in rows)
    Account.objects.filter(pk=outside.pk).update(balance=F("balance") - total)
    Account.objects.filter(pk=treasury.pk).update(balance=F("balance") + total)


def build_corpus(steward: User, space: Space, wanted: int) -> None:
    have = Transaction.objects.filter(space=space).count()
    if have >= wanted:
        return
    began = time.perf_counter()
    for first in range(have, wanted, BATCH):
        bulk_fundings(steward, space, first, min(first + BATCH, wanted))
    # The same movement through the action: verify compares both kinds of rows alike.
    ledger.treasury_fund(
        actor=steward, space=space, amount=1, currency="EUR", key=f"corpus-{wanted}-action"
    )
    elapsed = time.perf_counter() - began
    print(f"built {wanted - have} transactions in {elapsed:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--payouts", type=int, default=500, help="payouts per run")
    parser.add_argument("--transactions", type=int, default=100_000, help="verify corpus")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    steward, payee = person("bench-steward"), person("bench-payee")
    stamp = str(int(time.time()))
    for writers in (1, 4):
        rates = []
        for run in range(args.repeat):
            space = space_of(steward, f"ledger-pay-{stamp}-{writers}-{run}")
            rates.append(
                payouts_per_second(steward, payee, space, writers, args.payouts, f"{stamp}{run}")
            )
        print(
            f"payouts/s with {writers} writer{'s' if writers > 1 else ''}: "
            f"{statistics.median(rates):.0f} (runs: {', '.join(f'{r:.0f}' for r in rates)})"
        )
    corpus = space_of(steward, "ledger-verify")
    build_corpus(steward, corpus, args.transactions)
    times = []
    for _run in range(args.repeat):
        began = time.perf_counter()
        report = verify(corpus.pk)
        times.append(time.perf_counter() - began)
        assert report.ok, report.problems
    print(
        f"ledger verify over {report.transactions} transactions: "
        f"{statistics.median(times):.2f} s (runs: {', '.join(f'{t:.2f}' for t in times)})"
    )


if __name__ == "__main__":
    main()
