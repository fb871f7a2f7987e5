"""Recount a proposal from a space's open data dump, with no database: the check anyone can
run on a published result (`peerwork tally --from-dump DUMP --proposal ID`).

It reads the proposal's method, settings and options and its ballots with the weights the
close gave them, counts them with the same `count` as the close, and compares the answer
with the stored result, key for key.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .count import count
from .methods import InvalidSettings


class RecountError(ValueError):
    """The dump cannot be recounted; the message says what is wrong with it."""


@dataclass
class Recount:
    proposal: dict[str, Any]
    stored: dict[str, Any]
    recounted: dict[str, Any]
    ballots: list[dict[str, Any]]

    @property
    def matches(self) -> bool:
        return self.stored == self.recounted

    def first_difference(self) -> str:
        for key in sorted(set(self.stored) | set(self.recounted)):
            if self.stored.get(key) != self.recounted.get(key):
                return key
        return ""

    def receipt_counted(self, receipt: str) -> bool:
        """The ballot with this receipt is in the dump and was counted (weight above 0)."""
        code = receipt.strip().lower()
        return any(
            (b.get("receipt") or "") == code and b.get("weight", 0) > 0 for b in self.ballots
        )


def read(lines: Iterable[str], proposal_id: int) -> Recount:
    proposal: dict[str, Any] | None = None
    ballots: list[dict[str, Any]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            raise RecountError(
                f"line {number} is not JSON; give the .jsonl file `peerwork export` wrote"
            ) from None
        if not isinstance(record, dict):
            raise RecountError(f"line {number} is not a JSON object")
        kind = record.get("type")
        if kind == "proposal" and record.get("id") == proposal_id:
            proposal = record
        elif kind == "ballot" and record.get("proposal") == proposal_id:
            ballots.append(record)
    if proposal is None:
        raise RecountError(f"the dump holds no proposal {proposal_id}; check --proposal")
    stored = proposal.get("result")
    if not stored:
        raise RecountError(
            f"proposal {proposal_id} has no stored result yet (it is {proposal.get('state')}); "
            "recount a closed proposal"
        )
    try:
        counted = [(b["choice"], int(b["weight"])) for b in ballots if int(b.get("weight", 0)) > 0]
        recounted = count(
            method_name=proposal["method"],
            settings=proposal.get("settings") or {},
            options=proposal["options"],
            ballots=counted,
            eligible=int(stored["eligible"]),
            quorum_percent=int(proposal["quorum_percent"]),
        )
    except (KeyError, TypeError, ValueError, InvalidSettings) as error:
        raise RecountError(f"proposal {proposal_id}'s records are incomplete: {error}") from None
    return Recount(proposal=proposal, stored=stored, recounted=recounted, ballots=ballots)
