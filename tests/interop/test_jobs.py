"""Background jobs: the in-process backend (after commit, never on rollback, threads, delays)
and the Celery backend with a real worker on the real Redis at 127.0.0.1:6379."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connections, transaction

from peerwork.core import jobs
from peerwork.interop.models import WebhookDelivery
from peerwork.interop.webhooks import actions as webhooks
from peerwork.spaces import actions as spaces

from .test_webhooks import start_receiver

REDIS_TEST_URL = "redis://127.0.0.1:6379/15"
ran: list[tuple[str, Any, str]] = []
ran_event = threading.Event()


@jobs.job("tests.mark")
def mark(*, value: Any) -> None:
    ran.append(("mark", value, threading.current_thread().name))
    ran_event.set()


@jobs.job("tests.fail")
def fail() -> None:
    raise RuntimeError("this job always fails")


@jobs.job("tests.close_db")
def close_db() -> None:
    connections.close_all()


@pytest.fixture(autouse=True)
def clean(settings: Any) -> Iterator[Any]:
    settings.PEERWORK_JOBS = "inprocess"
    settings.PEERWORK_JOBS_THREADS = 0
    ran.clear()
    ran_event.clear()
    yield settings
    jobs.reset()


def _wait_for(check: Any, timeout: float = 15) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return False


# ---- in-process ---------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_job_runs_after_the_commit_and_not_before():
    with transaction.atomic():
        jobs.enqueue("tests.mark", value=1)
        assert ran == []
    assert [(name, value) for name, value, _thread in ran] == [("mark", 1)]


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_job_never_runs():
    with pytest.raises(ValueError), transaction.atomic():
        jobs.enqueue("tests.mark", value=2)
        raise ValueError("roll back")
    with transaction.atomic():
        with pytest.raises(ValueError), transaction.atomic():  # a savepoint rolled back
            jobs.enqueue("tests.mark", value=3)
            raise ValueError("roll back the savepoint")
        jobs.enqueue("tests.mark", value=4)
    assert [value for _name, value, _thread in ran] == [4]


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_a_job_runs_at_once():
    jobs.enqueue("tests.mark", value=5)
    assert [value for _name, value, _thread in ran] == [5]


@pytest.mark.django_db(transaction=True)
def test_the_thread_pool_runs_jobs_off_the_request_thread(clean):
    clean.PEERWORK_JOBS_THREADS = 2
    jobs.enqueue("tests.mark", value=6)
    assert ran_event.wait(5)
    assert ran[0][1] == 6
    assert ran[0][2].startswith("peerwork-job")


@pytest.mark.django_db(transaction=True)
def test_a_countdown_delays_the_job():
    started = time.monotonic()
    jobs.enqueue("tests.mark", value=7, countdown=0.3)
    assert ran == []
    assert ran_event.wait(5)
    assert time.monotonic() - started >= 0.3
    assert ran[0][2] == "peerwork-job-scheduler"


@pytest.mark.django_db(transaction=True)
def test_a_failing_job_is_logged_not_raised(caplog):
    jobs.enqueue("tests.fail")
    assert "job tests.fail({}) failed" in caplog.text


def test_unknown_jobs_are_refused():
    with pytest.raises(KeyError):
        jobs.enqueue("tests.nobody")


def test_periodic_jobs_are_registered():
    assert jobs.registered()["webhooks.deliver_due"].every == 60


# ---- Celery with a real worker on Redis ---------------------------------------------------


def _redis_reachable() -> str:
    try:
        import redis

        redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=1).ping()
    except Exception as error:  # any failure means: no Redis here
        return f"Redis at {REDIS_TEST_URL} is unreachable ({error}); start redis-server"
    return ""


#: one queue per test run, so runs on one machine (SQLite, PostgreSQL) never share jobs.
QUEUE = f"peerwork-test-{uuid.uuid4().hex}"


@pytest.fixture(scope="module")
def running_worker() -> Iterator[Any]:
    """One real Celery worker (a thread of this process) for the module's Celery tests."""
    reason = _redis_reachable()
    if reason:
        pytest.skip(reason)
    from celery.contrib.testing.worker import start_worker

    from peerwork.celery import app, run_job

    app.conf.update(broker_url=REDIS_TEST_URL, task_default_queue=QUEUE, beat_schedule={})
    with start_worker(
        app, pool="solo", concurrency=1, perform_ping_check=False, loglevel="WARNING"
    ) as worker:
        yield worker
        # The worker thread's database connection, before the test database goes away.
        run_job.apply_async(args=["tests.close_db", {}])
        time.sleep(0.5)


@pytest.fixture
def celery_worker(running_worker: Any, clean: Any) -> Any:
    clean.PEERWORK_JOBS = "celery"
    return running_worker


@pytest.mark.django_db(transaction=True)
def test_celery_worker_runs_a_job(celery_worker):
    with transaction.atomic():
        jobs.enqueue("tests.mark", value="from redis")
        time.sleep(0.3)
        assert ran == []  # not sent before the commit
    assert ran_event.wait(15)
    assert ran[0][:2] == ("mark", "from redis")
    assert ran[0][2] != threading.current_thread().name


@pytest.mark.django_db(transaction=True)
def test_celery_countdown(celery_worker):
    started = time.monotonic()
    jobs.enqueue("tests.mark", value="later", countdown=1)
    assert ran_event.wait(15)
    assert time.monotonic() - started >= 0.9


@pytest.mark.django_db(transaction=True)
def test_celery_delivers_a_webhook_and_retries_it(celery_worker, make_user, make_space, clean):
    clean.PEERWORK_WEBHOOK_ALLOW_PRIVATE = True
    clean.PEERWORK_WEBHOOK_RETRY_DELAYS = [1, 1]
    receiver = start_receiver()
    receiver.statuses = [500]
    try:
        steward = make_user("stew")
        space = make_space(steward, "commons")
        webhooks.webhook_subscribe(
            user=steward, space=space, url=receiver.url(), verbs=["space:updated"]
        )
        spaces.space_update(user=steward, space=space, description="via celery")
        assert _wait_for(
            lambda: WebhookDelivery.objects.filter(
                event__verb="space:updated", status="succeeded"
            ).exists()
        )
        sent = WebhookDelivery.objects.get(event__verb="space:updated")
        assert (sent.attempts, sent.last_status_code) == (2, 200)
        assert [r.headers["Peerwork-Attempt"] for r in receiver.requests] == ["1", "2"]
    finally:
        receiver.server.shutdown()
        receiver.server.server_close()
