"""The one shape of a task's public fields, shared by the API and the open data dump."""

from __future__ import annotations

from typing import Any

from .models import Task


def task_fields(task: Task) -> dict[str, Any]:
    """Reads `depends_on` through its prefetch when a list made one."""
    return {
        "id": task.pk,
        "space": task.space.slug,
        "title": task.title,
        "description": task.description,
        "created_by": task.created_by.username,
        "mode": task.mode,
        "state": task.state,
        "skills": list(task.skills),
        "labels": list(task.labels),
        "language": task.language,
        "estimate_hours": task.estimate_hours,
        "due_date": task.due_date,
        "bounty": task.bounty,
        "currency": task.currency or None,
        "depends_on": sorted(t.pk for t in task.depends_on.all()),
        "created_at": task.created_at,
        "done_at": task.done_at,
        "cancelled_at": task.cancelled_at,
    }
