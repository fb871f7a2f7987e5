"""Personalized PageRank over a contribution graph, and the exact decomposition of a score.

Pure numbers: no database. `graph.py` builds the `Graph` from a space's rows; this module ranks
it. The walk follows weighted edges; with probability `alpha` (and from any node with no way
out) it jumps back to the seed, which sends it to a contribution in proportion to that
contribution's own weight (SourceCred's seed node). A person mints nothing: everything a
person holds flowed in along an edge from a node, so a person's score is the sum of what each
neighbour sent, and that sum is what `explain` returns part by part.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

#: The walk stops when one step moves less than this much probability in total.
TOLERANCE = 1e-14
MAX_STEPS = 2000


@dataclass
class Graph:
    """Nodes by index with a kind, a label and (for people) a user id; weighted directed edges;
    `seed` is each node's weight in the jump back (zero for people and for hubs such as pages)."""

    keys: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    users: list[int | None] = field(default_factory=list)
    seed: list[float] = field(default_factory=list)
    sources: list[int] = field(default_factory=list)
    targets: list[int] = field(default_factory=list)
    weights: list[float] = field(default_factory=list)
    edge_kinds: list[str] = field(default_factory=list)
    index: dict[str, int] = field(default_factory=dict)

    def node(
        self, key: str, kind: str, label: str = "", *, user: int | None = None, seed: float = 0.0
    ) -> int:
        """The node's index, added on first mention (a later mention may raise its seed)."""
        found = self.index.get(key)
        if found is not None:
            if seed:
                self.seed[found] = seed
            if label and not self.labels[found]:
                self.labels[found] = label
            return found
        self.index[key] = len(self.keys)
        self.keys.append(key)
        self.kinds.append(kind)
        self.labels.append(label)
        self.users.append(user)
        self.seed.append(seed)
        return self.index[key]

    def edge(self, source: int, target: int, weight: float, kind: str) -> None:
        if weight > 0 and source != target:
            self.sources.append(source)
            self.targets.append(target)
            self.weights.append(float(weight))
            self.edge_kinds.append(kind)

    def __len__(self) -> int:
        return len(self.keys)


@dataclass
class Ranking:
    """The stationary distribution `scores` of the walk, the row-stochastic transition
    matrix it was computed with, and the jump probability."""

    graph: Graph
    scores: np.ndarray
    transition: sparse.csr_matrix
    alpha: float
    _inflow: sparse.csc_matrix | None = field(default=None, repr=False)

    def person_scores(self) -> dict[int, float]:
        """{user id: score}, each the exact `math.fsum` of its `explain` parts."""
        inflow = self.inflow_matrix()
        totals: dict[int, float] = {}
        for position, user in enumerate(self.graph.users):
            if user is not None:
                start, end = inflow.indptr[position], inflow.indptr[position + 1]
                totals[user] = math.fsum(inflow.data[start:end].tolist())
        return totals

    def inflow_matrix(self) -> sparse.csc_matrix:
        """Entry (j, p): what node j sends to node p in one step of the walk (computed once)."""
        if self._inflow is None:
            flows = sparse.diags((1.0 - self.alpha) * self.scores) @ self.transition
            self._inflow = sparse.csc_matrix(flows)
            self._inflow.sort_indices()
        return self._inflow

    def explain(self, user: int) -> list[tuple[int, float]]:
        """[(node index, part)] of `user`'s score, largest first (ties by node index); the
        parts' `math.fsum` is the person's score in `person_scores`."""
        position = self.graph.index.get(f"user:{user}")
        if position is None:
            return []
        inflow = self.inflow_matrix()
        start, end = inflow.indptr[position], inflow.indptr[position + 1]
        rows, values = inflow.indices[start:end].tolist(), inflow.data[start:end].tolist()
        parts = [(int(row), float(value)) for row, value in zip(rows, values, strict=True)]
        return sorted(parts, key=lambda p: (-p[1], p[0]))


def transition_matrix(graph: Graph) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Row-normalized edge weights (parallel edges add up) and the rows with no way out."""
    size = len(graph)
    matrix = sparse.csr_matrix(
        (
            np.asarray(graph.weights, dtype=np.float64),
            (np.asarray(graph.sources, dtype=np.int64), np.asarray(graph.targets, dtype=np.int64)),
        ),
        shape=(size, size),
    )
    matrix.sum_duplicates()
    out = np.asarray(matrix.sum(axis=1)).ravel()
    dangling = out == 0
    scale = np.divide(1.0, out, out=np.zeros_like(out), where=~dangling)
    return sparse.csr_matrix(sparse.diags(scale) @ matrix), dangling


def pagerank(graph: Graph, *, alpha: float) -> Ranking:
    """The walk's stationary distribution, by power iteration from the seed (deterministic:
    the same graph gives the same numbers). An empty or unseeded graph ranks nothing."""
    if not 0 < alpha < 1:
        raise ValueError("alpha is a probability strictly between 0 and 1")
    size = len(graph)
    transition, dangling = transition_matrix(graph)
    seed = np.asarray(graph.seed, dtype=np.float64)
    total = seed.sum()
    if size == 0 or total <= 0:
        return Ranking(graph, np.zeros(size), transition, alpha)
    seed = seed / total
    scores = seed.copy()
    step_matrix = transition.T.tocsr()
    for _step in range(MAX_STEPS):
        lost = alpha + (1.0 - alpha) * scores[dangling].sum()
        following = (1.0 - alpha) * (step_matrix @ scores) + lost * seed
        moved = np.abs(following - scores).sum()
        scores = following
        if moved < TOLERANCE:
            break
    return Ranking(graph, scores, transition, alpha)
