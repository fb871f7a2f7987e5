"""Splitting a whole number exactly by weights: the largest remainder method.

Weights may be floats (credit scores) or whole numbers (peer points); each is read as the
exact rational it is (`Fraction`), so the split is the same on every machine and the parts add
up to the total to the last minor unit.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from fractions import Fraction
from typing import TypeVar

K = TypeVar("K", bound=Hashable)


def largest_remainder(total: int, weights: Mapping[K, float | int | Fraction]) -> dict[K, int]:
    """{key: whole part of `total`}, in proportion to `weights`, summing exactly to `total`.

    Each key gets the floor of its exact quota; the units left over go one each to the largest
    remainders, ties broken by the order of `weights` (callers pass a sorted mapping). Keys
    with zero weight get zero; with no positive weight at all the result is empty.
    """
    if total < 0:
        raise ValueError("a total to split is not negative")
    exact = {key: Fraction(weight) for key, weight in weights.items()}
    if any(weight < 0 for weight in exact.values()):
        raise ValueError("weights are not negative")
    whole = sum(exact.values(), Fraction(0))
    if whole == 0:
        return {}
    quotas = {key: total * weight / whole for key, weight in exact.items()}
    parts = {key: quota.numerator // quota.denominator for key, quota in quotas.items()}
    left = total - sum(parts.values())
    order = sorted(
        enumerate(quotas.items()), key=lambda item: (-(item[1][1] - parts[item[1][0]]), item[0])
    )
    for _position, (key, _quota) in order[:left]:
        parts[key] += 1
    return parts
