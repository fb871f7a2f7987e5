"""What an idea says about itself, written once for the REST API and the open-data dump."""

from __future__ import annotations

from typing import Any

from .models import Idea


def idea_fields(idea: Idea) -> dict[str, Any]:
    """The facts of an idea that read the same for everyone, at any time.

    The API adds the status as it stands now (an overdue idea shows expired before the expiry
    job runs) and the reader's progress; the dump adds the stored status and the public record.
    """
    return {
        "id": idea.pk,
        "title": idea.title,
        "tags": idea.tags,
        "supporters": idea.support_count,
        "created_at": idea.created_at,
        "published_at": idea.published_at,
    }
