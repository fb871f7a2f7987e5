"""Numbers as the reader's language writes them."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("language", "value", "shown"),
    [
        ("en", 4993, "49.93%"),
        ("es", 4993, "49,93%"),
        ("en", 10000, "100.00%"),
        ("en", 0, "0.00%"),
    ],
)
def test_a_share_in_basis_points_reads_as_a_percentage(
    language: str, value: int, shown: str
) -> None:
    from django.utils import translation

    from peerwork.core.templatetags.numbers import basis_points

    with translation.override(language):
        assert basis_points(value) == shown
