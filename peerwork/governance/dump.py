"""The governance section of a space's open data dump (peerwork/interop/dumps/jsonl.py).

Enough to recount every result: each proposal with its method, settings, options and stored
result, then its ballots with the weight delegation gave them. A public ballot names its voter
and the people whose votes it carried; a secret one names nobody and carries the receipt only
its voter was shown. Ballots whose tally is hidden until the close appear after it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib.auth import get_user_model

from .models import Ballot, Delegation, Proposal, State
from .schemas import proposal_fields
from .tallying import result_document


def records(space: Any) -> Iterator[dict[str, Any]]:
    names = dict(
        get_user_model()
        .objects.filter(ballots__proposal__space=space)
        .values_list("pk", "username")
        .distinct()
    )
    proposals = (
        Proposal.objects.filter(space=space)
        .select_related("created_by", "space", "result")
        .prefetch_related("options")
        .order_by("pk")
    )
    for proposal in proposals.iterator(chunk_size=100):
        yield {
            "type": "proposal",
            **proposal_fields(proposal),
            "result": result_document(proposal),
        }
        shown = proposal.state == State.CLOSED or (proposal.live_results and not proposal.secret)
        if not shown:
            continue
        # Secret ballots in the order of their random receipts, not the order they were cast.
        ballots = Ballot.objects.filter(proposal=proposal).order_by(
            "receipt" if proposal.secret else "pk"
        )
        for ballot in ballots.iterator(chunk_size=1000):
            yield {
                "type": "ballot",
                "proposal": proposal.pk,
                "voter": None if proposal.secret else names.get(ballot.voter_id),
                "receipt": ballot.receipt if proposal.secret else None,
                "choice": ballot.choice,
                "weight": ballot.weight,
                "carries": (
                    len(ballot.carries)
                    if proposal.secret
                    else [names.get(pk) or _name(pk) for pk in ballot.carries]
                ),
                "cast_at": None if proposal.secret else ballot.updated_at,
            }
    delegations = Delegation.objects.filter(space=space).select_related("delegator", "delegate")
    for delegation in delegations.order_by("pk").iterator(chunk_size=1000):
        yield {
            "type": "delegation",
            "delegator": delegation.delegator.username,
            "delegate": delegation.delegate.username,
            "topic": delegation.topic,
            "created_at": delegation.created_at,
            "revoked_at": delegation.revoked_at,
        }


def _name(pk: int) -> str:
    user = get_user_model().objects.filter(pk=pk).values_list("username", flat=True).first()
    return str(user or pk)
