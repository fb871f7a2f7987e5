"""Reads of credit, already narrowed to what the viewer may see by asking the policy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import QuerySet, Sum

from peerwork.accounts.models import User
from peerwork.core import policy
from peerwork.core.errors import Invalid, NotFound
from peerwork.spaces.models import Space
from peerwork.spaces.selectors import space_get_visible

from . import compute
from .models import Allocation, Distribution, Epoch, Method, Share
from .people import space_people
from .policy_schema import credit_policy


def credit_space(*, user: Any, slug: str) -> Space:
    """The space, if the viewer may read it and its credit (404 otherwise)."""
    space = space_get_visible(user=user, slug=slug)
    policy.require(user, "credit.view", space)
    return space


def credit_of(
    space: Space, *, period_end: datetime | None = None, method: str = Method.IMMEDIATE
) -> compute.Credit:
    """Everyone's credit in the period ending at `period_end` (default: the current one)."""
    if method not in {Method.IMMEDIATE, Method.RECENT, Method.BALANCED}:
        raise Invalid(_method_error(), field="method")
    return compute.credit(space, period=compute.period_ending(space, period_end), method=method)


def _method_error() -> str:
    from django.utils.translation import gettext as _

    return _("Choose a method of credit: immediate, recent or balanced.")


def person_or_none(username: str) -> User | None:
    return User.objects.filter(username=username, is_active=True).first()


def person_get(username: str) -> User:
    found = person_or_none(username)
    if found is None:
        raise NotFound()
    return found


@dataclass
class WhatIf:
    """Everyone's share (basis points) before and after changing some weights."""

    before: dict[int, int]
    after: dict[int, int]
    names: dict[int, str]
    changes: dict[str, int]

    def rows(self) -> list[tuple[str, int, int, int]]:
        """(name, before, after, after - before), largest share after first."""
        users = sorted(
            set(self.before) | set(self.after),
            key=lambda u: (-self.after.get(u, 0), -self.before.get(u, 0), self.names.get(u, "")),
        )
        return [
            (
                self.names.get(user, ""),
                self.before.get(user, 0),
                self.after.get(user, 0),
                self.after.get(user, 0) - self.before.get(user, 0),
            )
            for user in users
        ]


def what_if(space: Space, *, changes: dict[str, int], period_end: datetime | None = None) -> WhatIf:
    """The shares of this period's credit under the space's weights and under `changes`
    (nothing is saved); a weight the policy does not know, or out of bounds, is Invalid."""
    settings = credit_policy(space)
    try:
        changed = compute.with_weights(settings, changes)
    except (KeyError, ValueError) as error:
        from django.utils.translation import gettext as _

        raise Invalid(
            _(
                "Change weights by their names, such as nodes.revision, "
                "to a whole number from 0 to 1000."
            ),
            field="weights",
        ) from error
    period = compute.period_ending(space, period_end)
    before = compute.credit(space, period=period, policy=settings)
    after = compute.credit(space, period=period, policy=changed)
    return WhatIf(
        compute.shares_in_basis_points(before),
        compute.shares_in_basis_points(after),
        {**before.names, **after.names},
        changes,
    )


def distributions(*, user: Any, space: Space) -> QuerySet[Distribution]:
    return policy.filter(
        user, "credit.distribution.view", Distribution.objects.filter(space=space)
    ).select_related("created_by", "payout", "epoch")


def distribution_get(*, user: Any, space: Space, distribution_id: int) -> Distribution:
    found = distributions(user=user, space=space).filter(pk=distribution_id).first()
    if found is None:
        raise NotFound()
    return found


def shares(distribution: Distribution) -> QuerySet[Share]:
    return distribution.shares.select_related("user").order_by("-amount", "user__username")


def epochs(*, user: Any, space: Space) -> QuerySet[Epoch]:
    return policy.filter(user, "credit.epoch.view", Epoch.objects.filter(space=space))


def epoch_get(*, user: Any, space: Space, epoch_id: int) -> Epoch:
    found = epochs(user=user, space=space).select_related("space").filter(pk=epoch_id).first()
    if found is None:
        raise NotFound()
    return found


def allocations(epoch: Epoch) -> QuerySet[Allocation]:
    return epoch.allocations.select_related("giver", "receiver").order_by(
        "receiver__username", "giver__username"
    )


def received(epoch: Epoch) -> list[tuple[str, int]]:
    """(username, points received), most first."""
    rows = (
        epoch.allocations.values_list("receiver__username")
        .annotate(total=Sum("points"))
        .order_by("-total", "receiver__username")
    )
    return [(name, int(total)) for name, total in rows]


def given_by(epoch: Epoch, user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    total = epoch.allocations.filter(giver=user).aggregate(total=Sum("points"))["total"]
    return int(total or 0)


def people(space: Space) -> QuerySet[User]:
    return space_people(space)


def open_epoch(space: Space) -> Epoch | None:
    return Epoch.objects.filter(space=space, state=Epoch.State.OPEN).first()
