"""The tasks part of the permission table's world (see tests/permission_parts/__init__.py).

The world's task is a single-mode one posted by `taskcreator`; `claimant` claimed it and
delivered, so it is in review. Both are members of the space; so are the base roles.
"""

from __future__ import annotations

from typing import Any

from peerwork.spaces.models import SpaceMembership
from peerwork.tasks import actions

PREFIXES: tuple[str, ...] = ("task.",)
EXTRA_USERS: tuple[str, ...] = ("taskcreator", "claimant")
ROLE_USERS: dict[str, str] = {"task-creator": "taskcreator", "claimant": "claimant"}
API_BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/api/v1/spaces/{slug}/tasks"): {"title": "A new task", "skills": ["maps"]},
    ("PATCH", "/api/v1/spaces/{slug}/tasks/{task_id}"): {"title": "A renamed task"},
    ("POST", "/api/v1/spaces/{slug}/tasks/{task_id}/cancel"): {"reason": "Not needed."},
    ("PUT", "/api/v1/spaces/{slug}/tasks/{task_id}/bounty"): {"bounty": "10", "currency": "EUR"},
    ("PUT", "/api/v1/spaces/{slug}/tasks/{task_id}/claim"): {"share": 1},
    ("POST", "/api/v1/spaces/{slug}/tasks/{task_id}/claims/{claim_id}/decision"): {"approve": True},
    ("POST", "/api/v1/spaces/{slug}/tasks/{task_id}/deliveries"): {"text": "Done again."},
    ("POST", "/api/v1/spaces/{slug}/tasks/{task_id}/deliveries/{task_delivery_id}/review"): {
        "decision": "approved",
        "reason": "Checked.",
    },
    ("POST", "/api/v1/spaces/{slug}/tasks/{task_id}/comments"): {"text": "How is it going?"},
}
WEB_BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/s/{slug}/tasks/new"): {"title": "A new task", "mode": "single", "currency": "EUR"},
    ("POST", "/s/{slug}/tasks/{task_id}/edit"): {"title": "A renamed task"},
    ("POST", "/s/{slug}/tasks/{task_id}/cancel"): {"reason": "Not needed."},
    ("POST", "/s/{slug}/tasks/{task_id}/bounty"): {"bounty": "10", "currency": "EUR"},
    ("POST", "/s/{slug}/tasks/{task_id}/claim"): {"share": "1"},
    ("POST", "/s/{slug}/tasks/{task_id}/claims/{claim_id}/decide"): {"approve": "1"},
    ("POST", "/s/{slug}/tasks/{task_id}/deliver"): {"text": "Done again."},
    ("POST", "/s/{slug}/tasks/{task_id}/deliveries/{task_delivery_id}/review"): {
        "decision": "approved",
        "reason": "Checked.",
    },
    ("POST", "/s/{slug}/tasks/{task_id}/watch"): {"watch": "1"},
    ("POST", "/s/{slug}/tasks/{task_id}/comments"): {"text": "How is it going?"},
    ("POST", "/tasks/skills"): {"skills": "maps, translation"},
}
QUERIES: dict[tuple[str, str], str] = {}


def build(world: Any) -> None:
    for name in EXTRA_USERS:
        SpaceMembership.objects.create(space=world.space, user=world.users[name], role="member")
    world.task = actions.task_create(
        user=world.users["taskcreator"], space=world.space, title="Map the fountains"
    )
    world.task_claim = actions.task_claim(user=world.users["claimant"], task=world.task)
    world.task_delivery = actions.task_deliver(
        user=world.users["claimant"], task=world.task, text="41 fountains."
    )


def add_hidden_side(world: Any, hidden: Any) -> None:
    """A task in the members-only second space of the hidden side."""
    actions.task_create(user=world.users["out"], space=hidden, title="Hidden work")


def object_for(world: Any, action: str) -> Any:
    if action == "task.create":
        return world.space
    return world.task


def values(world: Any) -> dict[str, Any]:
    return {
        "task_id": world.task.pk,
        "claim_id": world.task_claim.pk,
        "task_delivery_id": world.task_delivery.pk,
    }
