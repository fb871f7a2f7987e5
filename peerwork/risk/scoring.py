"""Train and apply the edit-risk classifier: gradient boosting over the edit features.

`Scorer` wraps a fitted scikit-learn HistGradientBoostingClassifier with the baseline each
explanation compares to. The shipped default is trained at first use on the seeded generated
history (`synthetic.py`), so it is the same on every machine; a space's own model replaces it
once `peerwork risk train` (or the daily job) learns from the space's history.
"""

from __future__ import annotations

import hashlib
import hmac
import pickle  # noqa: S403  (only blobs signed with the site's key are read: see load())
import threading
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.conf import settings
from sklearn.ensemble import HistGradientBoostingClassifier
from threadpoolctl import ThreadpoolController

from . import features

#: Edits in the generated history the default model learns from.
DEFAULT_SAMPLES = 3000
DEFAULT_SEED = 17


#: OpenMP's threads cost far more than they give on a few rows (10x slower on a busy 2-CPU
#: machine: bench/risk_bench.py), so scoring and training run on one thread.
_threads = ThreadpoolController()


def _one_thread() -> Any:
    return _threads.limit(limits=1, user_api="openmp")


@dataclass
class Scorer:
    model: HistGradientBoostingClassifier
    baseline: list[float]
    names: tuple[str, ...] = features.NAMES
    source: str = "default"

    def score(self, row: list[float]) -> float:
        with _one_thread():
            return float(self.model.predict_proba(np.asarray([row]))[0, 1])

    def explain(self, row: list[float], top: int = 3) -> tuple[float, list[dict[str, Any]]]:
        """The score and the features that raise it most. A feature's contribution is the
        larger of two readings: how much the score drops when it alone is set back to its
        typical value in good edits, and how much a typical good edit's score rises when it
        alone takes this edit's value (the second still speaks when many signals agree and
        removing any one of them leaves the score high)."""
        size = len(row)
        edit = np.asarray(row, dtype=float)
        base = np.asarray(self.baseline, dtype=float)
        rows = np.vstack([edit, np.tile(edit, (size, 1)), base, np.tile(base, (size, 1))])
        for index in range(size):
            rows[1 + index, index] = base[index]
            rows[size + 2 + index, index] = edit[index]
        with _one_thread():
            scores = self.model.predict_proba(rows)[:, 1]
        score, typical = float(scores[0]), float(scores[size + 1])
        contributions = sorted(
            (
                (
                    max(
                        score - float(scores[1 + index]), float(scores[size + 2 + index]) - typical
                    ),
                    index,
                )
                for index in range(size)
                if row[index] != self.baseline[index]
            ),
            reverse=True,
        )
        found = [
            {"feature": self.names[index], "value": row[index], "contribution": round(amount, 3)}
            for amount, index in contributions[:top]
            if amount > 0.005
        ]
        return score, found


def fit(rows: list[list[float]], labels: list[int], *, seed: int = DEFAULT_SEED) -> Scorer:
    """A fitted scorer; its baseline is the median of the good edits' features."""
    x = np.asarray(rows, dtype=float)
    y = np.asarray(labels, dtype=int)
    model = HistGradientBoostingClassifier(
        max_iter=150,
        learning_rate=0.1,
        max_leaf_nodes=15,
        l2_regularization=1.0,
        random_state=seed,
    )
    with _one_thread():
        model.fit(x, y)
    good = x[y == 0] if (y == 0).any() else x
    return Scorer(model, [float(v) for v in np.median(good, axis=0)])


def precision_recall(
    scorer: Scorer, rows: list[list[float]], labels: list[int], *, at: float = 0.5
) -> dict[str, float]:
    if not rows:
        return {"precision": 0.0, "recall": 0.0, "threshold": at}
    with _one_thread():
        scores = scorer.model.predict_proba(np.asarray(rows, dtype=float))[:, 1]
    predicted = scores >= at
    actual = np.asarray(labels) == 1
    true = int((predicted & actual).sum())
    return {
        "precision": round(true / max(1, int(predicted.sum())), 4),
        "recall": round(true / max(1, int(actual.sum())), 4),
        "threshold": at,
        "tested": len(rows),
    }


_default: Scorer | None = None
_default_lock = threading.Lock()


def default_scorer() -> Scorer:
    """The shipped default, trained once per process on the generated history (seeded)."""
    global _default
    with _default_lock:
        if _default is None:
            from .synthetic import history

            data = history(DEFAULT_SAMPLES, seed=DEFAULT_SEED)
            _default = fit([features.vector(edit) for edit, _ in data], [y for _, y in data])
        return _default


# ---- storing a space's model --------------------------------------------------------------


def _sign(blob: bytes) -> str:
    key = hashlib.sha256(("peerwork.risk.model:" + settings.SECRET_KEY).encode()).digest()
    return hmac.new(key, blob, hashlib.sha256).hexdigest()


def dump(scorer: Scorer) -> tuple[bytes, str]:
    blob = pickle.dumps(scorer.model, protocol=pickle.HIGHEST_PROTOCOL)
    return blob, _sign(blob)


def load(blob: bytes, signature: str, baseline: list[float], names: list[str]) -> Scorer | None:
    """The stored model, or None when its signature does not verify (or its columns are not
    today's): a blob is unpickled only if this site's training wrote it."""
    blob = bytes(blob)
    if not hmac.compare_digest(_sign(blob), signature) or tuple(names) != features.NAMES:
        return None
    # nosec B301 - only bytes whose HMAC (keyed by SECRET_KEY) this site wrote are unpickled
    model = pickle.loads(blob)  # noqa: S301  # nosec B301
    return Scorer(model, list(baseline), source="space")
