"""The opinion map's job: computed a few seconds after the votes that schedule it."""

from __future__ import annotations

from peerwork.core import jobs

from . import opinion_actions


@jobs.job("governance.opinion_map")
def opinion_map(*, proposal_id: int) -> bool:
    return opinion_actions.opinion_map_compute(proposal_id=proposal_id) is not None
