"""Opinion maps in a space's open data dump, and the map recomputed from the dump alone.

Each proposal's shown statements, their votes with the participant's number (never a name),
hidden statements without their text, and the cached map with what it was computed from.
`recompute(lines, proposal_id)` (peerwork/governance/opinion_recount.py, no database) reads
those records and runs the same computation (peerwork/governance/opinion.py) with the map's
seed and previous groups: while the map is current (no vote after its computation) the result
is the stored map, number for number.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .models import OpinionMap, Statement, StatementVote
from .opinion_actions import VOTE_NAMES, participant_numbers
from .opinion_recount import Recomputed, RecomputeError, recompute

__all__ = ["RecomputeError", "Recomputed", "recompute", "records"]


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
