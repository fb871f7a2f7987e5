"""The gunicorn server of `peerwork serve`: what it refuses before Django runs is problem+json
too, and addresses up to its documented length reach peerwork."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from peerwork.server import LIMIT_REQUEST_LINE


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _raw_get(port: int, target: str) -> tuple[int, dict[str, str], bytes]:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        request = f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        sock.sendall(request.encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(lines[0].split()[1]), headers, body


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    data_dir: Path = tmp_path_factory.mktemp("served")
    env = {**os.environ, "PEERWORK_DATA_DIR": str(data_dir)}
    env.pop("DATABASE_URL", None)  # its own SQLite file; the test database is not served
    run = [sys.executable, "-m", "peerwork.cli"]
    subprocess.run([*run, "migrate"], env=env, check=True, capture_output=True, timeout=300)
    port = _free_port()
    process = subprocess.Popen(
        [*run, "serve", "--port", str(port), "--workers", "1", "--threads", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
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
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_an_overlong_address_is_a_problem_not_an_html_page(server: int) -> None:
    target = "/api/v1/search?q=" + "a" * (LIMIT_REQUEST_LINE + 100)
    status, headers, body = _raw_get(server, target)
    assert status == 414
    assert headers["content-type"] == "application/problem+json"
    problem = json.loads(body)
    assert problem["type"] == "/problems/uri-too-long"
    assert problem["status"] == 414
    assert "Shorten the query" in problem["detail"]


def test_a_malformed_request_line_is_a_problem(server: int) -> None:
    status, headers, body = _raw_get(server, "/api/v1/spaces HTTP/1.1 extra")
    assert status == 400
    assert headers["content-type"] == "application/problem+json"
    assert json.loads(body)["type"] == "/problems/malformed-request"


def test_a_long_query_below_the_limit_reaches_peerwork(server: int) -> None:
    # Longer than gunicorn's default 4,094 bytes: the search answers it itself.
    target = "/api/v1/search?q=" + "a" * 6000
    status, headers, body = _raw_get(server, target)
    assert status == 422
    assert headers["content-type"] == "application/problem+json"
    assert json.loads(body)["type"] == "/problems/validation"
