"""Stored reputation is a cache: replaying the log from scratch gives exactly the same rows."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peerwork.core.errors import ActionError
from peerwork.ideas import actions as ideas
from peerwork.reputation.compute import rebuild, refresh_space
from peerwork.reputation.detection import detect_space
from peerwork.reputation.models import Entry
from peerwork.wiki import actions as wiki
from peerwork.wiki.models import Page

from .conftest import START, snapshot

PEOPLE = ("ada", "bea", "cy", "dee")
TITLES = ("Home", "Rules", "Tools")

who = st.sampled_from(PEOPLE)
operation = st.one_of(
    st.tuples(st.just("edit"), who, st.sampled_from(TITLES)),
    st.tuples(st.just("undo"), who, st.sampled_from(TITLES)),
    st.tuples(st.just("rollback"), st.sampled_from(TITLES)),
    st.tuples(st.just("patrol"), st.sampled_from(TITLES)),
    st.tuples(st.just("idea"), who, st.integers(0, 2)),
    st.tuples(st.just("support"), who, st.integers(0, 2)),
    st.tuples(st.just("withdraw"), who, st.integers(0, 2)),
    st.tuples(st.just("wait"), st.integers(1, 120)),
    st.tuples(st.just("detect")),
)


def _run(step: tuple, people: dict, made: dict, clock) -> None:
    space, stew = people["space"], people["stew"]
    kind = step[0]
    page = Page.objects.filter(space=space, title=step[-1]).first() if kind != "wait" else None
    if kind == "edit":
        base = page.current_revision_id if page else None
        made["n"] += 1
        wiki.page_save(
            user=people[step[1]],
            space=space,
            title=step[2],
            text=f"text {made['n']}",
            base_revision_id=base,
        )
    elif kind == "undo" and page is not None:
        wiki.revision_undo(user=people[step[1]], page=page, revision_id=page.current_revision_id)
    elif kind == "rollback" and page is not None:
        wiki.page_rollback(user=stew, page=page)
    elif kind == "patrol" and page is not None and not page.current_revision.is_reviewed:
        wiki.revision_review(user=stew, revision=page.current_revision)
    elif kind == "idea" and step[2] not in made["ideas"]:
        idea = ideas.idea_create(user=people[step[1]], space=space, title=f"Idea {step[2]}")
        made["ideas"][step[2]] = ideas.idea_publish(user=people[step[1]], idea=idea)
    elif kind == "support" and step[2] in made["ideas"]:
        ideas.idea_support(user=people[step[1]], idea=made["ideas"][step[2]])
    elif kind == "withdraw" and step[2] in made["ideas"]:
        ideas.idea_support_withdraw(user=people[step[1]], idea=made["ideas"][step[2]])
    elif kind == "wait":
        clock.shift(timedelta(hours=step[1]))
    elif kind == "detect":
        detect_space(space=space)


@pytest.mark.django_db(transaction=False)
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(operation, min_size=5, max_size=40))
def test_incremental_and_rebuild_agree_on_any_history(people, steps):
    space = people["space"]
    sid = transaction.savepoint()
    try:
        with time_machine.travel(START, tick=False) as clock:
            made: dict = {"n": 0, "ideas": {}}
            for step in steps:
                try:
                    with transaction.atomic():
                        _run(step, people, made, clock)
                except ActionError:
                    pass
            refresh_space(space, timezone.now())
            incremental = snapshot(space)
            rebuild(space)
            assert snapshot(space) == incremental
    finally:
        transaction.savepoint_rollback(sid)


def test_a_world_rebuilt_keeps_every_row_and_total(people):
    space, ada, bea, cy, stew = (people[k] for k in ("space", "ada", "bea", "cy", "stew"))
    with time_machine.travel(START, tick=False) as clock:
        first = wiki.page_save(user=ada, space=space, title="Home", text="a", base_revision_id=None)
        second = wiki.page_save(
            user=bea, space=space, title="Home", text="b", base_revision_id=first.revision.pk
        )
        wiki.revision_undo(user=cy, page=second.page, revision_id=second.revision.pk)
        wiki.revision_review(user=stew, revision=first.revision)
        idea = ideas.idea_publish(
            user=ada, idea=ideas.idea_create(user=ada, space=space, title="Racks")
        )
        for person in (bea, cy):
            ideas.idea_support(user=person, idea=idea)
        clock.shift(timedelta(days=5))
        refresh_space(space, timezone.now())
        before = snapshot(space)
        assert Entry.objects.filter(space=space).count() == 8
        counts = rebuild(space)
    assert snapshot(space) == before
    assert counts == {"events": 7, "entries": 8, "people": 4}
