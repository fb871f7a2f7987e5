"""The SQLite writers' queue: taken by every write transaction, let go however it ends, shared
between processes through a lock file, and never waited on forever."""

from __future__ import annotations

import fcntl
import os
import threading
from typing import Any

import pytest
from django.db import connection, transaction

from peerwork.core.sqlite import base
from peerwork.spaces.models import Space

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the queue is for SQLite's single writer"
)


def _queue() -> base.WriteQueue:
    return base.WriteQueue.for_database(os.path.abspath(connection.settings_dict["NAME"]))


def _free_for_another_thread() -> bool:
    got: list[bool] = []
    thread = threading.Thread(target=lambda: got.append(_queue().acquire(timeout=0.2)))
    thread.start()
    thread.join()
    if got[0]:
        _queue().release()
    return got[0]


@pytest.mark.django_db(transaction=True)
def test_a_write_transaction_holds_the_queue_until_it_commits(make_user: Any) -> None:
    owner = make_user("owner")
    with transaction.atomic():
        Space.objects.create(slug="a", name="A", created_by=owner)
        assert not _free_for_another_thread()
    assert _free_for_another_thread()


@pytest.mark.django_db(transaction=True)
def test_the_queue_is_let_go_when_the_transaction_fails(make_user: Any) -> None:
    owner = make_user("owner")
    with pytest.raises(RuntimeError), transaction.atomic():
        Space.objects.create(slug="a", name="A", created_by=owner)
        raise RuntimeError("the action failed")
    assert _free_for_another_thread()
    assert not Space.objects.filter(slug="a").exists()


@pytest.mark.django_db(transaction=True)
def test_another_process_holding_the_lock_file_makes_writers_wait(
    make_user: Any, monkeypatch: Any
) -> None:
    owner = make_user("owner")
    monkeypatch.setattr(base, "QUEUE_TIMEOUT", 0.3)
    other = os.open(_queue().path, os.O_RDWR | os.O_CREAT)  # another open file: another process
    fcntl.flock(other, fcntl.LOCK_EX)
    released = threading.Timer(0.1, lambda: fcntl.flock(other, fcntl.LOCK_UN))
    released.start()
    try:
        with transaction.atomic():  # waits for the other process, then goes in
            Space.objects.create(slug="a", name="A", created_by=owner)
        assert connection._queue_held is False
    finally:
        released.join()
    # A holder that never lets go delays writers by the timeout, then SQLite's busy handler
    # takes over: the save still happens.
    fcntl.flock(other, fcntl.LOCK_EX)
    try:
        with transaction.atomic():
            Space.objects.create(slug="b", name="B", created_by=owner)
            assert connection._queue_held is False
    finally:
        fcntl.flock(other, fcntl.LOCK_UN)
        os.close(other)
    assert set(Space.objects.values_list("slug", flat=True)) == {"a", "b"}
    assert _free_for_another_thread()
