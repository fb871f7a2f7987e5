"""Settling a tie, reproducibly: the same ballots, rules and seed always pick the same option.

The random draw is SHA-256 of the published seed, the place of the tie and the option id, so
anyone can redo it with any language and any Python version (`random` promises neither).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from .rules import RankedRules


def draw_key(seed: str, context: str, option: str) -> str:
    """The option with the smallest key is the one the draw picks."""
    return hashlib.sha256(f"{seed}\n{context}\n{option}".encode()).hexdigest()


def break_tie(
    tied: Sequence[str],
    *,
    lose: bool,
    rules: RankedRules,
    options: Sequence[str],
    history: Sequence[dict[str, Decimal]],
    context: str,
) -> tuple[str, dict[str, Any]]:
    """The option that loses (lose=True) or wins the tie, and a record of how it was picked.

    history: earlier rounds' tallies, oldest first (for "previous_round_counts").
    """
    order = {option: index for index, option in enumerate(options)}
    left = sorted(tied, key=order.__getitem__)
    record: dict[str, Any] = {"context": context, "tied": list(left)}
    if rules.tie_break == "previous_round_counts":
        for past in reversed(history):
            counts = {option: past.get(option, Decimal(0)) for option in left}
            extreme = min(counts.values()) if lose else max(counts.values())
            left = [option for option in left if counts[option] == extreme]
            if len(left) == 1:
                return left[0], {**record, "chosen": left[0], "by": "previous_round_counts"}
    if rules.tie_break == "random" or (
        rules.tie_break == "previous_round_counts" and rules.random_seed is not None
    ):
        seed = rules.random_seed or ""
        chosen = min(left, key=lambda option: draw_key(seed, context, option))
        return chosen, {**record, "chosen": chosen, "by": "random"}
    chosen = left[-1] if lose else left[0]
    return chosen, {**record, "chosen": chosen, "by": "option_order"}
