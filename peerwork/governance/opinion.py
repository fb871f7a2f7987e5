"""Opinion maps (Polis's method): who agrees with whom, from agree / disagree / pass votes on
short statements. Pure numbers: no database, no Django, so the open-data dump recomputes the
same map (peerwork/governance/opinion_dump.py) and the benchmark times it alone.

1. The vote matrix, participants x statements: agree 1, disagree -1, pass 0, unseen missing.
   Participants are rows in the order they first voted, statements columns in their order.
2. Only participants with at least `min_votes` votes (7, or every statement if fewer) are
   placed. Missing votes are filled with the statement's mean over everyone who saw it.
3. PCA to 2 components; each participant's projection is scaled by sqrt(statements / votes
   cast), so a person who voted on few statements is not pulled to the centre.
4. k-means for k = 2..5, the k with the best silhouette wins; too few people or a poor
   silhouette give one group. Over updates the previous k stays unless the new best beats it by
   a margin, and new groups take the labels of the previous groups they overlap most.
5. Each group's representative statements: Laplace-smoothed agree (or disagree) rate in the
   group over the rate outside, kept when a two-proportion z-test says the difference is real.
6. Group-informed consensus of a statement: the product over groups of (agrees+1)/(seen+2).

Deterministic: the same votes, seed and previous map give the same map.
"""

from __future__ import annotations

import math
import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

AGREE, DISAGREE, PASS = 1, -1, 0
MIN_VOTES = 7
K_RANGE = range(2, 6)
#: below this silhouette the groups are not told apart: one group.
POOR_SILHOUETTE = 0.25
#: a new best k must beat the previous k's silhouette by this much to replace it.
K_MARGIN = 0.05
#: fewer placed participants than this: one group (k-means on a handful says nothing).
MIN_CLUSTERED = 6
#: z of a one-sided test at 90 % (Polis's threshold for "significant").
Z_SIGNIFICANT = 1.2816
REPRESENTATIVES = 5
#: a statement is listed as consensus when the geometric mean of its groups' smoothed agree
#: rates reaches this (every group mostly agrees).
CONSENSUS_FLOOR = 0.6
CONSENSUS_LISTED = 10
VERSION = 1


@dataclass(frozen=True)
class Votes:
    """The input: participants and statements in order, and each (row, column, value)."""

    participants: Sequence[Any]
    statements: Sequence[Any]
    cells: Sequence[tuple[int, int, int]]

    def matrix(self) -> np.ndarray:
        values = np.full((len(self.participants), len(self.statements)), np.nan)
        for row, column, value in self.cells:
            values[row, column] = value
        return values


def votes_from(
    rows: Iterable[tuple[Any, Any, int]], statements: Sequence[Any] | None = None
) -> Votes:
    """(participant, statement, value) rows, participants in the order they first appear;
    statements in the given order (or the order they first appear)."""
    participants: dict[Any, int] = {}
    columns: dict[Any, int] = {key: i for i, key in enumerate(statements or [])}
    cells = []
    for participant, statement, value in rows:
        if statement not in columns:
            if statements is not None:
                continue
            columns[statement] = len(columns)
        row = participants.setdefault(participant, len(participants))
        cells.append((row, columns[statement], int(value)))
    return Votes(list(participants), list(columns), cells)


def group_name(label: int) -> str:
    """0 -> "A", 25 -> "Z", 26 -> "AA": how people call a group."""
    letters = ""
    label += 1
    while label:
        label, rest = divmod(label - 1, 26)
        letters = string.ascii_uppercase[rest] + letters
    return letters


def _fill(matrix: np.ndarray) -> np.ndarray:
    seen = ~np.isnan(matrix)
    counts = seen.sum(axis=0)
    sums = np.where(seen, matrix, 0.0).sum(axis=0)
    means = np.divide(sums, counts, out=np.zeros_like(sums), where=counts > 0)
    return np.where(seen, matrix, means[np.newaxis, :])


def _project(filled: np.ndarray, cast: np.ndarray) -> np.ndarray:
    """2-D PCA of the filled rows (signs fixed by the largest loading), scaled per row."""
    rows, columns = filled.shape
    centred = filled - filled.mean(axis=0)
    if rows < 2 or columns < 1:
        return np.zeros((rows, 2))
    _u, _s, vt = np.linalg.svd(centred, full_matrices=False)
    components = np.zeros((2, columns))
    take = min(2, vt.shape[0])
    components[:take] = vt[:take]
    for index in range(take):
        pivot = int(np.argmax(np.abs(components[index])))
        if components[index, pivot] < 0:
            components[index] = -components[index]
    projected = centred @ components.T
    scale = np.sqrt(columns / np.maximum(cast, 1))
    result: np.ndarray = projected * scale[:, np.newaxis]
    return result


def _cluster(
    points: np.ndarray, seed: int, previous_k: int | None
) -> tuple[np.ndarray, int, dict[int, float]]:
    """(labels, k, silhouette per k tried)."""
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    count = len(points)
    if count < MIN_CLUSTERED or len(np.unique(points.round(9), axis=0)) < 2:
        return np.zeros(count, dtype=int), 1, {}
    scores: dict[int, float] = {}
    labelings: dict[int, np.ndarray] = {}
    for k in K_RANGE:
        if k >= count:
            break
        model = KMeans(n_clusters=k, n_init=10, random_state=seed)
        labels = model.fit_predict(points)
        if len(set(labels.tolist())) < 2:
            continue
        scores[k] = float(silhouette_score(points, labels))
        labelings[k] = labels
    if not scores:
        return np.zeros(count, dtype=int), 1, {}
    best = max(scores, key=lambda k: (scores[k], -k))
    if previous_k in scores and scores[best] < scores[previous_k] + K_MARGIN:
        best = previous_k
    if scores[best] < POOR_SILHOUETTE:
        return np.zeros(count, dtype=int), 1, scores
    return labelings[best], best, scores


def _match_labels(
    labels: np.ndarray, members: Sequence[Any], previous: dict[Any, int] | None
) -> dict[int, int]:
    """cluster index -> group label: the previous map's label a cluster overlaps most (a
    one-to-one assignment), else new labels; without a previous map, biggest group first."""
    clusters = sorted(set(labels.tolist()))
    sizes = {c: int((labels == c).sum()) for c in clusters}
    first = {c: int(np.argmax(labels == c)) for c in clusters}
    order = sorted(clusters, key=lambda c: (-sizes[c], first[c]))
    if not previous:
        return {c: index for index, c in enumerate(order)}
    from scipy.optimize import linear_sum_assignment

    old = sorted(set(previous.values()))
    overlap = np.zeros((len(order), len(old)))
    for row, cluster in enumerate(order):
        for person, label in zip(members, labels.tolist(), strict=True):
            if label == cluster and person in previous:
                overlap[row, old.index(previous[person])] += 1
    rows, columns = linear_sum_assignment(-overlap)
    mapping = {
        order[r]: old[c]
        for r, c in zip(rows.tolist(), columns.tolist(), strict=True)
        if overlap[r, c] > 0
    }
    unused = (n for n in range(len(order) + len(old)) if n not in set(mapping.values()))
    for cluster in order:
        if cluster not in mapping:
            mapping[cluster] = next(unused)
    return mapping


def _z(p1: float, n1: int, p2: float, n2: int) -> float:
    """Two-proportion z statistic (pooled); 0 when either side saw nothing."""
    if n1 == 0 or n2 == 0:
        return 0.0
    pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
    spread = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    return 0.0 if spread == 0 else (p1 - p2) / spread


def _tallies(matrix: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    part = matrix[rows]
    return (
        (part == AGREE).sum(axis=0),
        (part == DISAGREE).sum(axis=0),
        (~np.isnan(part)).sum(axis=0),
    )


def _percent(count: int, seen: int) -> int:
    return round(100 * count / seen) if seen else 0


def _representatives(
    matrix: np.ndarray, inside: np.ndarray, outside: np.ndarray, statements: Sequence[Any]
) -> list[dict[str, Any]]:
    a_in, d_in, s_in = _tallies(matrix, inside)
    a_out, d_out, s_out = _tallies(matrix, outside)
    found = []
    for column, statement in enumerate(statements):
        seen_in, seen_out = int(s_in[column]), int(s_out[column])
        if seen_in == 0:
            continue
        for kind, here, there in (
            ("agree", int(a_in[column]), int(a_out[column])),
            ("disagree", int(d_in[column]), int(d_out[column])),
        ):
            p_in = (here + 1) / (seen_in + 2)
            p_out = (there + 1) / (seen_out + 2)
            ratio = p_in / p_out
            z = _z(here / seen_in, seen_in, there / seen_out if seen_out else 0.0, seen_out)
            if p_in <= 0.5 or ratio <= 1 or z < Z_SIGNIFICANT:
                continue
            found.append(
                {
                    "statement": statement,
                    "kind": kind,
                    "agree_percent": _percent(int(a_in[column]), seen_in),
                    "disagree_percent": _percent(int(d_in[column]), seen_in),
                    "seen": seen_in,
                    "outside_percent": _percent(there, seen_out),
                    "ratio": round(ratio, 3),
                    "z": round(z, 3),
                    "_score": ratio * p_in,
                }
            )
    # What the group agrees with first (Polis prefers those), then what it rejects.
    found.sort(key=lambda r: (r["kind"] != "agree", -r["_score"], str(r["statement"])))
    for row in found:
        del row["_score"]
    return found[:REPRESENTATIVES]


def compute(
    votes: Votes,
    *,
    seed: int = 0,
    previous: dict[str, Any] | None = None,
    min_votes: int = MIN_VOTES,
) -> dict[str, Any]:
    """The map as a JSON-ready document. `previous` is an earlier document of the same
    proposal (its k and its groups' members keep labels and k steady)."""
    matrix = votes.matrix()
    total_statements = len(votes.statements)
    cast = (~np.isnan(matrix)).sum(axis=1) if matrix.size else np.zeros(len(votes.participants))
    needed = min(min_votes, total_statements) if total_statements else 1
    placed = np.flatnonzero(cast >= max(needed, 1))
    members = [votes.participants[i] for i in placed.tolist()]
    previous_k = (previous or {}).get("k")
    previous_groups = {
        person: group["label"]
        for group in (previous or {}).get("groups", [])
        for person in group.get("members", [])
    }
    document: dict[str, Any] = {
        "version": VERSION,
        "seed": seed,
        "participants": len(votes.participants),
        "placed": len(members),
        "statements": total_statements,
        "votes": len(votes.cells),
        "min_votes": needed,
        "previous_k": previous_k,
        "k": 0,
        "silhouettes": {},
        "groups": [],
        "consensus": [],
    }
    if not members:
        return document
    from threadpoolctl import threadpool_limits

    # One thread for BLAS and OpenMP: the matrices are small, and on a busy machine threads
    # spinning for each other made the same map ten times slower.
    with threadpool_limits(limits=1):
        filled = _fill(matrix)[placed]
        points = _project(filled, cast[placed])
        labels, k, scores = _cluster(points, seed, previous_k)
    mapping = _match_labels(labels, members, previous_groups)
    group_of = np.array([mapping[c] for c in labels.tolist()])
    document["k"] = k
    document["silhouettes"] = {str(key): round(value, 4) for key, value in scores.items()}
    placed_matrix = matrix[placed]
    everyone = np.arange(len(members))
    groups = []
    for label in sorted(set(group_of.tolist())):
        inside = np.flatnonzero(group_of == label)
        outside = np.setdiff1d(everyone, inside)
        groups.append(
            {
                "label": label,
                "name": group_name(label),
                "size": len(inside),
                "members": [members[i] for i in inside.tolist()],
                "center": [round(float(v), 4) for v in points[inside].mean(axis=0)],
                "representatives": _representatives(
                    placed_matrix, inside, outside, votes.statements
                ),
            }
        )
    document["groups"] = groups
    document["points"] = [
        {
            "participant": person,
            "x": round(float(points[i, 0]), 4),
            "y": round(float(points[i, 1]), 4),
            "group": int(group_of[i]),
        }
        for i, person in enumerate(members)
    ]
    document["consensus"] = _consensus(placed_matrix, group_of, votes.statements)
    return document


def _consensus(
    matrix: np.ndarray, group_of: np.ndarray, statements: Sequence[Any]
) -> list[dict[str, Any]]:
    labels = sorted(set(group_of.tolist()))
    per_group = {label: _tallies(matrix, np.flatnonzero(group_of == label)) for label in labels}
    rows = []
    for column, statement in enumerate(statements):
        score = 1.0
        shares = []
        for label in labels:
            agrees, _d, seen = per_group[label]
            score *= (int(agrees[column]) + 1) / (int(seen[column]) + 2)
            shares.append(
                {
                    "group": label,
                    "agree_percent": _percent(int(agrees[column]), int(seen[column])),
                    "seen": int(seen[column]),
                }
            )
        if score ** (1 / len(labels)) >= CONSENSUS_FLOOR:
            rows.append({"statement": statement, "score": round(score, 4), "groups": shares})
    rows.sort(key=lambda r: (-r["score"], str(r["statement"])))
    return rows[:CONSENSUS_LISTED]


def renamed(document: dict[str, Any], names: dict[Any, Any]) -> dict[str, Any]:
    """The document with participants renamed through `names` (to compare or to publish)."""
    copy = {**document}
    copy["groups"] = [
        {**g, "members": [names.get(m, m) for m in g.get("members", [])]}
        for g in document.get("groups", [])
    ]
    copy["points"] = [
        {**p, "participant": names.get(p["participant"], p["participant"])}
        for p in document.get("points", [])
    ]
    return copy
