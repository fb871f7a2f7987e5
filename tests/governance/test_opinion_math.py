"""The opinion map's numbers (peerwork/governance/opinion.py) on synthetic vote matrices with
planted camps: each camp agrees with its own statements and disagrees with the others', everyone
agrees with a few shared statements, 8 % of votes are flipped or passed, 20 % unseen."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from peerwork.governance import opinion
from tests.governance.opinion_synthetic import Planted, planted

#: the planted camps must come back exactly (the matrices are well separated).
ARI_BOUND = 0.99


def _groups(document: dict, data: Planted) -> list[int]:
    found = {p["participant"]: p["group"] for p in document["points"]}
    return [found[i] for i in range(len(data.camp_of))]


def _camp_of_group(document: dict, data: Planted) -> dict[int, int]:
    """group label -> the planted camp most of its members belong to."""
    found = {}
    for group in document["groups"]:
        camps = [data.camp_of[m] for m in group["members"]]
        found[group["label"]] = max(set(camps), key=camps.count)
    return found


@pytest.mark.parametrize("camps", [2, 3])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_planted_camps_are_recovered(camps: int, seed: int) -> None:
    data = planted(camps, seed=seed)
    document = opinion.compute(data.votes, seed=0)
    assert document["k"] == camps
    assert adjusted_rand_score(data.camp_of, _groups(document, data)) >= ARI_BOUND
    assert sorted(g["size"] for g in document["groups"]) == [30] * camps


@pytest.mark.parametrize("camps", [2, 3])
def test_each_groups_representatives_are_its_own_camps_statements(camps: int) -> None:
    data = planted(camps)
    document = opinion.compute(data.votes, seed=0)
    camp_of_group = _camp_of_group(document, data)
    for group in document["groups"]:
        camp = camp_of_group[group["label"]]
        representatives = group["representatives"]
        assert len(representatives) == opinion.REPRESENTATIVES
        agreed = [r["statement"] for r in representatives if r["kind"] == "agree"]
        # Five representatives, and the camp has six statements: all five are ones it agrees
        # with, all of them its own.
        assert len(agreed) == opinion.REPRESENTATIVES
        assert {data.statement_camp[s] for s in agreed} == {camp}
        for row in representatives:
            assert row["agree_percent"] >= 75
            assert row["outside_percent"] <= 25
            assert row["ratio"] > 2 and row["z"] >= opinion.Z_SIGNIFICANT


@pytest.mark.parametrize("camps", [2, 3])
def test_consensus_statements_are_the_shared_ones(camps: int) -> None:
    data = planted(camps)
    document = opinion.compute(data.votes, seed=0)
    shared = {s for s, camp in data.statement_camp.items() if camp == -1}
    assert {row["statement"] for row in document["consensus"]} == shared
    for row in document["consensus"]:
        assert len(row["groups"]) == camps
        assert all(g["agree_percent"] >= 80 for g in row["groups"])


def test_consensus_score_is_the_product_over_groups() -> None:
    data = planted(2)
    document = opinion.compute(data.votes, seed=0)
    matrix = data.votes.matrix()
    row = document["consensus"][0]
    column = data.votes.statements.index(row["statement"])
    product = 1.0
    for group in document["groups"]:
        votes = matrix[group["members"], column]
        seen = int((~np.isnan(votes)).sum())
        product *= (int((votes == 1).sum()) + 1) / (seen + 2)
    assert row["score"] == round(product, 4)


def test_same_seed_same_map_and_it_survives_json() -> None:
    data = planted(3, seed=7)
    first = opinion.compute(data.votes, seed=5)
    second = opinion.compute(data.votes, seed=5)
    assert first == second
    assert json.loads(json.dumps(first)) == first


def test_labels_stay_with_their_people_over_updates() -> None:
    """Recomputed with more votes, each group keeps the label it had: no swapped names."""
    data = planted(3, seed=4)
    before = opinion.compute(data.votes, seed=0)
    # The same people in the opposite row order: k-means meets them in another order, and
    # without the previous map the biggest-first naming could differ; with it, it cannot.
    reordered = opinion.Votes(
        list(reversed(data.votes.participants)),
        data.votes.statements,
        [(len(data.camp_of) - 1 - r, c, v) for r, c, v in data.votes.cells],
    )
    after = opinion.compute(reordered, seed=3, previous=before)
    old = {m: g["label"] for g in before["groups"] for m in g["members"]}
    new = {m: g["label"] for g in after["groups"] for m in g["members"]}
    assert new == old


def test_previous_k_is_kept_unless_beaten_by_a_margin() -> None:
    data = planted(3, seed=4)
    fresh = opinion.compute(data.votes, seed=0)
    scores = {int(k): v for k, v in fresh["silhouettes"].items()}
    runner_up = max((k for k in scores if k != 3), key=lambda k: scores[k])
    assert scores[3] - scores[runner_up] > opinion.K_MARGIN  # a clear winner replaces it
    kept = opinion.compute(data.votes, seed=0, previous={"k": runner_up, "groups": []})
    assert kept["k"] == 3


def test_one_group_when_people_are_few_or_alike() -> None:
    few = planted(2, per_camp=2)
    assert opinion.compute(few.votes)["k"] == 1
    alike = opinion.Votes(
        list(range(20)), list(range(8)), [(r, c, 1) for r in range(20) for c in range(8)]
    )
    document = opinion.compute(alike)
    assert document["k"] == 1
    assert document["groups"][0]["size"] == 20
    assert {row["statement"] for row in document["consensus"]} == set(range(8))


def test_only_people_with_enough_votes_are_placed() -> None:
    data = planted(2)
    cells = [cell for cell in data.votes.cells if not (cell[0] == 0 and cell[1] > 2)]
    sparse = opinion.Votes(data.votes.participants, data.votes.statements, cells)
    document = opinion.compute(sparse)
    assert document["min_votes"] == opinion.MIN_VOTES
    assert document["placed"] == len(data.camp_of) - 1
    assert 0 not in {p["participant"] for p in document["points"]}


def test_no_votes_no_groups() -> None:
    document = opinion.compute(opinion.Votes([], [1, 2], []))
    assert document["k"] == 0 and document["groups"] == [] and document["placed"] == 0


def test_group_names() -> None:
    assert [opinion.group_name(i) for i in (0, 1, 25, 26)] == ["A", "B", "Z", "AA"]
