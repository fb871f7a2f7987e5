"""Distributions: shares add up to the pool, a retry pays once, the ledger shows the money,
and each share carries the explanation it was paid by."""

from __future__ import annotations

from typing import Any

import pytest

from peerwork.core.errors import Forbidden, InsufficientFunds, Invalid, KeyReused, NotFound
from peerwork.credit import actions, selectors
from peerwork.credit.models import Distribution, Share
from peerwork.ledger.models import Account, AccountKind, Payout

from .conftest import Commons, edit


def earnings(space: Any, user: Any) -> int:
    found = Account.objects.filter(
        space=space, kind=AccountKind.EARNINGS, user=user, currency="EUR"
    ).first()
    return found.balance if found else 0


def work(commons: Commons) -> None:
    """Ana writes a long page; Ben adds a line to it and writes a short one."""
    edit(commons.space, commons.ana, "Water points", "Wells and taps. " * 200)
    edit(commons.space, commons.ben, "Water points", "Wells and taps. " * 200 + "A new tap.")
    edit(commons.space, commons.ben, "Maps", "See [[Water points]].")


def test_immediate_distribution_pays_the_pool_exactly(commons: Commons) -> None:
    work(commons)
    distribution = actions.distribution_create(
        actor=commons.steward,
        space=commons.space,
        method="immediate",
        amount=10_001,
        currency="EUR",
        key="week-1",
    )
    shares = {s.user.username: s for s in selectors.shares(distribution)}
    assert set(shares) == {"ana", "ben"}
    assert sum(s.amount for s in shares.values()) == 10_001
    # Ana wrote 3,200 bytes, Ben 10 plus a short page: Ana's share is larger.
    assert shares["ana"].amount > shares["ben"].amount > 0
    assert earnings(commons.space, commons.ana) == shares["ana"].amount
    assert earnings(commons.space, commons.ben) == shares["ben"].amount
    payout = Payout.objects.get(pk=distribution.payout_id)
    assert payout.amount == 10_001 and payout.state == "paid"
    # Each explanation names nodes, in basis points adding up to 100 %.
    for share in shares.values():
        parts = share.explanation["parts"]
        assert sum(part["basis_points"] for part in parts) == 10_000
    assert any(
        part["kind"] == "revision" and part["name"] == "Water points"
        for part in shares["ana"].explanation["parts"]
    )


def test_the_same_key_pays_once(commons: Commons) -> None:
    work(commons)
    request: dict[str, Any] = {
        "actor": commons.steward,
        "space": commons.space,
        "method": "immediate",
        "amount": 5_000,
        "currency": "EUR",
        "key": "retry-me",
    }
    first = actions.distribution_create(**request)
    again = actions.distribution_create(**request)
    assert again.pk == first.pk
    assert Distribution.objects.count() == 1 and Payout.objects.count() == 1
    assert earnings(commons.space, commons.ana) + earnings(commons.space, commons.ben) == 5_000
    with pytest.raises(KeyReused):
        actions.distribution_create(**{**request, "amount": 6_000})
    assert Distribution.objects.count() == 1


def test_only_a_steward_distributes_and_bad_input_changes_nothing(commons: Commons) -> None:
    work(commons)
    with pytest.raises(Forbidden):
        actions.distribution_create(
            actor=commons.ana,
            space=commons.space,
            method="immediate",
            amount=100,
            currency="EUR",
            key="k",
        )
    for bad in ({"amount": 0}, {"currency": "XXZ"}, {"method": "lottery"}, {"key": " "}):
        with pytest.raises(Invalid):
            actions.distribution_create(
                **{
                    "actor": commons.steward,
                    "space": commons.space,
                    "method": "immediate",
                    "amount": 100,
                    "currency": "EUR",
                    "key": "k",
                    **bad,
                }
            )
    with pytest.raises(InsufficientFunds):
        actions.distribution_create(
            actor=commons.steward,
            space=commons.space,
            method="immediate",
            amount=100_001,
            currency="EUR",
            key="too-much",
        )
    assert not Distribution.objects.exists() and not Share.objects.exists()
    assert not Payout.objects.exists()


def test_nobody_with_credit_is_refused(commons: Commons) -> None:
    with pytest.raises(Invalid, match="Nobody"):
        actions.distribution_create(
            actor=commons.steward,
            space=commons.space,
            method="recent",
            amount=100,
            currency="EUR",
            key="empty",
        )


def test_balanced_pays_toward_lifetime_shares(commons: Commons) -> None:
    """Ben is paid alone first (only he worked then); then both have worked equally, so a
    balanced distribution pays Ana first to bring her toward her lifetime share."""
    edit(commons.space, commons.ben, "Tools", "x" * 500)
    actions.distribution_create(
        actor=commons.steward,
        space=commons.space,
        method="immediate",
        amount=1_000,
        currency="EUR",
        key="first",
    )
    assert earnings(commons.space, commons.ben) == 1_000
    edit(commons.space, commons.ana, "Seeds", "y" * 500)
    balanced = actions.distribution_create(
        actor=commons.steward,
        space=commons.space,
        method="balanced",
        amount=1_000,
        currency="EUR",
        key="second",
    )
    shares = {s.user.username: s.amount for s in selectors.shares(balanced)}
    assert sum(shares.values()) == 1_000
    assert shares["ana"] > shares.get("ben", 0)
    ana = Share.objects.get(distribution=balanced, user=commons.ana)
    assert ana.explanation["paid_before"] == 0


def test_distributions_are_read_with_the_ledger(commons: Commons) -> None:
    work(commons)
    distribution = actions.distribution_create(
        actor=commons.steward,
        space=commons.space,
        method="immediate",
        amount=100,
        currency="EUR",
        key="seen",
    )
    space = commons.space
    space.policy = {**(space.policy or {}), "ledger": {"visibility": "members"}}
    space.save(update_fields=["policy"])
    assert selectors.distribution_get(
        user=commons.ana, space=space, distribution_id=distribution.pk
    )
    with pytest.raises(NotFound):
        selectors.distribution_get(
            user=commons.outsider, space=space, distribution_id=distribution.pk
        )
