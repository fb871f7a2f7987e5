"""Synthetic vote matrices with planted camps, for the opinion map's tests and its benchmark."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from peerwork.governance.opinion import Votes


@dataclass
class Planted:
    votes: Votes
    camp_of: list[int]
    #: statement -> the camp it belongs to, or -1 for a shared (consensus) statement
    statement_camp: dict[int, int]


def planted(
    camps: int,
    *,
    per_camp: int = 30,
    statements_per_camp: int = 6,
    shared: int = 3,
    noise: float = 0.08,
    missing: float = 0.2,
    seed: int = 1,
) -> Planted:
    """Each camp agrees with its own statements and disagrees with the others'; everyone
    agrees with the shared ones; `noise` of the votes flip or pass, `missing` are unseen."""
    rng = np.random.default_rng(seed)
    statement_camp: dict[int, int] = {}
    number = 0
    for camp in range(camps):
        for _ in range(statements_per_camp):
            statement_camp[number] = camp
            number += 1
    for _ in range(shared):
        statement_camp[number] = -1
        number += 1
    camp_of = [camp for camp in range(camps) for _ in range(per_camp)]
    order = rng.permutation(len(camp_of))
    camp_of = [camp_of[i] for i in order]
    cells = []
    for row, camp in enumerate(camp_of):
        for column, owner in statement_camp.items():
            if rng.random() < missing:
                continue
            value = 1 if owner in (-1, camp) else -1
            roll = rng.random()
            if roll < noise / 2:
                value = -value
            elif roll < noise:
                value = 0
            cells.append((row, column, value))
    return Planted(
        votes=Votes(list(range(len(camp_of))), list(statement_camp), cells),
        camp_of=camp_of,
        statement_camp=statement_camp,
    )
