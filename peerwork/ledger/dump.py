"""The ledger section of a space's open data dump (peerwork/interop/dumps/jsonl.py).

Only a public space whose ledger is public gives its transactions away, each with its
entries; references and notes (for stewards only) never appear.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Prefetch

from .models import Entry, Transaction
from .policy_schema import ledger_policy


def records(space: Any) -> Iterator[dict[str, Any]]:
    if space.visibility != "public" or ledger_policy(space).visibility != "public":
        return
    transactions = (
        Transaction.objects.filter(space=space)
        .select_related("actor")
        .prefetch_related(
            Prefetch("entries", queryset=Entry.objects.select_related("account__user"))
        )
        .order_by("pk")
    )
    for tx in transactions.iterator(chunk_size=500):
        yield {
            "type": "ledger_transaction",
            "id": tx.pk,
            "kind": tx.kind,
            "currency": tx.currency,
            "amount": tx.amount,
            "memo": tx.memo,
            "subject": tx.subject,
            "actor": tx.actor.username if tx.actor else None,
            "reverses": tx.reverses_id,
            "created_at": tx.created_at,
            "entries": [
                {
                    "account": entry.account.kind,
                    "user": entry.account.user.username if entry.account.user else None,
                    "subject": entry.account.subject,
                    "amount": entry.amount,
                }
                for entry in tx.entries.all()
            ],
        }
