"""Demo data for edit risk: the space holds risky edits, and one waits in the patrol queue."""

from __future__ import annotations

from typing import Any

from peerwork.core import policy
from peerwork.spaces import actions as spaces
from peerwork.wiki import actions as wiki
from peerwork.wiki.selectors import page_find

#: What the demo's risky edit leaves of the page: all of it gone, shouting instead.
RISKY_TEXT = "RIVERS ARE BORING!!!!!!!!!!!! LOL"


def seed(*, space: Any, steward: Any, people: list[Any]) -> None:
    """Turn holding on and leave one risky edit of "River maps" waiting for a patroller, by the
    first of `people` whose edits are not reviewed on saving (not a member of the space)."""
    spaces.space_policy_update(
        user=steward,
        space=space,
        document={**space.policy, "risk": {"hold_risky_edits": True, "threshold_percent": 90}},
    )
    space.refresh_from_db()
    page = page_find(user=steward, space=space, title="River maps")
    assert page is not None and page.current_revision_id is not None
    editor = next(p for p in people if not policy.can(p, "page.autopatrol", page))
    saved = wiki.page_save(
        user=editor,
        space=space,
        title=page.title,
        text=RISKY_TEXT,
        base_revision_id=page.current_revision_id,
    )
    assert saved.status == "held", "the demo's risky edit was not held"
