"""Shared fixtures: people and spaces made through the same actions the product uses."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from peerwork.accounts import actions as accounts
from peerwork.accounts.models import User
from peerwork.core.jobs import wait_idle as _wait_for_jobs
from peerwork.spaces import actions as spaces
from peerwork.spaces.models import Space

PASSWORD = "correct horse battery staple"


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_teardown(item: pytest.Item) -> None:
    """Jobs a test's real commits started run on their own threads and connections; let them
    finish before the database is emptied, or PostgreSQL's TRUNCATE deadlocks with them.

    Only tests that really commit: inside a test's own transaction (which is rolled back), a
    job thread waits on SQLite's write lock until that transaction ends, so waiting for it
    here would only wait out SQLite's busy timeout. (The function bound at import: some tests
    replace `jobs.wait_idle` itself.)"""
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    if (
        "transactional_db" in fixtures
        or "live_server" in fixtures
        or (marker is not None and marker.kwargs.get("transaction"))
    ):
        _wait_for_jobs(timeout=60)


@pytest.fixture(autouse=True)
def _fast_hasher(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_rate_limits(settings: Any) -> None:
    """Tests save faster than any person; tests/abuse turns the limits on where they are the
    subject (its `rate_limits` fixture)."""
    settings.PEERWORK_RATE_LIMITS_ON = False


@pytest.fixture(autouse=True)
def _each_test_in_the_default_language() -> Iterator[None]:
    """A request in Spanish leaves Spanish active in its thread (LocaleMiddleware activates a
    language and never deactivates it), so each test starts and ends in the default one."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def make_user(db: Any) -> Any:
    def make(username: str, **extra: Any) -> User:
        return accounts.user_signup(username=username, password=PASSWORD, **extra)

    return make


@pytest.fixture
def make_space(db: Any) -> Any:
    def make(
        owner: User, slug: str, visibility: str = "public", participation: str = "anyone"
    ) -> Space:
        return spaces.space_create(
            user=owner,
            slug=slug,
            name=slug.replace("-", " ").title(),
            visibility=visibility,
            participation=participation,
        )

    return make


class ApiClient:
    """A thin JSON client for /api/v1 that signs in with a bearer token when given one."""

    def __init__(self, token: str | None = None) -> None:
        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}

    def call(self, method: str, path: str, body: Any = None, **extra: Any) -> Any:
        kwargs: dict[str, Any] = {**self.headers, **extra}
        if body is not None:
            kwargs["data"] = body if isinstance(body, (str, bytes)) else json.dumps(body)
            kwargs["content_type"] = "application/json"
        return getattr(self.client, method.lower())(f"/api/v1{path}", **kwargs)

    def get(self, path: str, **extra: Any) -> Any:
        return self.call("GET", path, **extra)

    def post(self, path: str, body: Any = None, **extra: Any) -> Any:
        return self.call("POST", path, body if body is not None else {}, **extra)

    def patch(self, path: str, body: Any = None, **extra: Any) -> Any:
        return self.call("PATCH", path, body if body is not None else {}, **extra)

    def put(self, path: str, body: Any = None, **extra: Any) -> Any:
        return self.call("PUT", path, body if body is not None else {}, **extra)

    def delete(self, path: str, **extra: Any) -> Any:
        return self.call("DELETE", path, **extra)


@pytest.fixture
def api_as(db: Any) -> Any:
    """api_as(user): an ApiClient with a fresh token of that user; api_as(None): anonymous."""

    def make(user: User | None, scope: str = "write") -> ApiClient:
        if user is None:
            return ApiClient()
        _token, raw = accounts.token_create(user=user, person=user, name="test", scope=scope)
        return ApiClient(raw)

    return make


def parallel_connections(wanted: int) -> int:
    """How many of `wanted` concurrent requests may hold a database connection at once.

    SQLite has no limit. PostgreSQL refuses connections beyond `max_connections`, shared with
    whatever else runs on the server; CI raises it to 200 so that all 100 run at once there."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return wanted
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_connections")
        limit = int(cursor.fetchone()[0])
        cursor.execute("SELECT count(*) FROM pg_stat_activity")
        used = int(cursor.fetchone()[0])
    return max(1, min(wanted, limit - used - 10))


def run_in_parallel(
    calls: list[Any], *, refused: tuple[type[BaseException], ...]
) -> tuple[list[Any], list[BaseException]]:
    """Run `calls` at once, each on its own connection, released together by a barrier.

    Returns (outcomes, errors): an outcome is a call's result or one of the `refused` errors
    it raised (an expected refusal); anything else raised is an error the test should fail on.
    """
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    results: list[Any] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    workers = parallel_connections(len(calls))
    start = threading.Barrier(workers)

    def one(index: int) -> None:
        try:
            if index < workers:
                start.wait()
            outcome = calls[index]()
        except refused as refusal:
            outcome = refusal
        except BaseException as error:  # noqa: BLE001
            with lock:
                errors.append(error)
            return
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(one, range(len(calls))))
    return results, errors


def scheduled_jobs(callbacks: list[Any], prefix: str = "") -> list[Any]:
    """The after-commit callbacks besides the page cache's purge, which follows every event
    (with `prefix`, only the jobs whose name starts with it, e.g. "webhooks.")."""
    found = [c for c in callbacks if not getattr(c, "page_cache_purge", False)]
    if prefix:
        found = [c for c in found if getattr(c, "job_name", "").startswith(prefix)]
    return found


@pytest.fixture(autouse=True)
def _fresh_page_cache() -> None:
    """Each test starts with no kept pages nor shared display names: the database is rolled
    back between tests, the shared caches are not."""
    from django.core.cache import cache

    from peerwork.accounts.names import SHARED_KEY
    from peerwork.core import pagecache

    pagecache.clear()
    cache.delete(SHARED_KEY)
