"""Apps plug into the log and the shell from their apps.py; neither imports them."""

from __future__ import annotations

from typing import Any

import pytest

from peerwork.activity import recorder
from peerwork.activity.models import Event
from peerwork.core import context_processors
from peerwork.interop.webhooks import delivery
from peerwork.spaces import actions as spaces


def test_interop_registers_the_webhook_fan_out_as_an_after_record_hook() -> None:
    assert delivery.schedule_fan_out in recorder._AFTER_RECORD


def test_after_record_hooks_see_each_event_inside_the_action(
    make_user: Any, make_space: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[Event] = []
    monkeypatch.setattr(recorder, "_AFTER_RECORD", [*recorder._AFTER_RECORD])
    recorder.after_record(seen.append)
    recorder.after_record(seen.append)  # registering twice runs it once

    ada = make_user("ada")
    space = make_space(ada, "atlas")
    spaces.space_update(user=ada, space=space, description="new")

    assert [event.verb for event in seen] == ["user:signed_up", "space:created", "space:updated"]
    assert seen[-1].pk == Event.objects.latest("id").pk


def test_header_counts_come_from_the_apps_that_register_them() -> None:
    assert list(context_processors._HEADER_COUNTS) == [
        "pending_invitation_count",
        "unread_notification_count",
    ]
    with pytest.raises(RuntimeError):
        context_processors.register_header_count("pending_invitation_count", lambda user: 0)
