"""The demo seed makes ideas in several statuses through the actions."""

from __future__ import annotations

from peerwork.ideas.demo import seed
from peerwork.ideas.models import Idea, RevenueShare
from peerwork.spaces import actions as spaces


def test_seed_makes_ideas_in_several_statuses(make_user, make_space):
    people = {name: make_user(name) for name in ("ada", "grace", "linus", "ostrom")}
    space = make_space(people["ostrom"], "demo")
    nine = {"privileges": {"autoconfirmed_days": 9}}
    spaces.space_policy_update(user=people["ostrom"], space=space, document=nine)
    space.refresh_from_db()
    seed(space=space, people=people)
    statuses = dict(Idea.objects.values_list("title", "status"))
    assert statuses == {
        "Translate the handbook into Spanish": "accepted",
        "A monthly repair café": "open",
        "Repair cafe every month": "merged",
        "Paint the bike shed gold": "rejected",
        "Beehives on the roof": "draft",
    }
    space.refresh_from_db()
    assert space.policy["privileges"]["autoconfirmed_days"] == 9  # the rest of the policy is kept
    assert sorted(RevenueShare.objects.values_list("basis_points", flat=True)) == [33, 67]
    assert Idea.objects.get(title="A monthly repair café").support_count == 1
