"""The credit part of the permission table's world (see tests/permission_parts/__init__.py).

Peer epochs are on in the world's space, with one open epoch (members give in it) and one
distribution paid from a treasury of its own. A members-only space holds a distribution and
an epoch of its own, so the scopes have something to hide.
"""

from __future__ import annotations

from typing import Any

from peerwork.credit import actions
from peerwork.ledger import actions as ledger
from peerwork.spaces.models import Space, SpaceMembership
from peerwork.spaces.selectors import forget_roles
from peerwork.wiki import actions as wiki

PREFIXES: tuple[str, ...] = ("credit.",)
EXTRA_USERS: tuple[str, ...] = ()
ROLE_USERS: dict[str, str] = {}
API_BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/api/v1/spaces/{slug}/credit/what-if"): {"weights": {"nodes.revision": 10}},
    ("POST", "/api/v1/spaces/{slug}/credit/distributions"): {
        "method": "immediate",
        "amount": 100,
        "currency": "EUR",
    },
    ("POST", "/api/v1/spaces/{slug}/credit/epochs"): {"title": "Another"},
    ("POST", "/api/v1/spaces/{slug}/credit/epochs/{epoch_id}/allocations"): {
        "username": "author",
        "points": 5,
        "note": "Thanks",
    },
}
WEB_BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/s/{slug}/credit/distributions/new"): {
        "method": "immediate",
        "amount": "1",
        "currency": "EUR",
        "key": "web-distribution",
    },
    ("POST", "/s/{slug}/credit/epochs/new"): {"title": "Another"},
    ("POST", "/s/{slug}/credit/epochs/{epoch_id}/give"): {"username": "author", "points": "5"},
}
QUERIES: dict[tuple[str, str], str] = {}


def _with_credit(space: Space, steward: Any) -> tuple[Any, Any]:
    """Peer epochs on, a funded treasury, one distribution and one open epoch."""
    space.policy = {**(space.policy or {}), "credit": {"peer_epochs": True}}
    space.save(update_fields=["policy"])
    ledger.treasury_fund(
        actor=steward, space=space, amount=10_000, currency="EUR", key="credit-grant"
    )
    distribution = actions.distribution_create(
        actor=steward,
        space=space,
        method="immediate",
        amount=1_000,
        currency="EUR",
        key="credit-first",
    )
    epoch = actions.epoch_open(actor=steward, space=space, title="First epoch")
    return distribution, epoch


def build(world: Any) -> None:
    users = world.users
    world.distribution, world.epoch = _with_credit(world.space, users["stew"])
    hidden = Space.objects.create(
        slug="credit-vault",
        name="Credit vault",
        visibility="members",
        participation="members",
        created_by=users["stew"],
    )
    SpaceMembership.objects.create(space=hidden, user=users["stew"], role="steward")
    forget_roles(users["stew"])
    wiki.page_save(
        user=users["stew"], space=hidden, title="Secret", text="Hidden work.", base_revision_id=None
    )
    _with_credit(hidden, users["stew"])


def object_for(world: Any, action: str) -> Any:
    if action.startswith("credit.distribution."):
        return world.distribution
    if action.startswith("credit.epoch.") and action != "credit.epoch.open":
        return world.epoch
    return world.space


def values(world: Any) -> dict[str, Any]:
    return {"distribution_id": world.distribution.pk, "epoch_id": world.epoch.pk}
