"""The largest remainder method: parts are whole, add up exactly, and follow the weights."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peerwork.credit.split import largest_remainder


def test_a_worked_split() -> None:
    # quotas 333.33, 333.33, 333.33: one unit left goes to the first in order.
    assert largest_remainder(1000, {"a": 1, "b": 1, "c": 1}) == {"a": 334, "b": 333, "c": 333}
    # quotas 571.43 and 428.57: the floors 571 + 428 leave one for the larger remainder.
    assert largest_remainder(1000, {"x": 4, "y": 3}) == {"x": 571, "y": 429}


def test_nothing_to_weigh() -> None:
    assert largest_remainder(100, {"a": 0}) == {}
    with pytest.raises(ValueError):
        largest_remainder(100, {"a": -1})


@given(
    total=st.integers(0, 10**12),
    weights=st.dictionaries(
        st.integers(1, 10_000),
        st.floats(0, 1e9, allow_nan=False, allow_infinity=False),
        min_size=1,
        max_size=40,
    ),
)
def test_parts_add_up_to_the_pool_exactly(total: int, weights: dict[int, float]) -> None:
    parts = largest_remainder(total, dict(sorted(weights.items())))
    if not any(weights.values()):
        assert parts == {}
        return
    assert sum(parts.values()) == total
    whole = sum(Fraction(w) for w in weights.values())
    for key, part in parts.items():
        quota = total * Fraction(weights[key]) / whole
        assert quota - 1 < part < quota + 1  # never more than one unit from the exact quota
        assert part >= 0
