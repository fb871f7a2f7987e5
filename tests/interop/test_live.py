"""Live updates: the Server-Sent Events stream of a space's activity (GET /s/<slug>/live)."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from django.db import transaction

from peerwork.activity import recorder
from peerwork.activity.models import Event
from peerwork.spaces import actions as spaces
from peerwork.spaces.models import SpaceMembership


@pytest.fixture(autouse=True)
def short_streams(settings: Any) -> Any:
    settings.PEERWORK_LIVE_LIFETIME = 0.5
    settings.PEERWORK_LIVE_POLL = 0.05
    settings.PEERWORK_LIVE_HEARTBEAT = 0.2
    settings.PEERWORK_LIVE_MAX_STREAMS = 4
    return settings


@pytest.fixture
def world(make_user: Any, make_space: Any) -> Any:
    class World:
        steward = make_user("stew")
        member = make_user("mem")
        outsider = make_user("out")
        space = make_space(steward, "commons")
        closed = make_space(steward, "closed", visibility="members", participation="members")

    SpaceMembership.objects.create(space=World.space, user=World.member, role="member")
    SpaceMembership.objects.create(space=World.closed, user=World.member, role="member")
    return World


def _change(world: Any, text: str, space: Any = None) -> Event:
    space = space or world.space
    spaces.space_update(user=world.steward, space=space, description=text)
    return Event.objects.filter(space=space).latest("id")


def _read(response: Any) -> tuple[list[dict[str, str]], list[str]]:
    """(messages, comment lines) of a whole stream."""
    text = b"".join(response.streaming_content).decode()
    messages, comments = [], []
    for block in text.split("\n\n"):
        fields: dict[str, str] = {}
        for line in block.splitlines():
            if line.startswith(":"):
                comments.append(line)
            else:
                key, _sep, value = line.partition(": ")
                fields[key] = value
        if fields:
            messages.append(fields)
    return messages, comments


def test_the_stream_sends_new_events_with_their_ids(client, world):
    old = _change(world, "before")
    client.force_login(world.member)
    response = client.get("/s/commons/live")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/event-stream; charset=utf-8"
    assert response["Cache-Control"] == "no-cache"
    first, second = _change(world, "one"), _change(world, "two")
    _change(world, "elsewhere", space=world.closed)
    messages, comments = _read(response)
    assert messages[0] == {"retry": "2000"}
    events = [m for m in messages if "id" in m]
    assert [m["id"] for m in events] == [str(first.pk), str(second.pk)]
    assert all(m["event"] == "activity" for m in events)
    data = json.loads(events[1]["data"])
    assert (data["id"], data["verb"], data["space"]) == (second.pk, "space:updated", "commons")
    assert str(old.pk) not in [m.get("id") for m in messages]
    assert comments[-1] == ": bye"


def test_last_event_id_resumes_where_the_browser_left(client, world):
    first, second, third = (_change(world, str(n)) for n in range(3))
    response = client.get("/s/commons/live", HTTP_LAST_EVENT_ID=str(first.pk))
    ids = [m["id"] for m in _read(response)[0] if "id" in m]
    assert ids == [str(second.pk), str(third.pk)]
    response = client.get(f"/s/commons/live?last_event_id={second.pk}")
    assert [m["id"] for m in _read(response)[0] if "id" in m] == [str(third.pk)]
    response = client.get("/s/commons/live", HTTP_LAST_EVENT_ID="not a number")
    assert [m for m in _read(response)[0] if "id" in m] == []


def test_members_only_space_is_not_found_for_outsiders(client, world):
    assert client.get("/s/closed/live").status_code == 404
    client.force_login(world.outsider)
    assert client.get("/s/closed/live").status_code == 404
    assert client.get("/s/nowhere/live").status_code == 404
    client.force_login(world.member)
    hidden = _change(world, "x", space=world.closed)
    response = client.get("/s/closed/live", HTTP_LAST_EVENT_ID=str(hidden.pk - 1))
    assert response.status_code == 200
    assert [m["id"] for m in _read(response)[0] if "id" in m] == [str(hidden.pk)]


def test_private_events_reach_only_their_actor(client, world):
    start = _change(world, "start")
    with transaction.atomic():
        private = recorder.record(
            actor=world.member, verb="page:watched", target=world.space, space=world.space
        )
    client.force_login(world.outsider)
    response = client.get("/s/commons/live", HTTP_LAST_EVENT_ID=str(start.pk))
    assert [m for m in _read(response)[0] if "id" in m] == []
    client.force_login(world.member)
    response = client.get("/s/commons/live", HTTP_LAST_EVENT_ID=str(start.pk))
    assert [m["id"] for m in _read(response)[0] if "id" in m] == [str(private.pk)]


def test_heartbeats_and_a_bounded_lifetime(client, world, short_streams):
    short_streams.PEERWORK_LIVE_LIFETIME = 0.7
    started = time.monotonic()
    messages, comments = _read(client.get("/s/commons/live"))
    elapsed = time.monotonic() - started
    assert 0.6 <= elapsed < 3
    assert comments.count(": heartbeat") >= 2
    assert comments[-1] == ": bye"
    assert messages == [{"retry": "2000"}]


def test_too_many_streams_are_asked_to_come_back_later(client, world, short_streams):
    short_streams.PEERWORK_LIVE_MAX_STREAMS = 1
    holding = client.get("/s/commons/live")
    stream = iter(holding.streaming_content)
    assert next(stream) == b"retry: 2000\n\n"  # this one holds the only slot
    busy = b"".join(client.get("/s/commons/live").streaming_content)
    assert busy == b"retry: 15000\n\n"
    assert b"".join(stream).endswith(b": bye\n\n")  # the stream ends and frees its slot
    again = b"".join(client.get("/s/commons/live").streaming_content)
    assert again.startswith(b"retry: 2000\n\n")


def test_recent_changes_listens_to_the_stream(client, world):
    page = client.get("/s/commons/recent-changes")
    assert page.status_code == 200
    assert b'sse-connect="/s/commons/live"' in page.content
    assert b'hx-trigger="sse:activity"' in page.content
    assert b"hx-sse-2" in page.content
