"""The governance part of the permission table's world (see tests/permission_parts/__init__.py).

The world's proposal is a simple-majority vote opened by `proposer`, a member, with public
ballots and results shown while voting; `trusted` is a member anyone may delegate to.
"""

from __future__ import annotations

from typing import Any

from peerwork.governance import actions
from peerwork.spaces.models import SpaceMembership

PREFIXES: tuple[str, ...] = ("proposal.", "governance.")
EXTRA_USERS: tuple[str, ...] = ("proposer", "trusted")
ROLE_USERS: dict[str, str] = {"proposer": "proposer"}
API_BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/api/v1/spaces/{slug}/proposals"): {
        "title": "Meet on Thursdays",
        "method": "majority",
        "options": [{"label": "Yes"}, {"label": "No"}],
    },
    ("PUT", "/api/v1/spaces/{slug}/proposals/{proposal_id}/ballot"): {"ballot": {"choice": "a"}},
    ("POST", "/api/v1/spaces/{slug}/proposals/{proposal_id}/cancel"): {"reason": "Moot."},
    ("PUT", "/api/v1/spaces/{slug}/proposals/{proposal_id}/outcome"): {"text": "Agreed."},
    ("POST", "/api/v1/spaces/{slug}/proposals/{proposal_id}/comments"): {"text": "Why not?"},
    ("PUT", "/api/v1/spaces/{slug}/delegations"): {"delegate": "trusted", "topic": ""},
}
WEB_BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/s/{slug}/decisions/new"): {
        "title": "Meet on Thursdays",
        "method": "majority",
        "options": "Yes\nNo",
        "currency": "EUR",
    },
    ("POST", "/s/{slug}/decisions/delegation"): {"delegate": "trusted", "topic": ""},
    ("POST", "/s/{slug}/decisions/delegation/revoke"): {"topic": ""},
    ("POST", "/s/{slug}/decisions/{proposal_id}/vote"): {"choice": "a"},
    ("POST", "/s/{slug}/decisions/{proposal_id}/cancel"): {"reason": "Moot."},
    ("POST", "/s/{slug}/decisions/{proposal_id}/outcome"): {"text": "Agreed."},
    ("POST", "/s/{slug}/decisions/{proposal_id}/watch"): {"watch": "1"},
    ("POST", "/s/{slug}/decisions/{proposal_id}/comments"): {"text": "Why not?"},
}
QUERIES: dict[tuple[str, str], str] = {}


def build(world: Any) -> None:
    for name in EXTRA_USERS:
        SpaceMembership.objects.create(space=world.space, user=world.users[name], role="member")
    world.proposal = actions.proposal_create(
        user=world.users["proposer"],
        space=world.space,
        title="Open on Sundays",
        method_name="majority",
        options=["Yes", "No"],
        live_results=True,
    )


def add_hidden_side(world: Any, hidden: Any) -> None:
    """A proposal in the members-only second space of the hidden side."""
    actions.proposal_create(
        user=world.users["out"], space=hidden, title="Hidden vote", method_name="consent"
    )


def object_for(world: Any, action: str) -> Any:
    if action in {"proposal.create", "governance.delegate"}:
        return world.space
    return world.proposal


def values(world: Any) -> dict[str, Any]:
    return {"proposal_id": world.proposal.pk}
