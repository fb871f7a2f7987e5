"""A small world for reputation: a space with a wiki page, ideas, and a few people."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine

from peerwork.reputation.models import Entry, Standing
from peerwork.spaces import actions as spaces

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SMALL_IDEAS = {
    "support_milestones": [{"supporters": 2, "days": 30}, {"supporters": 50, "days": 60}]
}


@pytest.fixture
def people(make_user, make_space) -> dict[str, Any]:
    with time_machine.travel(START, tick=False):
        stew = make_user("stew")
        found = {name: make_user(name) for name in ("ada", "bea", "cy", "dee")}
        space = make_space(stew, "lab")
        spaces.space_policy_update(user=stew, space=space, document={"ideas": SMALL_IDEAS})
    space.refresh_from_db()
    return {"stew": stew, "space": space, **found}


def snapshot(space: Any) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Every entry and standing of the space, without their row ids (what rebuild must keep)."""
    entries = sorted(
        Entry.objects.filter(space=space).values_list(
            "person_id",
            "rule",
            "event_id",
            "base",
            "amount",
            "is_exempt",
            "is_pending",
            "due_at",
            "day",
            "reversed_reason",
            "reversed_by_id",
        )
    )
    standings = sorted(
        Standing.objects.filter(space=space).values_list(
            "person_id", "total", "level", "last_earned_on"
        )
    )
    return entries, standings


def totals(space: Any) -> dict[str, int]:
    return {
        username: total
        for username, total in Standing.objects.filter(space=space).values_list(
            "person__username", "total"
        )
    }
