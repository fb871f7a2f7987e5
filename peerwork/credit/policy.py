"""Who reads credit and who pays by it. The table is docs/permissions.md (credit rows).

Credit is computed from contributions everyone who may read the space can see, so whoever may
read the space may read everyone's credit and its explanation. Distributions move money:
they are read by whoever may read the space's ledger, and started by its stewards. Peer
epochs are opened and closed by stewards; members give their points.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from peerwork.core import policy
from peerwork.core.policy import can, rule, scope, signed_in
from peerwork.spaces.models import Space
from peerwork.spaces.selectors import space_role

from .models import Distribution, Epoch


@rule("credit.view", visible_via="space.view", conceals=True)
def can_view_credit(user: Any, space: Space) -> bool:
    return True


@scope("credit.view")
def credit_viewable(user: Any, spaces: QuerySet[Space]) -> QuerySet[Space]:
    return spaces


@rule("credit.distribute", visible_via="ledger.view")
def can_distribute(user: Any, space: Space) -> bool:
    """Start a distribution: it pays out of the treasury, a steward's job."""
    return signed_in(user) and space_role(user, space) == "steward"


@rule("credit.distribution.view", conceals=True)
def can_view_distribution(user: Any, distribution: Distribution) -> bool:
    return can(user, "ledger.view", distribution.space)


@scope("credit.distribution.view")
def distributions_viewable(user: Any, rows: QuerySet[Distribution]) -> QuerySet[Distribution]:
    return rows.filter(space__in=policy.filter(user, "ledger.view", Space.objects.all()))


@rule("credit.epoch.open", visible_via="credit.view")
def can_open_epoch(user: Any, space: Space) -> bool:
    return signed_in(user) and space_role(user, space) == "steward"


@rule("credit.epoch.view", conceals=True)
def can_view_epoch(user: Any, epoch: Epoch) -> bool:
    return can(user, "credit.view", epoch.space)


@scope("credit.epoch.view")
def epochs_viewable(user: Any, rows: QuerySet[Epoch]) -> QuerySet[Epoch]:
    return rows.filter(space__in=policy.filter(user, "space.view", Space.objects.all()))


@rule("credit.epoch.give", visible_via="credit.epoch.view")
def can_give_points(user: Any, epoch: Epoch) -> bool:
    """Members and stewards give points to each other."""
    return signed_in(user) and space_role(user, epoch.space) is not None


@rule("credit.epoch.close", visible_via="credit.epoch.view")
def can_close_epoch(user: Any, epoch: Epoch) -> bool:
    return signed_in(user) and space_role(user, epoch.space) == "steward"
