"""Reads of edit risk: the scorer of a space, and what its settings page shows."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from peerwork.core import policy
from peerwork.spaces.models import Space
from peerwork.wiki.selectors import held_decided_counts

from . import scoring
from .models import RiskModel
from .policy_schema import risk_policy

_cache: dict[int, tuple[datetime, scoring.Scorer]] = {}
_lock = threading.Lock()


def scorer_for(space: Space) -> scoring.Scorer:
    """The space's own model if it has one that verifies, else the shipped default."""
    row = RiskModel.objects.filter(space_id=space.pk).values_list("trained_at", flat=True).first()
    if row is None:
        return scoring.default_scorer()
    with _lock:
        cached = _cache.get(space.pk)
        if cached is not None and cached[0] == row:
            return cached[1]
    stored = RiskModel.objects.get(space_id=space.pk)
    scorer = scoring.load(
        bytes(stored.blob), stored.signature, stored.baseline, stored.feature_names
    )
    if scorer is None:
        return scoring.default_scorer()
    with _lock:
        _cache[space.pk] = (row, scorer)
    return scorer


@dataclass(frozen=True)
class RiskStatus:
    hold_risky_edits: bool
    threshold_percent: int
    model: str  # "space" or "default"
    trained_at: datetime | None
    samples: int
    positives: int
    metrics: dict[str, Any]
    released: int
    rejected: int

    @property
    def decided(self) -> int:
        return self.released + self.rejected

    @property
    def precision(self) -> float | None:
        """Patrol-confirmed among held: the share of decided risk holds that were rejected."""
        return round(self.rejected / self.decided, 4) if self.decided else None


def risk_status(*, user: Any, space: Space) -> RiskStatus:
    policy.require(user, "space.view", space)
    settings = risk_policy(space)
    stored = RiskModel.objects.filter(space=space).defer("blob").first()
    counts = held_decided_counts(space=space, screen="risk")
    if stored is None:
        return RiskStatus(
            settings.hold_risky_edits,
            settings.threshold_percent,
            "default",
            None,
            scoring.DEFAULT_SAMPLES,
            0,
            {},
            counts["released"],
            counts["rejected"],
        )
    return RiskStatus(
        settings.hold_risky_edits,
        settings.threshold_percent,
        "space",
        stored.trained_at,
        stored.samples,
        stored.positives,
        stored.metrics,
        counts["released"],
        counts["rejected"],
    )
