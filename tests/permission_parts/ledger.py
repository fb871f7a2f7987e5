"""The ledger part of the permission table's world (see tests/permission_parts/__init__.py).

The world's treasury is funded, a small second funding is there to reverse, the member has
earned a paid bounty and a prize held for approval (over the space's limit) that nobody with
a role here asked for. A members-only vault space holds a payout of its own, so the
payouts' scope has something to hide.
"""

from __future__ import annotations

from typing import Any

from peerwork.ledger import actions
from peerwork.spaces.models import Space, SpaceMembership
from peerwork.spaces.selectors import forget_roles

PREFIXES: tuple[str, ...] = ("ledger.",)
EXTRA_USERS: tuple[str, ...] = ()
ROLE_USERS: dict[str, str] = {}
API_BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/api/v1/spaces/{slug}/ledger/funding"): {
        "amount": 1000,
        "currency": "EUR",
        "memo": "A gift",
    },
    ("POST", "/api/v1/spaces/{slug}/ledger/refunds"): {"amount": 1000, "currency": "EUR"},
    ("POST", "/api/v1/spaces/{slug}/ledger/disbursements"): {
        "username": "mem",
        "amount": 1000,
        "currency": "EUR",
    },
    ("POST", "/api/v1/spaces/{slug}/ledger/transactions/{transaction_id}/reversal"): {
        "reason": "Recorded twice."
    },
    ("POST", "/api/v1/spaces/{slug}/ledger/payouts/{payout_id}/rejection"): {"reason": "No."},
}
WEB_BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/s/{slug}/ledger/funding"): {
        "funding-amount": "10",
        "funding-currency": "EUR",
        "funding-key": "web-funding",
    },
    ("POST", "/s/{slug}/ledger/refund"): {
        "refund-amount": "10",
        "refund-currency": "EUR",
        "refund-key": "web-refund",
    },
    ("POST", "/s/{slug}/ledger/disbursement"): {
        "disbursement-username": "mem",
        "disbursement-amount": "10",
        "disbursement-currency": "EUR",
        "disbursement-key": "web-disbursement",
    },
    ("POST", "/s/{slug}/ledger/transactions/{transaction_id}/reverse"): {
        "reason": "Recorded twice.",
        "key": "web-reversal",
    },
    ("POST", "/s/{slug}/ledger/payouts/{payout_id}/reject"): {"reason": "No."},
}
QUERIES: dict[tuple[str, str], str] = {}


def _fund_and_hold(space: Space, steward: Any, payee: Any) -> Any:
    space.policy = {**(space.policy or {}), "ledger": {"approval_above": {"EUR": 10_000}}}
    space.save(update_fields=["policy"])
    actions.treasury_fund(
        actor=steward, space=space, amount=100_000, currency="EUR", key="grant", reference="G-1"
    )
    actions.payout_create(
        space=space,
        actor=None,
        subject="tasks.task:1",
        kind="bounty",
        to=[(payee, 5_000)],
        currency="EUR",
        key="bounty-1",
        from_treasury=True,
    )
    return actions.payout_create(
        space=space,
        actor=None,
        subject="challenges.challenge:1",
        kind="prize",
        to=[(payee, 20_000)],
        currency="EUR",
        key="prize-1",
        from_treasury=True,
    )


def build(world: Any) -> None:
    users = world.users
    world.payout = _fund_and_hold(world.space, users["stew"], users["mem"])
    world.ledger_transaction = actions.treasury_fund(
        actor=users["stew"], space=world.space, amount=500, currency="EUR", key="small"
    )
    vault = Space.objects.create(
        slug="vault",
        name="Vault",
        visibility="members",
        participation="members",
        created_by=users["stew"],
    )
    SpaceMembership.objects.create(space=vault, user=users["stew"], role="steward")
    SpaceMembership.objects.create(space=vault, user=users["mem"], role="member")
    forget_roles(users["stew"])
    _fund_and_hold(vault, users["stew"], users["mem"])


def object_for(world: Any, action: str) -> Any:
    if action.startswith("ledger.payout."):
        return world.payout
    return world.space


def values(world: Any) -> dict[str, Any]:
    return {"transaction_id": world.ledger_transaction.pk, "payout_id": world.payout.pk}
