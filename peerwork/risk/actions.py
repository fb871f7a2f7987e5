"""Every write of edit risk: training a space's model."""

from __future__ import annotations

import random
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peerwork.accounts.models import Viewer
from peerwork.activity import recorder
from peerwork.core import policy
from peerwork.core.errors import Conflict
from peerwork.spaces.models import Space

from . import features, scoring
from .history import labelled_edits
from .models import RiskModel

#: The least history a space's own model learns from; below it the shipped default scores.
MIN_SAMPLES = 50
MIN_EACH_LABEL = 5


def train(
    space: Space, *, seed: int = scoring.DEFAULT_SEED
) -> tuple[scoring.Scorer, dict[str, Any], int, int]:
    """Fit on the space's labelled history: a shuffled fifth held out measures precision and
    recall, then the model is fitted again on all of it. Conflict when there is too little."""
    data = labelled_edits(space)
    labels = [label for _pk, _edit, label in data]
    positives = sum(labels)
    if (
        len(data) < MIN_SAMPLES
        or positives < MIN_EACH_LABEL
        or len(data) - positives < MIN_EACH_LABEL
    ):
        raise Conflict(
            _(
                "Not enough history to learn from: %(edits)d edits, %(reverted)d of them "
                "reverted (at least %(min)d edits and %(each)d of each kind are needed). The "
                "shipped default model keeps scoring."
            )
            % {
                "edits": len(data),
                "reverted": positives,
                "min": MIN_SAMPLES,
                "each": MIN_EACH_LABEL,
            },
            reason="not-enough-history",
        )
    rows = [features.vector(edit) for _pk, edit, _label in data]
    order = list(range(len(rows)))
    random.Random(seed).shuffle(order)  # noqa: S311  (a reproducible split, not a secret)
    cut = len(order) * 4 // 5
    train_ids, test_ids = order[:cut], order[cut:]
    trial = scoring.fit([rows[i] for i in train_ids], [labels[i] for i in train_ids], seed=seed)
    metrics = scoring.precision_recall(
        trial, [rows[i] for i in test_ids], [labels[i] for i in test_ids]
    )
    return scoring.fit(rows, labels, seed=seed), metrics, len(rows), positives


@transaction.atomic
def risk_train(*, user: Viewer | None, space: Space) -> RiskModel:
    """Train and store the space's model (a steward, the command, or the daily job: user None)."""
    if user is not None:
        user = policy.require_person(user, "risk.train", space)
    scorer, metrics, samples, positives = train(space)
    blob, signature = scoring.dump(scorer)
    stored, _created = RiskModel.objects.update_or_create(
        space=space,
        defaults={
            "trained_at": timezone.now(),
            "feature_names": list(features.NAMES),
            "samples": samples,
            "positives": positives,
            "metrics": metrics,
            "baseline": scorer.baseline,
            "blob": blob,
            "signature": signature,
        },
    )
    recorder.record(
        actor=user,
        verb="risk:trained",
        target=space,
        space=space,
        data={"samples": samples, "positives": positives, **metrics},
    )
    return stored
