"""The bridging model of Community Notes: one matrix factorization of helpful / not helpful.

    rating ≈ μ + rater intercept + item intercept + rater factor · item factor

fit by regularised least squares with alternating least squares (each step solves a small
2×2 system per rater, then per item, exactly), intercepts regularised five times more than
factors. The factor soaks up what a viewpoint explains (people on one side rate the item
helpful, people on the other do not), so an item's intercept is high only when people who
usually disagree both rate it helpful: that intercept is its bridged score.

Ratings are numbers in [0, 1] (helpful 1, not helpful 0), as Community Notes uses them.
Everything is NumPy; the same ratings and seed give the same result, whatever their order.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass

import numpy as np

#: Community Notes' regularisation: intercepts five times the factors'.
INTERCEPT_LAMBDA = 0.15
FACTOR_LAMBDA = 0.03


@dataclass(frozen=True)
class Result:
    """The fitted model: per item and per rater an intercept and a factor (dicts keyed by the
    ids given), the global mean `mu`, and how many ratings each item and rater had."""

    mu: float
    item_intercepts: dict[Hashable, float]
    item_factors: dict[Hashable, float]
    rater_intercepts: dict[Hashable, float]
    rater_factors: dict[Hashable, float]
    item_ratings: dict[Hashable, int]
    rater_ratings: dict[Hashable, int]
    iterations: int


def _solve(
    index: np.ndarray,
    size: int,
    residual: np.ndarray,
    other_factor: np.ndarray,
    intercept_lambda: float,
    factor_lambda: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Per group (rater or item), the intercept and factor minimising
    Σ (residual - a - f·g)² + λi a² + λf f², in closed form (a 2×2 system each)."""
    count = np.bincount(index, minlength=size).astype(float)
    sum_g = np.bincount(index, weights=other_factor, minlength=size)
    sum_gg = np.bincount(index, weights=other_factor * other_factor, minlength=size)
    sum_e = np.bincount(index, weights=residual, minlength=size)
    sum_eg = np.bincount(index, weights=residual * other_factor, minlength=size)
    a11 = count + intercept_lambda
    a12 = sum_g
    a22 = sum_gg + factor_lambda
    det = a11 * a22 - a12 * a12
    intercept = (a22 * sum_e - a12 * sum_eg) / det
    factor = (a11 * sum_eg - a12 * sum_e) / det
    return intercept, factor


def factorize(
    ratings: Iterable[tuple[Hashable, Hashable, float]],
    *,
    seed: int = 0,
    iterations: int = 60,
    tolerance: float = 1e-7,
    intercept_lambda: float = INTERCEPT_LAMBDA,
    factor_lambda: float = FACTOR_LAMBDA,
) -> Result:
    """Fit the model to (rater id, item id, value) triples; a later triple for the same rater
    and item replaces an earlier one. Any hashable ids: the caller's kinds stay its own
    (ideas, comments and statements are fit together as ("idea", 7), ("comment", 3), ...)."""
    latest: dict[tuple[Hashable, Hashable], float] = {}
    for rater, item, value in ratings:
        latest[(rater, item)] = float(value)
    if not latest:
        return Result(0.0, {}, {}, {}, {}, {}, {}, 0)
    # Sorted ids make the result independent of the order the ratings came in.
    raters = sorted({rater for rater, _item in latest}, key=repr)
    items = sorted({item for _rater, item in latest}, key=repr)
    rater_index = {rater: n for n, rater in enumerate(raters)}
    item_index = {item: n for n, item in enumerate(items)}
    keys = list(latest)
    count = len(keys)
    r = np.fromiter((rater_index[rater] for rater, _i in keys), dtype=np.int64, count=count)
    i = np.fromiter((item_index[item] for _r, item in keys), dtype=np.int64, count=count)
    v = np.fromiter(latest.values(), dtype=float, count=count)
    # One order whatever the input's: sums then add up the same way, to the last bit.
    order = np.lexsort((i, r))
    r, i, v = r[order], i[order], v[order]
    return _fit(
        r, i, v, raters, items, seed, iterations, tolerance, intercept_lambda, factor_lambda
    )


def _fit(
    r: np.ndarray,
    i: np.ndarray,
    v: np.ndarray,
    raters: list[Hashable],
    items: list[Hashable],
    seed: int,
    iterations: int,
    tolerance: float,
    intercept_lambda: float,
    factor_lambda: float,
) -> Result:
    n_raters, n_items = len(raters), len(items)
    rng = np.random.default_rng(seed)
    rater_factor = rng.normal(0.0, 0.1, n_raters)
    item_factor = rng.normal(0.0, 0.1, n_items)
    rater_intercept = np.zeros(n_raters)
    item_intercept = np.zeros(n_items)
    mu = float(v.mean())
    previous = np.inf
    done = 0
    for done in range(1, iterations + 1):  # noqa: B007  (the count is reported)
        rater_intercept, rater_factor = _solve(
            r,
            n_raters,
            v - mu - item_intercept[i],
            item_factor[i],
            intercept_lambda,
            factor_lambda,
        )
        item_intercept, item_factor = _solve(
            i,
            n_items,
            v - mu - rater_intercept[r],
            rater_factor[r],
            intercept_lambda,
            factor_lambda,
        )
        residual = v - rater_intercept[r] - item_intercept[i] - rater_factor[r] * item_factor[i]
        mu = float(residual.mean())
        error = residual - mu
        loss = float(
            error @ error
            + intercept_lambda
            * (rater_intercept @ rater_intercept + item_intercept @ item_intercept)
            + factor_lambda * (rater_factor @ rater_factor + item_factor @ item_factor)
        )
        if np.isfinite(previous) and previous - loss <= tolerance * max(1.0, previous):
            break
        previous = loss
    # The factor's sign is arbitrary (both flipped fit the same): fix it so that the first
    # rater with a clear position sits on the positive side, for a stable reading.
    clear = np.flatnonzero(np.abs(rater_factor) > 1e-9)
    if clear.size and rater_factor[clear[0]] < 0:
        rater_factor, item_factor = -rater_factor, -item_factor
    item_counts = np.bincount(i, minlength=n_items)
    rater_counts = np.bincount(r, minlength=n_raters)
    return Result(
        mu=mu,
        item_intercepts=dict(zip(items, item_intercept.tolist(), strict=True)),
        item_factors=dict(zip(items, item_factor.tolist(), strict=True)),
        rater_intercepts=dict(zip(raters, rater_intercept.tolist(), strict=True)),
        rater_factors=dict(zip(raters, rater_factor.tolist(), strict=True)),
        item_ratings=dict(zip(items, item_counts.tolist(), strict=True)),
        rater_ratings=dict(zip(raters, rater_counts.tolist(), strict=True)),
        iterations=done,
    )
