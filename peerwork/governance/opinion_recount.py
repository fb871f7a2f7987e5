"""An opinion map computed again from a space's open data dump, with no database: the check
anyone can run on a published map (`peerwork tally --from-dump DUMP --proposal ID
--opinion-map`). The records are those of peerwork/governance/opinion_dump.py."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from . import opinion

VOTE_VALUES = {"agree": opinion.AGREE, "disagree": opinion.DISAGREE, "pass": opinion.PASS}


class RecomputeError(ValueError):
    """The dump cannot give the map; the message says why."""


@dataclass
class Recomputed:
    stored: dict[str, Any]
    recomputed: dict[str, Any]

    @property
    def matches(self) -> bool:
        return self.stored == self.recomputed


def recompute(lines: Iterable[str], proposal_id: int) -> Recomputed:
    """The proposal's map computed again from the dump's lines (JSON records)."""
    shown: list[int] = []
    cells: list[tuple[int, int, int]] = []
    stored: dict[str, Any] | None = None
    seed = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            raise RecomputeError(f"line {number} is not JSON") from None
        if not isinstance(record, dict) or record.get("proposal") != proposal_id:
            continue
        kind = record.get("type")
        try:
            if kind == "opinion_statement" and not record.get("hidden"):
                shown.append(int(record["id"]))
            elif kind == "opinion_vote":
                vote = VOTE_VALUES[record["vote"]]
                cells.append((int(record["participant"]), int(record["statement"]), vote))
            elif kind == "opinion_map":
                stored, seed = record.get("map") or {}, int(record.get("seed") or 0)
        except (KeyError, TypeError, ValueError) as error:
            raise RecomputeError(
                f"line {number} is not a complete {kind} record: {error}"
            ) from None
    if stored is None:
        raise RecomputeError(f"the dump holds no opinion map of proposal {proposal_id}")
    votes = opinion.votes_from(sorted(cells), sorted(shown))
    previous = stored.get("previous")
    document = opinion.compute(votes, seed=seed, previous=previous)
    document["previous"] = previous
    # Through JSON, as the stored map went: tuples become lists, keys strings.
    recomputed = json.loads(json.dumps(document))
    return Recomputed(stored=stored, recomputed=recomputed)
