"""Reads of governance: the proposals a person may see, what they may see of a tally, and
whose ballot carries whose vote."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from peerwork.core import policy
from peerwork.core.errors import NotFound
from peerwork.core.policy import signed_in

from .delegation import choose, resolve
from .models import Ballot, Delegation, Proposal, State
from .tallying import delegations_at, live_result, result_document

__all__ = ["live_result", "result_document"]


def proposals_of_space(*, user: Any, space: Any, phase: str = "") -> QuerySet[Proposal]:
    proposals = policy.filter(user, "proposal.view", Proposal.objects.filter(space=space))
    now = timezone.now()
    if phase == "voting":
        proposals = proposals.filter(state=State.OPEN, opens_at__lte=now, closes_at__gt=now)
    elif phase == "upcoming":
        proposals = proposals.filter(state=State.OPEN, opens_at__gt=now)
    elif phase == "closed":
        proposals = proposals.filter(
            Q(state=State.CLOSED) | Q(state=State.OPEN, closes_at__lte=now)
        )
    elif phase == "cancelled":
        proposals = proposals.filter(state=State.CANCELLED)
    return proposals.select_related("space", "created_by", "result").order_by("-pk")


def proposal_get_visible(*, user: Any, space: Any, proposal_id: int) -> Proposal:
    proposal = (
        Proposal.objects.filter(space=space, pk=proposal_id)
        .select_related("space", "created_by")
        .first()
    )
    if proposal is None or not policy.can(user, "proposal.view", proposal):
        raise NotFound()
    return proposal


def tally_visible(user: Any, proposal: Proposal) -> bool:
    """The stored result after the close; a live tally while voting only for public ballots
    whose proposal shows results as they come."""
    return proposal.state == State.CLOSED or (
        proposal.state == State.OPEN and proposal.live_results and not proposal.secret
    )


def my_ballot(user: Any, proposal: Proposal) -> Ballot | None:
    if not signed_in(user):
        return None
    return Ballot.objects.filter(proposal=proposal, voter=user).first()


@dataclass
class CastFor:
    """How a person's vote stands on a proposal: their own ballot, or whose carries it."""

    direct: bool
    #: the chain of people the vote went through, the last one's ballot carrying it
    via: list[Any]
    lost: str = ""


def vote_of(user: Any, proposal: Proposal) -> CastFor | None:
    """Their ballot, or who casts their vote through delegation ("your vote was cast by Grace
    via delegation"): from the close's snapshot once closed, from the delegations now before."""
    if not signed_in(user):
        return None
    from django.contrib.auth import get_user_model

    if my_ballot(user, proposal) is not None:
        return CastFor(direct=True, via=[])
    moment = min(timezone.now(), proposal.closes_at)
    links = delegations_at(proposal.space, moment)
    if user.pk not in choose(links, proposal.tags):
        return None
    voters = set(Ballot.objects.filter(proposal=proposal).values_list("voter_id", flat=True))
    resolution = resolve(voters=voters, eligible={user.pk}, links=links, topics=proposal.tags)
    people = get_user_model().objects.in_bulk(resolution.via.get(user.pk, []))
    if user.pk in resolution.via:
        return CastFor(direct=False, via=[people[pk] for pk in resolution.via[user.pk]])
    return CastFor(direct=False, via=[], lost=resolution.lost.get(user.pk, "no_vote"))


def delegations_of(user: Any, space: Any) -> dict[str, list[Delegation]]:
    if not signed_in(user):
        return {"given": [], "received": []}
    live = Delegation.objects.filter(space=space, revoked_at__isnull=True).select_related(
        "delegator", "delegate"
    )
    return {
        "given": list(live.filter(delegator=user).order_by("topic")),
        "received": list(live.filter(delegate=user).order_by("delegator__username", "topic")),
    }


def markdown_html(space: Any, text: str) -> str:
    """A proposal's or an outcome's Markdown with the one renderer; [[links]] go to the wiki."""
    from peerwork.wiki.models import Page
    from peerwork.wiki.rendering import render_text

    return render_text(Page(space=space), text) if text else ""


def ballots_published(proposal: Proposal) -> QuerySet[Ballot]:
    """A proposal's ballots as they are published: with their voters, and secret ones in the
    order of their random receipts rather than the order they were cast."""
    ballots = Ballot.objects.filter(proposal=proposal).select_related("voter")
    return ballots.order_by("receipt") if proposal.secret else ballots.order_by("pk")


def usernames(ids: Any) -> dict[int, str]:
    """{user id: username} for the people a page of ballots names (one query)."""
    from django.contrib.auth import get_user_model

    wanted = set(ids)
    if not wanted:
        return {}
    return dict(get_user_model().objects.filter(pk__in=wanted).values_list("pk", "username"))


#: A proposal closing within this much time shows on its voters' personal home.
CLOSING_SOON = timedelta(days=7)


def proposals_awaiting_vote(user: Any, spaces: list[Any]) -> list[Proposal]:
    """Open proposals in these spaces, closing soon, that the person may vote on and has no
    ballot in yet (a delegated vote still lets them cast their own), soonest first."""
    if not signed_in(user) or not spaces:
        return []
    now = timezone.now()
    candidates = (
        Proposal.objects.filter(
            space__in=spaces,
            state=State.OPEN,
            opens_at__lte=now,
            closes_at__gt=now,
            closes_at__lte=now + CLOSING_SOON,
        )
        .exclude(ballots__voter=user)
        .select_related("space")
        .order_by("closes_at", "pk")[:20]
    )
    return [p for p in candidates if policy.can(user, "proposal.vote", p)]
