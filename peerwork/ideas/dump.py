"""Ideas in the space's JSON Lines dump: published ones only, supporters as counts.

Who supported what is a person's own business (a support is a vote of sorts), so the dump
says how many, never who; creators, reasons and milestones are public record.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .models import Idea
from .policy import published
from .schemas import idea_fields


def ideas_records(space: Any) -> Iterator[dict[str, Any]]:
    ideas = (
        published(Idea.objects.filter(space=space))
        .select_related("created_by", "reviewed_by", "merged_into")
        .prefetch_related("creators__user", "milestones_reached", "revenue_shares__user")
        .order_by("pk")
    )
    for idea in ideas.iterator(chunk_size=200):
        yield {
            "type": "idea",
            **idea_fields(idea),
            "description": idea.description,
            "status": idea.status,
            "status_reason": idea.status_reason,
            "status_changed_at": idea.status_changed_at,
            "milestones": idea.milestones,
            "milestones_reached": [
                {"stage": m.stage, "supporters": m.supporters, "reached_at": m.reached_at}
                for m in sorted(idea.milestones_reached.all(), key=lambda m: m.stage)
            ],
            "deadline_at": idea.deadline_at,
            "creators": [
                {"username": c.user.username, "share": c.share}
                for c in sorted(idea.creators.all(), key=lambda c: (c.created_at, c.pk))
                if c.state == "accepted"
            ],
            "reviewed_by": idea.reviewed_by.username if idea.reviewed_by else None,
            "merged_into": idea.merged_into_id,
            "revenue_shares": [
                {"username": r.user.username, "basis_points": r.basis_points}
                for r in idea.revenue_shares.all()
            ],
        }
