"""A task's bounty in the space's ledger: reserved when posted, given back when cancelled,
paid on approval. Called only from actions, inside their transaction, so a refusal of the
ledger (say, a treasury without the funds) undoes the whole action."""

from __future__ import annotations

from typing import Any


def reserve(*, task: Any, actor: Any) -> None:
    """Set the bounty aside from the space's treasury (until the ledger lands: nothing)."""


def release(*, task: Any, actor: Any) -> None:
    """Give what is left of the reservation back to the treasury."""


def pay(*, task: Any, actor: Any, payees: list[tuple[Any, int]]) -> None:
    """Pay the claimants from the task's reservation."""
