"""Who reads and who moves a space's money. The table is docs/permissions/ledger.md.

The ledger is public wherever the space is (Open Collective's rule: every amount in the open);
a space may narrow it to members or stewards. References and private notes (a grant number,
an invoice) are for stewards only. Moving money is the stewards' job, and nobody approves a
payout to themselves: that last rule lives in `payout_approve`, which can say why.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from peerwork.core import policy
from peerwork.core.policy import can, rule, scope, signed_in
from peerwork.spaces.models import Space
from peerwork.spaces.policy import spaces_with_role
from peerwork.spaces.selectors import space_role

from .models import Payout
from .policy_schema import ledger_policy


@rule("ledger.view", visible_via="space.view", conceals=True)
def can_view_ledger(user: Any, space: Space) -> bool:
    visibility = ledger_policy(space).visibility
    return _may_read(visibility, space_role(user, space) if visibility != "public" else None)


def _may_read(visibility: str, role: str | None) -> bool:
    if visibility == "public":
        return True
    return role == "steward" if visibility == "stewards" else role is not None


@scope("ledger.view")
def ledgers_viewable(user: Any, spaces: QuerySet[Space]) -> QuerySet[Space]:
    """The spaces whose ledger the viewer reads, as one lazy condition (so the activity log
    can narrow its ledger events with a subquery, not a read of every space)."""
    visibility = "policy__ledger__visibility"
    readable = Q(**{f"{visibility}__isnull": True}) | Q(**{visibility: "public"})
    if signed_in(user):
        readable |= Q(**{visibility: "members"}, pk__in=spaces_with_role(user))
        readable |= Q(**{visibility: "stewards"}, pk__in=spaces_with_role(user, "steward"))
    return spaces.filter(readable)


@rule("ledger.view_private", visible_via="ledger.view")
def can_view_private(user: Any, space: Space) -> bool:
    return space_role(user, space) == "steward"


@rule("ledger.manage", visible_via="ledger.view")
def can_manage_ledger(user: Any, space: Space) -> bool:
    """Record funding, refunds, disbursements and reversals."""
    return signed_in(user) and space_role(user, space) == "steward"


@rule("ledger.payout.view", conceals=True)
def can_view_payout(user: Any, payout: Payout) -> bool:
    return can(user, "ledger.view", payout.space)


@scope("ledger.payout.view")
def payouts_viewable(user: Any, payouts: QuerySet[Payout]) -> QuerySet[Payout]:
    return payouts.filter(space__in=policy.filter(user, "ledger.view", Space.objects.all()))


@rule("ledger.payout.decide", visible_via="ledger.payout.view")
def can_decide_payout(user: Any, payout: Payout) -> bool:
    return signed_in(user) and space_role(user, payout.space) == "steward"
