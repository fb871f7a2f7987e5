"""A task's bounty in the space's ledger: reserved when posted, given back when cancelled,
paid on approval. Called only from actions, inside their transaction, so a refusal of the
ledger (say, a treasury without the funds) undoes the whole action. Each movement's key is
the task's, so a retried action never moves the money twice."""

from __future__ import annotations

from typing import Any

from peerwork.ledger import actions as ledger


def reserve(*, task: Any, actor: Any) -> None:
    """Set the bounty aside from the space's treasury; InsufficientFunds when it lacks it."""
    ledger.funds_reserve(
        space=task.space,
        actor=actor,
        subject=task,
        amount=task.bounty,
        currency=task.currency,
        key=f"task:{task.pk}:reserve",
        memo=task.title,
    )


def release(*, task: Any, actor: Any) -> None:
    """Give what is left of the reservation back to the treasury."""
    ledger.funds_release(
        space=task.space, actor=actor, subject=task, key=f"task:{task.pk}:release", memo=task.title
    )


def pay(*, task: Any, actor: Any, payees: list[tuple[Any, int]]) -> Any:
    """Pay the claimants from the task's reservation: paid now, or held for a second steward
    over the space's limit; either way the task is done."""
    return ledger.payout_create(
        space=task.space,
        actor=actor,
        subject=task,
        kind="bounty",
        to=payees,
        currency=task.currency,
        key=f"task:{task.pk}:bounty",
        memo=task.title,
    )
