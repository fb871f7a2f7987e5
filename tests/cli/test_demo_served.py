"""`peerwork demo`, the README's first command, as a new user meets it: the served demo takes a
sign-in.

gunicorn forks the workers from the process that loaded the demo, whose saves had started
jobs (indexing, authorship) on its own threads and SQLite connections. Workers forked that
way once failed every write with "database is locked" after the 30 s busy timeout, so no one
could sign in; `peerwork.server` now lets those jobs finish and closes every connection
before the fork. The fault depended on what ran at the moment of the fork, so this test
meets it only sometimes; it guards the whole first run, not that one moment."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.one_database  # the demo always runs on its own SQLite file


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_the_served_demo_takes_a_sign_in(tmp_path: Path) -> None:
    env = {**os.environ, "PEERWORK_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [sys.executable, "-m", "peerwork.cli", "demo", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 900  # loading the demo is slow on a busy machine
        while True:
            try:
                urllib.request.urlopen(base + "/", timeout=10).close()
                break
            except OSError:
                assert process.poll() is None, "peerwork demo exited"
                assert time.monotonic() < deadline, "peerwork demo did not start serving"
                time.sleep(1)
        jar = http.cookiejar.CookieJar()
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        form = browser.open(base + "/login/", timeout=60).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
        assert token is not None
        fields = {
            "csrfmiddlewaretoken": token.group(1),
            "username": "ada",
            "password": "peerwork-demo",
        }
        with browser.open(
            base + "/login/", data=urllib.parse.urlencode(fields).encode(), timeout=90
        ) as answer:
            assert answer.status == 200
            assert not answer.url.endswith("/login/")
        assert "sessionid" in {cookie.name for cookie in jar}
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)
