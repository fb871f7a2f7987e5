"""Permission rules of governance, registered with the one policy in peerwork.core.policy.

The table is docs/permissions/governance.md. A proposal is seen by whoever may see its space;
who proposes follows the space's `governance` policy, who votes follows the proposal's
eligibility (members, or stewards), fixed when the proposal opens.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from peerwork.core import policy
from peerwork.core.policy import can, rule, scope, signed_in
from peerwork.spaces.models import Space, SpaceMembership
from peerwork.spaces.selectors import holds_privilege, is_steward, space_role

from .models import Eligibility, Proposal
from .policy_schema import governance_policy


def is_eligible(user: Any, proposal: Proposal) -> bool:
    """May cast a ballot on the proposal (or have one cast for them through a delegation)."""
    if not signed_in(user):
        return False
    role = space_role(user, proposal.space)
    if proposal.eligibility == Eligibility.STEWARD:
        return role == "steward"
    return role in {"member", "steward"}


def eligible_voter_ids(proposal: Proposal) -> set[int]:
    """Everyone eligible now: active people holding the role in person or through an
    organization (one query); the close counts the quorum against this set."""
    roles = ["steward"] if proposal.eligibility == Eligibility.STEWARD else ["member", "steward"]
    memberships = SpaceMembership.objects.filter(space_id=proposal.space_id, role__in=roles)
    people = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(space_memberships__in=memberships)
            | Q(organization_memberships__organization__space_memberships__in=memberships)
        )
    )
    return set(people.values_list("pk", flat=True).distinct())


@rule("proposal.view", conceals=True)
def can_view_proposal(user: Any, proposal: Proposal) -> bool:
    return can(user, "space.view", proposal.space)


@scope("proposal.view")
def proposals_viewable(user: Any, proposals: QuerySet[Proposal]) -> QuerySet[Proposal]:
    return proposals.filter(space__in=policy.filter(user, "space.view", Space.objects.all()))


@rule("proposal.create", visible_via="space.view")
def can_create_proposal(user: Any, space: Any) -> bool:
    return holds_privilege(user, space, governance_policy(space).propose_privilege)


@rule("proposal.vote", visible_via="proposal.view", admin_passes=False)
def can_vote(user: Any, proposal: Proposal) -> bool:
    """Eligible people; whether voting is open now is the action's question (a 409)."""
    return is_eligible(user, proposal)


@rule("proposal.cancel", visible_via="proposal.view")
def can_cancel_proposal(user: Any, proposal: Proposal) -> bool:
    """Withdraw a proposal before it closes: its author and the space's stewards."""
    return signed_in(user) and (
        proposal.created_by_id == user.pk or is_steward(user, proposal.space)
    )


@rule("proposal.outcome", visible_via="proposal.view")
def can_write_outcome(user: Any, proposal: Proposal) -> bool:
    """Write the outcome statement after the close: the author, or a steward in their stead."""
    return signed_in(user) and (
        proposal.created_by_id == user.pk or is_steward(user, proposal.space)
    )


@rule("proposal.watch", visible_via="proposal.view", admin_passes=False)
def can_watch_proposal(user: Any, proposal: Proposal) -> bool:
    return signed_in(user)


@rule("governance.delegate", visible_via="space.view", admin_passes=False)
def can_delegate(user: Any, space: Any) -> bool:
    """Give or take back a delegation: members. Where the space's policy turns delegation
    off, giving one is refused by the action, while taking one back always works."""
    return signed_in(user) and space_role(user, space) in {"member", "steward"}


# ---- opinion maps: statements and their votes (docs/permissions/opinion.md) -----------------


@rule("statement.view", conceals=True)
def can_view_statement(user: Any, statement: Any) -> bool:
    """Whoever sees the proposal sees its statements (and their bridged scores)."""
    return can(user, "proposal.view", statement.proposal)


@scope("statement.view")
def statements_viewable(user: Any, statements: QuerySet[Any]) -> QuerySet[Any]:
    return statements.filter(
        proposal__in=policy.filter(user, "proposal.view", Proposal.objects.all())
    )


@rule("statement.create", visible_via="proposal.view", admin_passes=False)
def can_add_statement(user: Any, proposal: Proposal) -> bool:
    """Whoever may contribute to the space (its participation setting, blocks respected)."""
    return can(user, "space.contribute", proposal.space)


@rule("statement.vote", visible_via="proposal.view", admin_passes=False)
def can_vote_on_statement(user: Any, statement: Any) -> bool:
    return can(user, "space.contribute", statement.space)


@rule("statement.change", visible_via="proposal.view")
def can_change_statement(user: Any, statement: Any) -> bool:
    """Reword or withdraw one's own statement (the action refuses once others voted on it)."""
    return signed_in(user) and statement.author_id == user.pk


@rule("statement.hide", visible_via="proposal.view")
def can_hide_statement(user: Any, statement: Any) -> bool:
    """Stewards hide a statement from the map (and show it again); each time is logged."""
    return is_steward(user, statement.space)
