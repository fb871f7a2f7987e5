"""Who may train a space's edit-risk model. The table is docs/permissions/risk.md."""

from __future__ import annotations

from typing import Any

from peerwork.core.policy import rule, signed_in
from peerwork.spaces.models import Space
from peerwork.spaces.selectors import space_role


@rule("risk.train", visible_via="space.view")
def can_train_risk(user: Any, space: Space) -> bool:
    """Training the space's model from its history: stewards (the threshold is the space's
    policy, which stewards change too)."""
    return signed_in(user) and space_role(user, space) == "steward"
