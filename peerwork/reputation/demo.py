"""Demo reputation: what the other demos did already earned points (the after-record hook);
this patrols the demo's wiki edits, as a steward would, so they count at once, and records one
steward's grant so the grant shows on a reputation page."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from peerwork.spaces.models import Space
from peerwork.wiki import actions as wiki
from peerwork.wiki.models import Revision

from . import actions, compute


def seed(*, space: Space, steward: Any, trusted: Any) -> None:
    for revision in (
        Revision.objects.filter(page__space=space, is_reviewed=False)
        .exclude(author=steward)
        .select_related("page__space")
    ):
        wiki.revision_review(user=steward, revision=revision)
    actions.privilege_grant(
        user=steward,
        space=space,
        person=trusted,
        privilege="rollback",
        allowed=True,
        reason="Reverts vandalism on the maps every week.",
    )
    compute.refresh_space(space, timezone.now())
