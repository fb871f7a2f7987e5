"""The bridging model itself: cross-camp beats one-camp, deterministic, order-free."""

from __future__ import annotations

import random

from peerwork.bridging import factorize


def synthetic(seed: int = 1) -> list[tuple[str, str, float]]:
    rng = random.Random(seed)
    ratings = []
    a = [f"a{n}" for n in range(30)]
    b = [f"b{n}" for n in range(30)]
    for k in range(20):
        for person in a:
            if rng.random() < 0.7:
                ratings.append((person, f"p{k}", 1.0 if k % 2 == 0 else 0.0))
        for person in b:
            if rng.random() < 0.7:
                ratings.append((person, f"p{k}", 0.0 if k % 2 == 0 else 1.0))
    ratings += [(person, "X", 1.0) for person in a[:5] + b[:5]]  # 10 across both camps
    ratings += [(person, "Y", 1.0) for person in a[5:25]]  # 20 from one camp
    return ratings


def test_cross_camp_item_scores_above_one_camp_item_with_more_support():
    result = factorize(synthetic(), seed=3)
    assert result.item_intercepts["X"] > result.item_intercepts["Y"] + 0.2
    # Y's support is explained by the viewpoint axis, X's is not.
    assert abs(result.item_factors["Y"]) > 0.25 > abs(result.item_factors["X"])
    # The camps sit on opposite sides.
    assert result.rater_factors["a0"] * result.rater_factors["b0"] < 0
    assert result.item_ratings["Y"] == 20


def test_same_seed_same_result_in_any_order():
    ratings = synthetic()
    first = factorize(ratings, seed=5)
    shuffled = list(ratings)
    random.Random(9).shuffle(shuffled)
    second = factorize(shuffled, seed=5)
    assert first == second


def test_a_later_rating_replaces_an_earlier_one_and_nothing_gives_an_empty_fit():
    result = factorize([("u", "i", 0.0), ("u", "i", 1.0), ("v", "i", 1.0)], seed=0)
    assert result.item_ratings == {"i": 2}
    empty = factorize([], seed=0)
    assert empty.item_intercepts == {} and empty.mu == 0.0
