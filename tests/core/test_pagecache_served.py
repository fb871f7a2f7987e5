"""The page cache as it runs: `peerwork serve` with two worker processes sharing the cache on
disk. Every save is read back at once, anonymously, through whichever worker answers, and the
old text is never seen; HEAD goes through gunicorn with its headers and no body."""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROUNDS = int(os.environ.get("PEERWORK_STALENESS_ROUNDS", "1000"))

SEED = """
import django, json
django.setup()
from peerwork.accounts import actions as accounts
from peerwork.spaces import actions as spaces
ana = accounts.user_signup(username="ana", password="a-long-password-1")
spaces.space_create(user=ana, slug="garden", name="Garden", visibility="public",
                    participation="anyone")
_token, raw = accounts.token_create(user=ana, person=ana, name="t", scope="write")
print(json.dumps({"token": raw}))
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, str]]:
    data_dir: Path = tmp_path_factory.mktemp("cached")
    env = {**os.environ, "PEERWORK_DATA_DIR": str(data_dir)}
    env.pop("DATABASE_URL", None)  # its own SQLite file; the test database is not served
    env.pop("REDIS_URL", None)
    env["DJANGO_SETTINGS_MODULE"] = "peerwork.settings"
    run = [sys.executable, "-m", "peerwork.cli"]
    subprocess.run([*run, "migrate"], env=env, check=True, capture_output=True, timeout=300)
    seeded = subprocess.run(
        [sys.executable, "-c", SEED], env=env, check=True, capture_output=True, timeout=120
    )
    token = json.loads(seeded.stdout.decode().strip().splitlines()[-1])["token"]
    port = _free_port()
    process = subprocess.Popen(
        [*run, "serve", "--port", str(port), "--workers", "2", "--threads", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("peerwork serve did not start") from None
                time.sleep(0.2)
        yield port, token
    finally:
        process.terminate()
        process.wait(timeout=30)


def _request(
    conn: http.client.HTTPConnection, method: str, path: str, **kwargs: object
) -> tuple[int, dict[str, str], bytes]:
    try:
        conn.request(method, path, **kwargs)  # type: ignore[arg-type]
    except (BrokenPipeError, ConnectionResetError):
        # The server closed a kept-alive connection that sat idle past its keep-alive time
        # (a loaded machine): nothing was sent, so send it again on a new connection.
        conn.close()
        conn.request(method, path, **kwargs)  # type: ignore[arg-type]
    response = conn.getresponse()
    body = response.read()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, body


def test_every_save_is_seen_by_the_very_next_anonymous_read(served: tuple[int, str]) -> None:
    port, token = served
    writer = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    # Two readers: gunicorn hands their connections to either worker process.
    readers = [http.client.HTTPConnection("127.0.0.1", port, timeout=30) for _ in range(2)]
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    base = None
    hits = 0
    for round_ in range(ROUNDS):
        text = f"Round {round_} of the seed bank."
        body = json.dumps({"text": text, "base_revision": base})
        status, _h, answer = _request(
            writer, "PUT", "/api/v1/spaces/garden/pages/Seed_bank", body=body, headers=headers
        )
        assert status in (200, 201), answer[:300]
        base = json.loads(answer)["page"]["revision"]["id"]
        for reader in readers:
            status, got, page = _request(reader, "GET", "/s/garden/wiki/Seed_bank")
            assert status == 200
            assert text.encode() in page, f"round {round_}: an anonymous read showed old text"
            assert got["cache-control"].startswith("public")
            # The second reader's copy comes from the cache the first one filled.
            status, again_headers, again = _request(reader, "GET", "/s/garden/wiki/Seed_bank")
            hits += again == page and again_headers.get("etag") == got.get("etag")
    assert hits == ROUNDS * 2


def test_head_through_gunicorn_has_gets_headers_and_no_body(served: tuple[int, str]) -> None:
    port, _token = served
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    status, got, page = _request(conn, "GET", "/s/garden/recent-changes")
    assert status == 200
    conn.request("HEAD", "/s/garden/recent-changes")
    response = conn.getresponse()
    assert response.status == 200
    assert response.read() == b""
    assert int(response.getheader("Content-Length") or -1) == len(page)
    assert response.getheader("ETag") == got["etag"]
    assert "set-cookie" not in {k.lower() for k, _v in response.getheaders()}
