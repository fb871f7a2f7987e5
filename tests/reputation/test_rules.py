"""The rules read the log: edits that stay, reverts, patrols, supports, milestones, the cap."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.utils import timezone

from peerwork.ideas import actions as ideas
from peerwork.reputation.compute import next_level, rebuild, refresh_space
from peerwork.reputation.models import Entry
from peerwork.spaces import actions as spaces
from peerwork.wiki import actions as wiki

from .conftest import START, snapshot, totals


def _edit(user, space, text, title="Home"):
    page = wiki.Page.objects.filter(space=space, title=title).first()
    base = page.current_revision_id if page else None
    return wiki.page_save(user=user, space=space, title=title, text=text, base_revision_id=base)


def test_an_edit_counts_once_it_stays_and_an_undone_one_costs(people):
    space, ada, bea, stew = people["space"], people["ada"], people["bea"], people["stew"]
    with time_machine.travel(START, tick=False) as clock:
        _edit(ada, space, "one")
        bad = _edit(bea, space, "one\n\nspam")
        assert totals(space) == {"ada": 0, "bea": 0}  # pending: nothing yet
        clock.shift(timedelta(hours=1))
        wiki.revision_undo(user=ada, page=bad.page, revision_id=bad.revision.pk)
        assert totals(space) == {"ada": 0, "bea": -5}
        clock.shift(timedelta(days=3, hours=1))
        refresh_space(space, timezone.now())
    # Ada's two edits stayed (+2 each); Bea's was undone: voided and -5.
    assert totals(space) == {"ada": 4, "bea": -5}
    voided = Entry.objects.get(rule="edit_survived", person=bea)
    assert (voided.reversed_reason, voided.amount) == ("reverted", 0)
    assert stew.pk not in Entry.objects.values_list("person_id", flat=True)


def test_a_patrol_settles_the_edit_now_and_counts_as_a_review(people):
    space, ada, stew = people["space"], people["ada"], people["stew"]
    with time_machine.travel(START, tick=False):
        saved = _edit(ada, space, "hello")
        assert not saved.revision.is_reviewed
        wiki.revision_review(user=stew, revision=saved.revision)
    assert totals(space) == {"ada": 2, "stew": 1}


def test_a_rollback_takes_points_from_the_rolled_back_editor_once(people):
    space, ada, bea, stew = people["space"], people["ada"], people["bea"], people["stew"]
    with time_machine.travel(START, tick=False) as clock:
        _edit(ada, space, "good")
        _edit(bea, space, "bad 1")
        last = _edit(bea, space, "bad 2")
        clock.shift(timedelta(days=4))  # too late to void: Bea's edits had stayed by then
        wiki.page_rollback(user=stew, page=last.page)
        assert totals(space) == {"ada": 0, "bea": 4 - 5, "stew": 0}  # Ada's still waits
        refresh_space(space, timezone.now())
    assert totals(space) == {"ada": 2, "bea": 4 - 5, "stew": 0}
    assert Entry.objects.filter(rule="edit_reverted", person=bea).count() == 1


def test_supports_and_milestones_go_to_the_author_and_a_withdrawal_reverses(people):
    space, ada, bea, cy = people["space"], people["ada"], people["bea"], people["cy"]
    with time_machine.travel(START, tick=False):
        idea = ideas.idea_create(user=ada, space=space, title="Bike racks")
        idea = ideas.idea_publish(user=ada, idea=idea)
        ideas.idea_support(user=bea, idea=idea)
        ideas.idea_support(user=cy, idea=idea)  # the first milestone: 2 supporters
        assert totals(space) == {"ada": 1 + 1 + 10}
        ideas.idea_support_withdraw(user=cy, idea=idea)
    assert totals(space) == {"ada": 1 + 10}
    withdrawn = Entry.objects.get(rule="idea_supported", event__actor=cy)
    assert withdrawn.reversed_reason == "withdrawn"


def test_the_daily_cap_limits_gains_but_not_exempt_ones_and_rebuild_agrees(people):
    space, ada, stew = people["space"], people["ada"], people["stew"]
    spaces.space_policy_update(
        user=stew,
        space=space,
        document={**space.policy, "reputation": {"points": {"daily_cap": 3}}},
    )
    space.refresh_from_db()
    with time_machine.travel(START, tick=False):
        for n in range(3):
            saved = _edit(ada, space, f"text {n}", title=f"Page {n}")
            wiki.revision_review(user=stew, revision=saved.revision)
    # Three patrolled edits of 2 points on one day: capped at 3.
    assert totals(space)["ada"] == 3
    assert sorted(Entry.objects.filter(person=ada).values_list("amount", flat=True)) == [0, 1, 2]
    before = snapshot(space)
    rebuild(space)
    assert snapshot(space) == before


def test_trust_levels_promote_at_the_threshold_and_demote_below_ninety_percent():
    thresholds = (0, 10, 50, 200)
    assert next_level(0, 9, thresholds) == 0
    assert next_level(0, 10, thresholds) == 1
    assert next_level(0, 60, thresholds) == 2
    assert next_level(2, 46, thresholds) == 2  # above 45: kept
    assert next_level(2, 44, thresholds) == 1  # below 90%: dropped
    assert next_level(2, 0, thresholds) == 0


def test_levels_decay_after_inactivity_and_a_steward_grant_holds_them(people, api_as):
    from datetime import date

    from peerwork.reputation.models import Grant, Standing
    from peerwork.reputation.selectors import effective_level

    space, ada, stew = people["space"], people["ada"], people["stew"]
    standing = Standing.objects.create(
        space=space, person=ada, total=300, level=3, last_earned_on=date(2026, 1, 1)
    )
    standing = Standing.objects.select_related("space").get(pk=standing.pk)
    assert effective_level(standing, None, today=date(2026, 6, 29)) == 3  # 179 days
    assert effective_level(standing, None, today=date(2026, 6, 30)) == 2  # 180 days: one less
    assert effective_level(standing, None, today=date(2027, 12, 31)) == 0
    answer = api_as(stew).post(
        "/spaces/lab/people/ada/reputation/grants",
        {"privilege": "level", "allowed": True, "level": 2, "reason": "Long-time editor"},
    )
    assert answer.status_code == 200, answer.content
    grant = Grant.objects.get(person=ada, privilege="level")
    assert effective_level(standing, grant, today=date(2027, 12, 31)) == 2
    refused = api_as(stew).post(
        "/spaces/lab/people/ada/reputation/grants",
        {"privilege": "level", "allowed": True, "reason": "No level given"},
    )
    assert refused.status_code == 422
    assert Grant.objects.get(person=ada, privilege="level").level == 2
