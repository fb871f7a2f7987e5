"""The opinion-map part of the permission table's world (see tests/permission_parts/__init__.py).

The world's statement is on the governance part's proposal, written by `author`, a member.
"""

from __future__ import annotations

from typing import Any

from peerwork.governance import actions as governance
from peerwork.governance import opinion_actions
from peerwork.governance.models import Proposal

PREFIXES: tuple[str, ...] = ("statement.",)
EXTRA_USERS: tuple[str, ...] = ()
ROLE_USERS: dict[str, str] = {}
B = "/api/v1/spaces/{slug}/proposals/{proposal_id}"
S = "/s/{slug}/decisions/{proposal_id}/opinion"
API_BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", B + "/statements"): {"text": "Sundays are for families."},
    ("PATCH", B + "/statements/{statement_id}"): {"text": "Sundays are for everyone."},
    ("PUT", B + "/statements/{statement_id}/hidden"): {"hidden": True, "reason": "Off topic."},
    ("PUT", B + "/statements/{statement_id}/vote"): {"vote": "agree"},
    # The statement's id is filled in by build(): the table fills only top-level strings.
    ("POST", B + "/opinion-map/draft"): {"statements": [], "title": "Agreed"},
}
WEB_BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", S + "/statements"): {"text": "Sundays are for families."},
    ("POST", S + "/statements/{statement_id}/vote"): {"vote": "agree"},
    ("POST", S + "/statements/{statement_id}/hide"): {"hidden": "1", "reason": "Off topic."},
    ("POST", S + "/draft"): {"statements": "{statement_id}", "title": "Agreed"},
}
QUERIES: dict[tuple[str, str], str] = {}


def build(world: Any) -> None:
    world.statement = opinion_actions.statement_add(
        user=world.users["author"], proposal=world.proposal, text="Open the library on Sundays."
    )
    API_BODIES[("POST", B + "/opinion-map/draft")]["statements"] = [world.statement.pk]


def add_hidden_side(world: Any, hidden: Any) -> None:
    """A statement on a proposal of the members-only second space of the hidden side."""
    proposal = Proposal.objects.filter(space=hidden).first() or governance.proposal_create(
        user=world.users["out"], space=hidden, title="Hidden map", method_name="consent"
    )
    opinion_actions.statement_add(
        user=world.users["out"], proposal=proposal, text="Only members read this."
    )


def object_for(world: Any, action: str) -> Any:
    if action == "statement.create":
        return world.proposal
    return world.statement


def values(world: Any) -> dict[str, Any]:
    return {"statement_id": world.statement.pk}
