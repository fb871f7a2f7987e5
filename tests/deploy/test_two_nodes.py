"""Two `peerwork serve` nodes, one PostgreSQL database, one Redis and one Celery worker, as in
docs/deploy.md: what is saved through node A is what node B serves at once, a live stream on
node B hears about it, and the job the save enqueues runs on the worker.

Runs only when DATABASE_URL names PostgreSQL and Redis answers at 127.0.0.1:6379 (it skips,
saying why, otherwise). It makes its own database and flushes its own Redis database number,
and stops every process it started (their whole process groups), whatever happens.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.interop.test_webhooks import start_receiver

#: Not 15 (the job and live tests' database): this test flushes its own.
REDIS_URL = "redis://127.0.0.1:6379/14"
SETUP = """
import django
django.setup()
from peerwork.accounts import actions as accounts
from peerwork.spaces import actions as spaces
steward = accounts.user_signup(username="ada", password="correct horse battery staple")
spaces.space_create(user=steward, slug="commons", name="Commons")
_token, raw = accounts.token_create(user=steward, person=steward, name="two nodes", scope="write")
print(raw)
"""


def _skip_reason() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return "needs PostgreSQL: set DATABASE_URL=postgres://... (two nodes share one database)"
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except Exception as error:  # any failure means: no Redis here
        return f"needs Redis at {REDIS_URL} ({error}); start redis-server"
    return ""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen[bytes], deadline: float) -> None:
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(
                    f"the node on port {port} exited ({process.returncode})"
                ) from None
            if time.monotonic() > deadline:
                raise RuntimeError(f"the node on port {port} did not start in time") from None
            time.sleep(0.2)


def _stop_all(processes: list[subprocess.Popen[bytes]]) -> None:
    """End each process and its whole group (gunicorn's and Celery's workers too): all told at
    once to quit without waiting for open requests (SIGQUIT, to gunicorn and Celery alike),
    then whatever is left after a few seconds is killed."""
    for process in processes:
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGQUIT)
    deadline = time.monotonic() + 5
    for process in processes:
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
    for process in processes:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # the group's stragglers, if any
        process.wait(timeout=10)


@dataclass
class Site:
    node_a: int
    node_b: int
    token: str
    logs: Path
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def request(
        self, port: int, method: str, path: str, body: Any = None, *, token: bool = False
    ) -> tuple[int, bytes]:
        headers = {"Host": "127.0.0.1"}
        if token:
            headers["Authorization"] = f"Bearer {self.token}"
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            connection.request(method, path, body=data, headers=headers)
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    reason = _skip_reason()
    if reason:
        pytest.skip(reason)
    import psycopg
    import redis

    base = urlsplit(os.environ["DATABASE_URL"])
    name = f"peerwork_two_nodes_{os.getpid()}"
    admin_url = urlunsplit(base._replace(path="/postgres"))
    database_url = urlunsplit(base._replace(path=f"/{name}"))
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    redis.Redis.from_url(REDIS_URL).flushdb()

    root = tmp_path_factory.mktemp("two-nodes")
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "PEERWORK_JOBS": "celery",
        # Every node signs sessions and tokens with the same key.
        "PEERWORK_SECRET_KEY": secrets.token_urlsafe(48),
        "PEERWORK_DATA_DIR": str(root / "shared"),
        "PEERWORK_WEBHOOK_ALLOW_PRIVATE": "true",
        "PEERWORK_LOG_LEVEL": "WARNING",
        # Within the test's 10 s a stream learns of a save only from Redis: its own reads of
        # the log come a minute apart, and so do its keep-alive comments (each one a read too).
        "PEERWORK_LIVE_SAFETY_POLL": "60",
        "PEERWORK_LIVE_HEARTBEAT": "60",
        "PEERWORK_LIVE_LIFETIME": "60",
    }
    run = [sys.executable, "-m", "peerwork.cli"]
    processes: list[subprocess.Popen[bytes]] = []
    logs = root / "logs"
    logs.mkdir()

    def start(label: str, command: list[str], **extra: str) -> subprocess.Popen[bytes]:
        log = open(logs / f"{label}.log", "wb")  # noqa: SIM115  (closed with the process)
        process = subprocess.Popen(
            command,
            env={**env, **extra},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, ended as one
        )
        log.close()
        processes.append(process)
        return process

    try:
        # The nodes and the worker start (and collect their static files) while the one
        # migration runs: none of them reads the database before a request or a job comes.
        node_a, node_b = _free_port(), _free_port()
        nodes = {}
        for label, port in (("node-a", node_a), ("node-b", node_b)):
            command = [*run, "serve", "--port", str(port), "--workers", "1", "--threads", "4"]
            # Each node collects its static files into its own directory.
            nodes[port] = start(label, command, PEERWORK_DATA_DIR=str(root / label))
        start(
            "worker",
            [sys.executable, "-m", "celery", "-A", "peerwork", "worker", "--pool", "solo",
             "--concurrency", "1", "--loglevel", "WARNING"],
        )  # fmt: skip
        subprocess.run([*run, "migrate"], env=env, check=True, capture_output=True, timeout=120)
        setup = [sys.executable, "-c", SETUP]
        made = subprocess.run(setup, env=env, check=True, capture_output=True, timeout=60)
        token = made.stdout.decode().strip()
        deadline = time.monotonic() + 45
        for port, process in nodes.items():
            _wait_for_port(port, process, deadline)
        yield Site(node_a, node_b, token, logs, processes)
    finally:
        _stop_all(processes)
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        redis.Redis.from_url(REDIS_URL).flushdb()


def _logs(site: Site) -> str:
    return "\n".join(f"--- {p.name}\n{p.read_text()[-3000:]}" for p in site.logs.iterdir())


class Stream:
    """An anonymous EventSource on a node, read line by line in a thread."""

    def __init__(self, port: int, path: str) -> None:
        self.lines: list[str] = []
        self.opened = threading.Event()
        self.received = threading.Event()
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.connection.request("GET", path, headers={"Accept": "text/event-stream"})
        self.response = self.connection.getresponse()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        try:
            for raw in self.response:
                line = raw.decode().rstrip("\n")
                self.lines.append(line)
                if line.startswith("retry:"):
                    self.opened.set()  # sent once the node has subscribed
                if line.startswith("data: "):
                    self.received.set()
                    return
        except OSError:
            pass

    def close(self) -> None:
        self.connection.close()


def _save(site: Site, text: str, base: int | None) -> int:
    """Save the page Home through node A; its new revision's id."""
    status, body = site.request(
        site.node_a,
        "PUT",
        "/api/v1/spaces/commons/pages/Home",
        {"text": text, "base_revision": base},
        token=True,
    )
    assert status in (200, 201), body
    return int(json.loads(body)["page"]["revision"]["id"])


def _read_on_node_b(site: Site, text: str, revision: int) -> None:
    """Node B serves this text, anonymously, in the API and in the page."""
    status, body = site.request(site.node_b, "GET", "/api/v1/spaces/commons/pages/Home")
    assert status == 200, body
    page = json.loads(body)
    assert (page["revision"]["text"], page["revision"]["id"]) == (text, revision)
    status, body = site.request(site.node_b, "GET", "/s/commons/wiki/Home")
    assert status == 200
    assert text.encode() in body


def test_a_save_on_one_node_is_seen_on_the_other(site: Site) -> None:
    receiver = start_receiver()
    stream = None
    try:
        # Node B has served the page to anonymous readers (a page cache would hold it now).
        first = f"First written on node A, {secrets.token_hex(4)}."
        first_revision = _save(site, first, None)
        _read_on_node_b(site, first, first_revision)
        status, body = site.request(
            site.node_a,
            "POST",
            "/api/v1/spaces/commons/webhooks",
            {"url": receiver.url(), "verbs": ["page:edited"]},
            token=True,
        )
        assert status == 201, body
        stream = Stream(site.node_b, "/s/commons/live")
        assert stream.response.status == 200
        assert stream.opened.wait(10), stream.lines

        # An edit through node A is what node B serves right after.
        second = f"Then edited on node A, {secrets.token_hex(4)}."
        saved_at = time.monotonic()
        revision = _save(site, second, first_revision)
        _read_on_node_b(site, second, revision)

        # The stream opened on node B hears of the save made on node A.
        assert stream.received.wait(10), stream.lines
        heard_after = time.monotonic() - saved_at
        data = json.loads(next(line for line in stream.lines if line.startswith("data: "))[6:])
        assert (data["verb"], data["space"]) == ("page:edited", "commons")
        assert heard_after < 10

        # The save enqueued the webhook fan-out; the Celery worker ran it and the delivery.
        deadline = time.monotonic() + 20
        while not receiver.requests and time.monotonic() < deadline:
            time.sleep(0.1)
        assert receiver.requests, _logs(site)
        delivered = json.loads(receiver.requests[0].body)
        assert (delivered["type"], delivered["space"]) == ("page:edited", "commons")
        assert delivered["event"]["id"] == data["id"]
    finally:
        if stream is not None:
            stream.close()
        receiver.server.shutdown()
        receiver.server.server_close()
