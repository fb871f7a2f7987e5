"""Peer allocation epochs: members give points with a note, never more than they hold; what
is not given vanishes at the close; the points received can drive a distribution."""

from __future__ import annotations

import pytest

from peerwork.activity.models import Event
from peerwork.core.errors import Conflict, Forbidden, Invalid
from peerwork.credit import actions, selectors
from peerwork.credit.models import Allocation, Epoch

from .conftest import Commons


def turn_on(commons: Commons, points: int = 100) -> None:
    space = commons.space
    space.policy = {**(space.policy or {}), "credit": {"peer_epochs": True, "epoch_points": points}}
    space.save(update_fields=["policy"])


def test_epochs_are_off_until_the_policy_says_so(commons: Commons) -> None:
    with pytest.raises(Conflict, match="off"):
        actions.epoch_open(actor=commons.steward, space=commons.space, title="May")
    assert not Epoch.objects.exists()


def test_a_whole_epoch(commons: Commons) -> None:
    turn_on(commons)
    with pytest.raises(Forbidden):
        actions.epoch_open(actor=commons.ana, space=commons.space, title="May")
    epoch = actions.epoch_open(actor=commons.steward, space=commons.space, title="May")
    assert epoch.points == 100
    with pytest.raises(Conflict):
        actions.epoch_open(actor=commons.steward, space=commons.space, title="Again")

    actions.points_give(
        actor=commons.ana, epoch=epoch, receiver=commons.ben, points=60, note="maps"
    )
    actions.points_give(actor=commons.ana, epoch=epoch, receiver=commons.steward, points=40)
    # Giving again replaces the amount; more than what is left is refused, nothing changes.
    with pytest.raises(Invalid, match="40 points left"):
        actions.points_give(actor=commons.ana, epoch=epoch, receiver=commons.steward, points=41)
    assert Allocation.objects.get(giver=commons.ana, receiver=commons.steward).points == 40
    actions.points_give(
        actor=commons.ana, epoch=epoch, receiver=commons.ben, points=50, note="maps"
    )
    assert selectors.given_by(epoch, commons.ana) == 90
    with pytest.raises(Invalid):
        actions.points_give(actor=commons.ana, epoch=epoch, receiver=commons.ana, points=1)
    with pytest.raises(Invalid, match="not a member"):
        actions.points_give(actor=commons.ana, epoch=epoch, receiver=commons.outsider, points=1)
    with pytest.raises(Forbidden):
        actions.points_give(actor=commons.outsider, epoch=epoch, receiver=commons.ana, points=1)
    actions.points_give(actor=commons.ben, epoch=epoch, receiver=commons.ana, points=100)

    closed = actions.epoch_close(actor=commons.steward, epoch=epoch)
    assert closed.state == "closed"
    event = Event.objects.get(verb="credit:epoch_closed")
    # 3 people could give 100 each; 190 were given, 110 vanish.
    assert event.data == {"given": 190, "vanished": 110, "members": 3}
    with pytest.raises(Conflict):
        actions.points_give(actor=commons.ben, epoch=closed, receiver=commons.ana, points=1)
    assert selectors.received(closed) == [("ana", 100), ("ben", 50), ("stew", 40)]

    distribution = actions.distribution_create(
        actor=commons.steward,
        space=commons.space,
        method="peer",
        epoch=closed,
        amount=1_900,
        currency="EUR",
        key="may-peer",
    )
    amounts = {s.user.username: s.amount for s in selectors.shares(distribution)}
    assert amounts == {"ana": 1_000, "ben": 500, "stew": 400}
    ben = next(s for s in selectors.shares(distribution) if s.user == commons.ben)
    assert ben.explanation["parts"] == [
        {
            "node": f"user:{commons.ana.pk}",
            "kind": "gift",
            "name": "ana",
            "note": "maps",
            "points": 50,
            "relations": [],
            "basis_points": 10_000,
        }
    ]


def test_an_open_epoch_does_not_drive_a_distribution(commons: Commons) -> None:
    turn_on(commons)
    epoch = actions.epoch_open(actor=commons.steward, space=commons.space, title="June")
    actions.points_give(actor=commons.ana, epoch=epoch, receiver=commons.ben, points=10)
    with pytest.raises(Conflict):
        actions.distribution_create(
            actor=commons.steward,
            space=commons.space,
            method="peer",
            epoch=epoch,
            amount=100,
            currency="EUR",
            key="early",
        )
