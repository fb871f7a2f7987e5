"""The moderation part of the permission table's world (see tests/permission_parts/__init__.py).

The space has one disabled filter (so no other route's comment is screened by it) and one open
queue item: a member's report of the world's comment.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from peerwork.moderation.models import Filter, QueueItem, Report

PREFIXES: tuple[str, ...] = ("moderation.", "site.")
EXTRA_USERS: tuple[str, ...] = ()
ROLE_USERS: dict[str, str] = {}
_FILTER = {"name": "Adverts", "added_pattern": "cheap pills", "action": "tag", "match": "all"}
API_BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/api/v1/spaces/{slug}/filters"): dict(_FILTER),
    ("POST", "/api/v1/spaces/{slug}/filters/test"): {**_FILTER, "last": 5},
    ("PATCH", "/api/v1/spaces/{slug}/filters/{filter_id}"): {"is_enabled": False},
    ("POST", "/api/v1/spaces/{slug}/reports"): {"comment": "{comment_id}", "reason": "spam"},
    ("POST", "/api/v1/spaces/{slug}/moderation/queue/{item_id}/decision"): {"decision": "dismiss"},
    ("POST", "/api/v1/site/blocks"): {"username": "tgt", "reason": "Spam"},
}
WEB_BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/s/{slug}/moderation/filters/new"): dict(_FILTER),
    ("POST", "/s/{slug}/moderation/filters/{filter_id}/"): dict(_FILTER),
    ("POST", "/s/{slug}/moderation/queue/{item_id}/decide"): {"decision": "dismiss"},
    ("POST", "/s/{slug}/moderation/report"): {"comment": "{comment_id}", "reason": "spam"},
    ("POST", "/site/blocks/"): {"username": "tgt", "duration": "1d", "reason": "Spam"},
}
QUERIES: dict[tuple[str, str], str] = {
    ("GET", "/s/{slug}/moderation/report"): "?comment={comment_id}",
}


def build(world: Any) -> None:
    now = timezone.now()
    world.moderation_filter = Filter.objects.create(
        space=world.space,
        created_by=world.users["stew"],
        created_at=now,
        updated_at=now,
        **_FILTER,
    )
    world.queue_item = QueueItem.objects.create(
        space=world.space,
        comment=world.comment,
        person=world.comment.author,
        report_count=1,
        created_at=now,
    )
    Report.objects.create(
        item=world.queue_item, reporter=world.users["mem"], reason="spam", created_at=now
    )


def object_for(world: Any, action: str) -> Any:
    return None if action == "site.block" else world.space


def values(world: Any) -> dict[str, Any]:
    return {"filter_id": world.moderation_filter.pk, "item_id": world.queue_item.pk}
