"""The tasks section of a space's open data dump (peerwork/interop/dumps/jsonl.py).

Everything anyone who may read the space may see: tasks, claims, reviews, and deliveries
except a contest's losing entries their authors have not released.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Prefetch

from .models import Claim, Delivery, Mode, Review, Task
from .schemas import task_fields


def records(space: Any) -> Iterator[dict[str, Any]]:
    tasks = (
        Task.objects.filter(space=space)
        .select_related("created_by", "space")
        .prefetch_related(
            "depends_on",
            Prefetch("claims", queryset=Claim.objects.select_related("user")),
            Prefetch("deliveries", queryset=Delivery.objects.select_related("submitted_by")),
            Prefetch("reviews", queryset=Review.objects.select_related("reviewer")),
        )
        .order_by("pk")
    )
    for task in tasks.iterator(chunk_size=200):
        yield {"type": "task", **task_fields(task)}
        for claim in task.claims.all():
            yield {
                "type": "task_claim",
                "task": task.pk,
                "user": claim.user.username,
                "status": claim.status,
                "share": claim.share,
                "created_at": claim.created_at,
            }
        for delivery in task.deliveries.all():
            hidden = (
                task.mode == Mode.CONTEST
                and not delivery.is_winner
                and delivery.released_at is None
            )
            yield {
                "type": "task_delivery",
                "task": task.pk,
                "id": delivery.pk,
                "by": delivery.submitted_by.username,
                "created_at": delivery.created_at,
                "text": None if hidden else delivery.text,
                "links": [] if hidden else delivery.links,
                "revision": None if hidden else delivery.revision_id,
                "is_winner": delivery.is_winner,
                "released_to_commons": delivery.released_at is not None,
            }
        for review in task.reviews.all():
            yield {
                "type": "task_review",
                "task": task.pk,
                "delivery": review.delivery_id,
                "reviewer": review.reviewer.username,
                "decision": review.decision,
                "reason": review.reason,
                "created_at": review.created_at,
            }
