"""The demo's idea list sorts differently by bridged support than by the count."""

from __future__ import annotations

from peerwork.demo import load_demo
from peerwork.ideas import selectors
from peerwork.spaces.models import Space


def test_demo_bridged_order_differs_from_the_count(db):
    assert load_demo()
    atlas = Space.objects.get(slug="riverside")
    titles = {"Close Main Street to cars on Sundays", "Plant shade trees along the bus stops"}

    def order(sort: str) -> list[str]:
        listed = selectors.ideas_listed(user=None, space=atlas, sort=sort)
        return [idea.title for idea in listed if idea.title in titles]

    assert order("supporters") == [
        "Close Main Street to cars on Sundays",
        "Plant shade trees along the bus stops",
    ]
    assert order("bridged") == [
        "Plant shade trees along the bus stops",
        "Close Main Street to cars on Sundays",
    ]
    # Its milestone counts bridged support: the one-sided idea has not reached it.
    one_side = atlas.ideas.get(title="Close Main Street to cars on Sundays")
    assert (one_side.support_count, one_side.stage, one_side.status) == (5, 0, "open")
