"""Schulze (winning votes) and ranked pairs (Tideman, margins) from one pairwise matrix.

A ballot prefers each option it ranks (as the rules read it) to every option ranked later and
to every option it leaves unranked; unranked options are tied with each other. With seats > 1
the methods give the top-N order: the winner, then the winner among the rest, and so on.
Where the method itself leaves a tie, the rules' tie_break settles it; "previous_round_counts"
compares first choices, the one count a Condorcet method has, before its fallback.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from .ballots import Reading
from .rules import RankedRules
from .ties import break_tie

ZERO = Decimal(0)
Matrix = dict[str, dict[str, Decimal]]


def pairwise(
    options: Sequence[str], groups: dict[Reading, Decimal]
) -> tuple[Matrix, dict[str, Decimal]]:
    """d[a][b]: votes ranking a over b; and each option's first-choice votes."""
    index = {option: number for number, option in enumerate(options)}
    size = len(options)
    cells = [[ZERO] * size for _ in range(size)]
    first = [ZERO] * size
    for reading, weight in groups.items():
        ranked = [index[option] for option in reading.choices]
        if not ranked or not weight:
            continue
        first[ranked[0]] += weight
        rest = set(range(size)) - set(ranked)
        for place, a in enumerate(ranked):
            row = cells[a]
            for b in ranked[place + 1 :]:
                row[b] += weight
            for b in rest:
                row[b] += weight
    matrix = {a: {b: cells[index[a]][index[b]] for b in options if b != a} for a in options}
    return matrix, {option: first[index[option]] for option in options}


def schulze(
    options: Sequence[str],
    groups: dict[Reading, Decimal],
    seats: int,
    rules: RankedRules,
) -> tuple[list[str], Matrix, Matrix, list[dict[str, Any]]]:
    """Winners in order, the pairwise matrix, the strongest paths, the tie-breaks used."""
    d, first = pairwise(options, groups)
    p: Matrix = {
        a: {b: d[a][b] if d[a][b] > d[b][a] else ZERO for b in options if b != a} for a in options
    }
    for i in options:
        for j in options:
            if j == i:
                continue
            through = p[j][i]
            if not through:
                continue
            row = p[j]
            for k in options:
                if k == i or k == j:
                    continue
                candidate = min(through, p[i][k])
                if candidate > row[k]:
                    row[k] = candidate
    remaining = list(options)
    winners: list[str] = []
    ties: list[dict[str, Any]] = []
    while remaining and len(winners) < seats:
        best = [a for a in remaining if all(p[a][b] >= p[b][a] for b in remaining if b != a)]
        chosen = best[0]
        if len(best) > 1:
            chosen, record = break_tie(
                best,
                lose=False,
                rules=rules,
                options=options,
                history=[first],
                context=f"schulze place {len(winners) + 1}",
            )
            ties.append(record)
        winners.append(chosen)
        remaining.remove(chosen)
    return winners, d, p, ties


def ranked_pairs(
    options: Sequence[str],
    groups: dict[Reading, Decimal],
    seats: int,
    rules: RankedRules,
) -> tuple[list[str], Matrix, list[tuple[str, str, Decimal]], list[dict[str, Any]]]:
    """Winners in order, the pairwise matrix, the locked pairs in order, the tie-breaks used.

    Pairs are taken by margin, largest first; pairs of equal margin in the order of the tie-break
    ranking of the options (Tideman's TBRC): the pair whose winner ranks higher first, then the
    one whose loser ranks lower. A pair is locked unless it would close a cycle.
    """
    d, first = pairwise(options, groups)
    ties: list[dict[str, Any]] = []
    ranking = _tie_ranking(options, rules, first)
    rank = {option: place for place, option in enumerate(ranking)}
    pairs = [
        (a, b, d[a][b] - d[b][a]) for a in options for b in options if a != b and d[a][b] > d[b][a]
    ]
    margins = [margin for _, _, margin in pairs]
    if len(set(margins)) < len(margins):
        ties.append({"context": "ranked pairs order", "tie_ranking": ranking})
    pairs.sort(key=lambda pair: (-pair[2], rank[pair[0]], -rank[pair[1]]))
    beats: dict[str, set[str]] = {option: set() for option in options}
    locked: list[tuple[str, str, Decimal]] = []
    for a, b, margin in pairs:
        if not _reaches(beats, b, a):
            beats[a].add(b)
            locked.append((a, b, margin))
    remaining = list(options)
    winners: list[str] = []
    while remaining and len(winners) < seats:
        sources = [a for a in remaining if not any(a in beats[b] for b in remaining if b != a)]
        chosen = min(sources, key=rank.__getitem__)
        if len(sources) > 1:
            ties.append(
                {
                    "context": f"ranked pairs place {len(winners) + 1}",
                    "tied": sources,
                    "chosen": chosen,
                    "by": "tie_ranking",
                    "tie_ranking": ranking,
                }
            )
        winners.append(chosen)
        remaining.remove(chosen)
    return winners, d, locked, ties


def _tie_ranking(
    options: Sequence[str], rules: RankedRules, first: dict[str, Decimal]
) -> list[str]:
    """All options in the order the tie_break rule prefers them, best first."""
    left = list(options)
    ranking: list[str] = []
    while left:
        chosen, _ = break_tie(
            left,
            lose=False,
            rules=rules,
            options=options,
            history=[first],
            context=f"tie ranking {len(ranking) + 1}",
        )
        ranking.append(chosen)
        left.remove(chosen)
    return ranking


def _reaches(beats: dict[str, set[str]], start: str, goal: str) -> bool:
    seen = {start}
    stack = [start]
    while stack:
        node = stack.pop()
        if node == goal:
            return True
        for nxt in beats[node]:
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return False
