"""Opinion maps in a space's open data dump, and the map recomputed from the dump alone.

Each proposal's shown statements, their votes with the participant's number (never a name),
hidden statements without their text, and the cached map with what it was computed from.
`recompute(lines, proposal_id)` reads those records and runs the same computation
(peerwork/governance/opinion.py) with the map's seed and previous groups: while the map is
current (no vote after its computation) the result is the stored map, number for number.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from . import opinion
from .models import OpinionMap, Statement, StatementVote
from .opinion_actions import VOTE_NAMES, VOTE_VALUES, participant_numbers


def records(space: Any) -> Iterator[dict[str, Any]]:
    maps = OpinionMap.objects.filter(proposal__space=space).select_related("proposal")
    for cached in maps.order_by("proposal_id").iterator(chunk_size=100):
        proposal = cached.proposal
        numbers = participant_numbers(proposal)
        statements = Statement.objects.filter(proposal=proposal).order_by("pk")
        for statement in statements.iterator(chunk_size=1000):
            yield {
                "type": "opinion_statement",
                "proposal": proposal.pk,
                "id": statement.pk,
                "text": "" if statement.is_hidden else statement.text,
                "hidden": statement.is_hidden,
                "created_at": statement.created_at,
            }
        votes = (
            StatementVote.objects.filter(proposal=proposal, statement__is_hidden=False)
            .order_by("pk")
            .values_list("statement_id", "voter_id", "value")
        )
        for statement_id, voter_id, value in votes.iterator(chunk_size=5000):
            yield {
                "type": "opinion_vote",
                "proposal": proposal.pk,
                "statement": statement_id,
                "participant": numbers[voter_id],
                "vote": VOTE_NAMES[value],
            }
        yield {
            "type": "opinion_map",
            "proposal": proposal.pk,
            "computed_at": cached.computed_at,
            "vote_count": cached.vote_count,
            "outdated": cached.is_outdated,
            "seed": cached.seed,
            "map": cached.document,
        }


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
        if kind == "opinion_statement" and not record.get("hidden"):
            shown.append(int(record["id"]))
        elif kind == "opinion_vote":
            cells.append(
                (int(record["participant"]), int(record["statement"]), VOTE_VALUES[record["vote"]])
            )
        elif kind == "opinion_map":
            stored, seed = record.get("map") or {}, int(record.get("seed") or 0)
    if stored is None:
        raise RecomputeError(f"the dump holds no opinion map of proposal {proposal_id}")
    votes = opinion.votes_from(sorted(cells), sorted(shown))
    previous = stored.get("previous")
    document = opinion.compute(votes, seed=seed, previous=previous)
    document["previous"] = previous
    # Through JSON, as the stored map went: tuples become lists, keys strings.
    recomputed = json.loads(json.dumps(document))
    return Recomputed(stored=stored, recomputed=recomputed)
