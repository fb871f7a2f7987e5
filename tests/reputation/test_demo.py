"""The demo earns reputation, and rebuilding from its log reproduces every row and total."""

from __future__ import annotations

from peerwork.demo import load_demo
from peerwork.reputation.compute import rebuild
from peerwork.reputation.models import Grant
from peerwork.reputation.privileges import has_privilege
from peerwork.spaces.models import Space

from .conftest import snapshot, totals


def test_the_demo_has_reputation_and_rebuild_reproduces_it(db):
    assert load_demo()
    atlas = Space.objects.get(slug="open-atlas")
    earned = totals(atlas)
    assert earned["grace"] > 0 and earned["ada"] > 0 and earned["linus"] > 0
    linus = Grant.objects.get(space=atlas, privilege="rollback").person
    assert has_privilege(linus, atlas, "rollback")
    for space in Space.objects.all():
        before = snapshot(space)
        rebuild(space)
        assert snapshot(space) == before, space.slug
