"""Demo money for the embedded run: a grant into each demo space's treasury, so the demo's
challenges can set their prizes aside and its ideas pay their creators' share."""

from __future__ import annotations

from typing import Any

from peerwork.spaces.models import Space

from . import actions
from .models import Transaction

#: 10,000.00 in minor units: more than every prize the demo promises.
GRANT = 1_000_000


def seed(*, space: Space, steward: Any, amount: int = GRANT, currency: str = "EUR") -> Transaction:
    """A grant recorded by one of the space's stewards, with the reference a grant would have."""
    return actions.treasury_fund(
        actor=steward,
        space=space,
        amount=amount,
        currency=currency,
        key=f"demo:{space.slug}:grant",
        memo="Grant from the Commons Foundation",
        reference=f"CF-2026-{space.pk:03d}",
        note="Demo money: the grant letter would be filed here.",
    )
