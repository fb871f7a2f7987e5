"""The ideas part of the permission table's world (see tests/permission_parts/__init__.py).

The world's idea is open for support, created by `ideaauthor`, who has invited `ideaco` to
co-create it (not answered yet); `idearev` is named a reviewer in the space's policy. A second
open idea, by `mem`, is what flags and merges name; `author` has commented on the idea. Everyone
with a role here is a member.
"""

from __future__ import annotations

from typing import Any

from peerwork.discussions import actions as discussions
from peerwork.ideas import actions
from peerwork.spaces import actions as spaces
from peerwork.spaces.models import SpaceMembership

PREFIXES: tuple[str, ...] = ("idea.",)
EXTRA_USERS: tuple[str, ...] = ("ideaauthor", "ideaco", "idearev")
ROLE_USERS: dict[str, str] = {
    "creator": "ideaauthor",
    "co-creator": "ideaco",
    "reviewer": "idearev",
}
API_BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/api/v1/spaces/{slug}/ideas"): {"title": "A new idea", "tags": ["new"]},
    ("PATCH", "/api/v1/spaces/{slug}/ideas/{idea_id}"): {"title": "A renamed idea"},
    ("POST", "/api/v1/spaces/{slug}/ideas/{idea_id}/creators"): {"username": "mem", "share": 1},
    ("POST", "/api/v1/spaces/{slug}/ideas/{idea_id}/invitation"): {"accept": True},
    ("POST", "/api/v1/spaces/{slug}/ideas/{idea_id}/review"): {
        "decision": "accept",
        "reason": "Meets the criteria.",
    },
    ("POST", "/api/v1/spaces/{slug}/ideas/{idea_id}/done"): {"reason": "Shipped."},
    # The world's idea is open, not accepted: a steward's request is a 409.
    ("POST", "/api/v1/spaces/{slug}/ideas/{idea_id}/revenue"): {"amount": 100, "currency": "EUR"},
    ("POST", "/api/v1/spaces/{slug}/ideas/{idea_id}/flags"): {"duplicate_of": "{other_idea_id}"},
    ("POST", "/api/v1/spaces/{slug}/ideas/{idea_id}/merge"): {"into": "{other_idea_id}"},
    ("POST", "/api/v1/spaces/{slug}/ideas/{idea_id}/comments"): {"text": "A reply."},
}
WEB_BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/s/{slug}/ideas/new"): {
        "title": "A new idea",
        "description": "",
        "tags": "new",
        "share": "1",
    },
    ("POST", "/s/{slug}/ideas/{idea_id}/edit"): {
        "title": "A renamed idea",
        "description": "",
        "tags": "",
    },
    ("POST", "/s/{slug}/ideas/{idea_id}/creators"): {"username": "mem", "share": "1"},
    ("POST", "/s/{slug}/ideas/{idea_id}/invitation"): {"accept": "1"},
    ("POST", "/s/{slug}/ideas/{idea_id}/review"): {
        "decision": "accept",
        "reason": "Meets the criteria.",
    },
    ("POST", "/s/{slug}/ideas/{idea_id}/done"): {"reason": "Shipped."},
    ("POST", "/s/{slug}/ideas/{idea_id}/revenue"): {
        "amount": "1.00",
        "currency": "EUR",
        "key": "permission-table",
    },
    ("POST", "/s/{slug}/ideas/{idea_id}/flags"): {"duplicate_of": "{other_idea_id}"},
    ("POST", "/s/{slug}/ideas/{idea_id}/merge"): {"into": "{other_idea_id}"},
    ("POST", "/s/{slug}/ideas/{idea_id}/watch"): {"watch": "1"},
    ("POST", "/s/{slug}/ideas/{idea_id}/comments"): {"text": "A reply."},
    ("POST", "/s/{slug}/ideas/{idea_id}/comments/{idea_comment_id}/edit"): {"text": "Edited."},
    ("POST", "/s/{slug}/ideas/{idea_id}/comments/{idea_comment_id}/remove"): {"reason": "x"},
}
QUERIES: dict[tuple[str, str], str] = {
    ("GET", "/api/v1/spaces/{slug}/ideas/similar"): "?title=garden",
    ("GET", "/s/{slug}/ideas/similar"): "?title=garden",
}


def build(world: Any) -> None:
    stew = world.users["stew"]
    for name in EXTRA_USERS:
        SpaceMembership.objects.create(space=world.space, user=world.users[name], role="member")
    world.space = spaces.space_policy_update(
        user=stew, space=world.space, document={"ideas": {"reviewers": ["idearev"]}}
    )
    author = world.users["ideaauthor"]
    idea = actions.idea_create(user=author, space=world.space, title="Community garden")
    actions.idea_invite_creator(user=author, idea=idea, invitee=world.users["ideaco"], share=1)
    world.idea = actions.idea_publish(user=author, idea=idea)
    other = actions.idea_create(user=world.users["mem"], space=world.space, title="Garden club")
    world.other_idea = actions.idea_publish(user=world.users["mem"], idea=other)
    # A comment on the idea by the discussions table's "author", for the comment routes.
    world.idea_comment = discussions.comment_post(
        user=world.users["author"], target=world.idea, text="Where would it be?"
    )


def object_for(world: Any, action: str) -> Any:
    if action == "idea.create":
        return world.space
    return world.idea


def values(world: Any) -> dict[str, Any]:
    return {
        "idea_id": world.idea.pk,
        "other_idea_id": world.other_idea.pk,
        "idea_comment_id": world.idea_comment.pk,
    }
