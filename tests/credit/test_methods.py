"""Immediate, recent and balanced credit: how earlier periods count."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from peerwork.credit import selectors

from .conftest import Commons, edit


def set_discount(commons: Commons, percent: int) -> None:
    commons.space.policy = {"credit": {"recent_discount_percent": percent}}
    commons.space.save(update_fields=["policy"])


@pytest.fixture
def two_periods(commons: Commons) -> Commons:
    """Ana wrote three weeks ago; Ben writes this week the same amount."""
    with time_machine.travel(timezone.now() - timedelta(days=21), tick=False):
        edit(commons.space, commons.ana, "Old page", "x" * 500)
    edit(commons.space, commons.ben, "New page", "y" * 500)
    return commons


def test_immediate_counts_this_period_only(two_periods: Commons) -> None:
    result = selectors.credit_of(two_periods.space, method="immediate")
    assert result.share(two_periods.ben.pk) > 0.9
    assert result.scores.get(two_periods.ana.pk, 0.0) < result.scores[two_periods.ben.pk] / 10


def test_balanced_counts_every_period_alike(two_periods: Commons) -> None:
    result = selectors.credit_of(two_periods.space, method="balanced")
    assert result.share(two_periods.ana.pk) == pytest.approx(0.5, abs=1e-9)


def test_recent_discounts_each_earlier_period(two_periods: Commons) -> None:
    """Three periods back with 50 % off each: Ana's seed is 1/8 of Ben's."""
    set_discount(two_periods, 50)
    result = selectors.credit_of(two_periods.space, method="recent")
    ana, ben = result.scores[two_periods.ana.pk], result.scores[two_periods.ben.pk]
    assert ana / ben == pytest.approx(1 / 8, rel=1e-9)
    set_discount(two_periods, 0)
    same = selectors.credit_of(two_periods.space, method="recent")
    assert same.share(two_periods.ana.pk) == pytest.approx(0.5, abs=1e-9)
