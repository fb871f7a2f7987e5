"""The what-if: changing a weight moves the shares the expected way, and saves nothing."""

from __future__ import annotations

import pytest

from peerwork.core.errors import Invalid
from peerwork.credit import compute, selectors
from peerwork.ideas.actions import idea_create, idea_publish, idea_support

from .conftest import Commons, edit


def test_weighing_ideas_more_moves_credit_to_their_author(commons: Commons) -> None:
    """Ana writes pages, Ben proposes an idea that Ana supports. Raising the weight of ideas
    raises Ben's share and lowers Ana's; the stored policy is unchanged."""
    edit(commons.space, commons.ana, "Water points", "Wells. " * 100)
    idea = idea_create(user=commons.ben, space=commons.space, title="Rain barrels")
    idea = idea_publish(user=commons.ben, idea=idea)
    idea_support(user=commons.ana, idea=idea)
    policy_before = dict(commons.space.policy or {})

    result = selectors.what_if(commons.space, changes={"nodes.idea": 100})
    before, after = result.before, result.after
    ana, ben = commons.ana.pk, commons.ben.pk
    assert sum(before.values()) == sum(after.values()) == 10_000
    assert after[ben] > before[ben]
    assert after[ana] < before[ana]
    rows = {name: (b, a, d) for name, b, a, d in result.rows()}
    assert rows["ben"][2] == after[ben] - before[ben] > 0

    # Turning revisions off leaves Ana only her support of the idea.
    off = selectors.what_if(commons.space, changes={"nodes.revision": 0})
    assert off.after[ana] < off.before[ana]
    commons.space.refresh_from_db()
    assert (commons.space.policy or {}) == policy_before


def test_unknown_or_out_of_bounds_weights_are_refused(commons: Commons) -> None:
    for changes in ({"nodes.nothing": 1}, {"edges.authored": -1}, {"jump_percent": 5}):
        with pytest.raises(Invalid):
            selectors.what_if(commons.space, changes=changes)


def test_the_explanation_of_a_page_author(commons: Commons) -> None:
    revision = edit(commons.space, commons.ana, "Water points", "Wells. " * 100)
    result = selectors.credit_of(commons.space)
    parts = result.parts(commons.ana.pk)
    assert parts[0].node == f"revision:{revision.pk}"
    assert parts[0].relations == ["authored"]
    assert sum(part.basis_points for part in parts) == compute.BASIS
    assert result.share(commons.ana.pk) == 1.0
