"""Live streams woken through Redis pub/sub: a commit publishes the event id on its space's
channel, and an open stream reads the log at once, through the same selector as ever.

These tests use the real Redis at 127.0.0.1:6379 and skip, saying so, when it is not there."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connections, transaction
from django.test import Client

from peerwork.activity import recorder
from peerwork.activity.models import Event
from peerwork.interop import wakeups
from peerwork.spaces import actions as spaces
from peerwork.spaces.models import SpaceMembership

REDIS_TEST_URL = "redis://127.0.0.1:6379/15"


def _redis_or_skip() -> Any:
    import redis

    client = redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except Exception as error:  # any failure means: no Redis here
        pytest.skip(f"Redis at {REDIS_TEST_URL} is unreachable ({error}); start redis-server")
    return client


@pytest.fixture
def redis_client(settings: Any) -> Iterator[Any]:
    client = _redis_or_skip()
    settings.REDIS_URL = REDIS_TEST_URL
    settings.PEERWORK_JOBS = "inprocess"
    settings.PEERWORK_JOBS_THREADS = 0
    settings.PEERWORK_LIVE_MAX_STREAMS = 4
    yield client
    client.close()


@pytest.fixture
def world(make_user: Any, make_space: Any) -> Any:
    class World:
        steward = make_user("stew")
        member = make_user("mem")
        outsider = make_user("out")
        space = make_space(steward, "commons")

    SpaceMembership.objects.create(space=World.space, user=World.member, role="member")
    return World


def _change(world: Any, text: str) -> Event:
    spaces.space_update(user=world.steward, space=world.space, description=text)
    return Event.objects.filter(space=world.space).latest("id")


def _next_data(pubsub: Any) -> str:
    """The next published message (the subscription's own confirmation is not one)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        message = pubsub.get_message(timeout=1)
        if message is not None and message["type"] == "message":
            return message["data"].decode()
    raise AssertionError("no message within 10 s")


@pytest.mark.django_db(transaction=True)
def test_a_commit_publishes_the_event_id_and_a_rollback_publishes_nothing(redis_client, world):
    pubsub = redis_client.pubsub()
    pubsub.subscribe(wakeups.channel(world.space.pk))
    try:
        with pytest.raises(ValueError), transaction.atomic():
            spaces.space_update(user=world.steward, space=world.space, description="undone")
            raise ValueError("roll back")
        saved = _change(world, "kept")
        assert _next_data(pubsub) == str(saved.pk)
        assert pubsub.get_message(timeout=0.2) is None
    finally:
        pubsub.close()


@pytest.mark.django_db(transaction=True)
def test_a_stream_wakes_on_a_commit_and_still_shows_only_what_the_viewer_may_see(
    redis_client, world, settings
):
    # Polls an hour apart: only the wake-up can bring the event in time.
    settings.PEERWORK_LIVE_POLL = 3600
    settings.PEERWORK_LIVE_SAFETY_POLL = 3600
    settings.PEERWORK_LIVE_HEARTBEAT = 3600
    settings.PEERWORK_LIVE_LIFETIME = 60
    subscribed = threading.Event()
    chunks: list[str] = []

    def read() -> None:
        client = Client()
        client.force_login(world.outsider)
        response = client.get("/s/commons/live")
        try:
            for chunk in response.streaming_content:
                chunks.append(chunk.decode())
                subscribed.set()  # the first chunk comes after the subscription is confirmed
                if chunk.startswith(b"id: "):
                    break
        finally:
            response.close()
            connections.close_all()

    reader = threading.Thread(target=read)
    reader.start()
    assert subscribed.wait(10)
    with transaction.atomic():  # a private event wakes the stream, which shows it to no one else
        recorder.record(
            actor=world.member, verb="page:watched", target=world.space, space=world.space
        )
    public = _change(world, "for everyone")
    reader.join(timeout=15)
    assert not reader.is_alive(), "the stream was not woken"
    events = [chunk for chunk in chunks if chunk.startswith("id: ")]
    assert len(events) == 1
    assert events[0].startswith(f"id: {public.pk}\nevent: activity\n")


@pytest.mark.django_db(transaction=True)
def test_without_a_reachable_redis_saves_succeed_and_streams_poll(settings, world):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    settings.PEERWORK_JOBS = "inprocess"
    settings.PEERWORK_LIVE_POLL = 0.05
    settings.PEERWORK_LIVE_LIFETIME = 0.5
    first = _change(world, "saved although Redis is away")
    second = _change(world, "and again")
    client = Client()
    response = client.get("/s/commons/live", HTTP_LAST_EVENT_ID=str(first.pk))
    text = b"".join(response.streaming_content).decode()
    assert f"id: {second.pk}\n" in text
    assert text.endswith(": bye\n\n")
