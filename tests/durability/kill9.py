"""Kill a real `peerwork serve` with SIGKILL while it takes writes, and check none it
acknowledged is lost (issue 19, item 5).

The same code runs the suite's short test (tests/durability/test_kill9.py) and the full
hundred rounds (bench/kill9.py). Each round restarts the server on the same database, then
checks that every write answered 2xx so far is in the database, that `peerwork verify-log`
exits 0 and, on SQLite, that `PRAGMA integrity_check` says ok; then runs a seeded workload
through the REST API and kills the server's whole process group at a seeded moment.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
PEERWORK = [PYTHON, "-m", "peerwork.cli"]

#: Clients sending writes at once; the server runs 2 workers of 2 threads.
CLIENTS = 4
USERS = 12
SPACES = 12
IDEAS = 12
#: Twelve new accounts writing as fast as they can are what the rate limits refuse (8 edits a
#: minute for a newcomer); this measures durability, so the limits are off, as for a load test.
LIMITS = {"PEERWORK_RATE_LIMITS": "off"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# ---- the database the served site writes to ---------------------------------------------


@dataclass
class Database:
    """A fresh SQLite data dir or a fresh PostgreSQL database, and how to read it directly."""

    vendor: str
    env: dict[str, str]
    sqlite_path: Path | None = None
    postgres_url: str | None = None
    admin_url: str | None = None
    name: str = ""

    @classmethod
    def sqlite(cls, data_dir: Path) -> Database:
        env = {**os.environ, **LIMITS, "PEERWORK_DATA_DIR": str(data_dir)}
        env.pop("DATABASE_URL", None)
        return cls("sqlite", env, sqlite_path=data_dir / "peerwork.sqlite3")

    @classmethod
    def postgres(cls, server_url: str, data_dir: Path) -> Database:
        """A new database named for this process on the server of `server_url`."""
        import psycopg

        base = server_url.rsplit("/", 1)[0]
        name = f"peerwork_kill9_{os.getpid()}"
        admin = f"{base}/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        url = f"{base}/{name}"
        env = {**os.environ, **LIMITS, "PEERWORK_DATA_DIR": str(data_dir), "DATABASE_URL": url}
        return cls("postgresql", env, postgres_url=url, admin_url=admin, name=name)

    def connect(self) -> Any:
        if self.vendor == "sqlite":
            return sqlite3.connect(self.sqlite_path)
        import psycopg

        return psycopg.connect(self.postgres_url, autocommit=True)

    def drop(self) -> None:
        if self.vendor == "postgresql":
            import psycopg

            with psycopg.connect(self.admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def integrity(self) -> str:
        """SQLite's own check of its file ('ok'); PostgreSQL answers for its own pages."""
        if self.vendor != "sqlite":
            return "ok"
        conn = sqlite3.connect(self.sqlite_path)
        try:
            # CHECK constraints call REGEXP, which Django registers on its own connections.
            conn.create_function("REGEXP", 2, _regexp, deterministic=True)
            return "; ".join(row[0] for row in conn.execute("PRAGMA integrity_check"))
        finally:
            conn.close()


def _regexp(pattern: str | None, value: str | None) -> bool | None:
    if pattern is None or value is None:
        return None
    return re.search(pattern, str(value)) is not None


SEED = """
import json, sys
import django
django.setup()
from peerwork.accounts.actions import token_create, user_signup
from peerwork.ideas.actions import idea_create, idea_publish
from peerwork.spaces.actions import space_create
from peerwork.spaces.models import Space
from peerwork.wiki.actions import page_save

users, spaces, ideas = (int(n) for n in sys.argv[1:4])
steward = user_signup(username="steward", password="kill9 steward password")
tokens = {}
people = {}
for n in range(users):
    person = user_signup(username=f"writer{n}", password="kill9 writer password")
    people[person.username] = person.pk
    token = token_create(user=person, person=person, name="kill9", scope="write")
    tokens[person.username] = token[1]
slugs = {}
for n in range(spaces):
    space = space_create(user=steward, slug=f"space{n}", name=f"Space {n}")
    slugs[space.slug] = space.pk
home = Space.objects.get(slug="space0")
page_save(user=steward, space=home, title="Kill9", text="Comments go here.", base_revision_id=None)
idea_ids = []
for n in range(ideas):
    idea = idea_create(user=steward, space=home, title=f"Idea {n}", description="Support it.")
    idea_publish(user=steward, idea=idea)
    idea_ids.append(idea.pk)
print(json.dumps({"tokens": tokens, "users": people, "spaces": slugs, "ideas": idea_ids}))
"""


def prepare(database: Database) -> dict[str, Any]:
    """Migrate once and make the writers, their tokens, spaces, a page and ideas."""
    env = {**database.env, "DJANGO_SETTINGS_MODULE": "peerwork.settings"}
    for command in (
        [*PEERWORK, "migrate"],
        [PYTHON, "-c", SEED, str(USERS), str(SPACES), str(IDEAS)],
    ):
        result = subprocess.run(
            command, env=env, cwd=REPO, capture_output=True, text=True, timeout=600, check=False
        )
        if result.returncode != 0:
            raise RuntimeError(f"{command[-4:]} failed: {result.stderr.strip()[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


# ---- the server -------------------------------------------------------------------------


class Server:
    """`peerwork serve` in its own process group, so one SIGKILL takes master and workers."""

    def __init__(self, database: Database, port: int, log: Path) -> None:
        self.database = database
        self.port = port
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 60) -> None:
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [*PEERWORK, "serve", "--port", str(self.port), "--workers", "2", "--threads", "2"],
                env=self.database.env,
                cwd=REPO,
                stdout=log,
                stderr=log,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(self.url("/spaces"), timeout=5) as response:
                    if response.status == 200:
                        return
            except (OSError, urllib.error.URLError):
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"peerwork serve did not start; see {self.log}")
            time.sleep(0.05)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/api/v1{path}"

    def kill(self) -> None:
        """SIGKILL the whole group: no worker gets to finish or clean up."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=30)
        self.process = None


# ---- the workload and what it was promised ----------------------------------------------


@dataclass
class Promises:
    """Every write the server acknowledged with a 2xx, by kind."""

    revisions: dict[int, str] = field(default_factory=dict)  # revision id -> marker in text
    comments: dict[int, str] = field(default_factory=dict)  # comment id -> its text
    supports: set[tuple[int, int]] = field(default_factory=set)  # (idea id, user id)
    joins: set[tuple[int, int]] = field(default_factory=set)  # (space id, user id)
    #: What went wrong in a client other than the server dying (a wrong workload).
    errors: list[str] = field(default_factory=list)
    #: Writes in flight when a kill cut them off: sent, never answered.
    cut: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self) -> int:
        return len(self.revisions) + len(self.comments) + len(self.supports) + len(self.joins)


def _call(url: str, method: str, token: str, body: Any | None) -> tuple[int, Any]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)  # noqa: S310
    request.add_header("Authorization", f"Bearer {token}")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, None


def _client(
    server: Server,
    seed: dict[str, Any],
    promises: Promises,
    rng: random.Random,
    tag: str,
    stop: threading.Event,
) -> None:
    """Send writes until told to stop or the server dies; record each acknowledged one."""
    names = sorted(seed["tokens"])
    name = rng.choice(names)
    token, user_id = seed["tokens"][name], seed["users"][name]
    page, base, n = f"Kill9_{tag}", None, 0
    while not stop.is_set():
        n += 1
        marker = f"kill9 {tag} op {n}"
        kind = rng.choice(["edit", "edit", "comment", "support", "join"])
        try:
            if kind == "edit":
                status, body = _call(
                    server.url(f"/spaces/space0/pages/{page}"),
                    "PUT",
                    token,
                    {"text": f"Text of {marker}.", "base_revision": base, "summary": marker},
                )
                if 200 <= status < 300:
                    base = body["page"]["revision"]["id"]
                    with promises.lock:
                        promises.revisions[base] = marker
            elif kind == "comment":
                status, body = _call(
                    server.url("/spaces/space0/discussion/Kill9"), "POST", token, {"text": marker}
                )
                if 200 <= status < 300:
                    with promises.lock:
                        promises.comments[body["id"]] = marker
            elif kind == "support":
                idea = rng.choice(seed["ideas"])
                status, _ = _call(
                    server.url(f"/spaces/space0/ideas/{idea}/support"), "PUT", token, None
                )
                if 200 <= status < 300:
                    with promises.lock:
                        promises.supports.add((idea, user_id))
            else:
                with promises.lock:
                    open_spaces = [
                        slug
                        for slug, pk in sorted(seed["spaces"].items())
                        if (pk, user_id) not in promises.joins
                    ]
                if not open_spaces:
                    continue
                slug = rng.choice(open_spaces)
                status, _ = _call(server.url(f"/spaces/{slug}/join"), "POST", token, {})
                if 200 <= status < 300:
                    with promises.lock:
                        promises.joins.add((seed["spaces"][slug], user_id))
                elif status == 403:
                    continue  # a join the last kill cut off before its answer: already a member
            if status >= 300:
                with promises.lock:
                    promises.errors.append(f"{kind} answered {status}")
                return
        except (OSError, urllib.error.URLError, http.client.HTTPException, json.JSONDecodeError):
            with promises.lock:
                promises.cut += 1
            return  # the server died mid-request: that write was never acknowledged
        except Exception as error:  # noqa: BLE001  (reported, not lost in a thread)
            with promises.lock:
                promises.errors.append(f"{kind}: {error!r}")
            return


# ---- the check --------------------------------------------------------------------------


def missing(database: Database, promises: Promises) -> list[str]:
    """Every acknowledged write not found in the database, described."""
    lost: list[str] = []
    conn = database.connect()
    try:
        revisions = dict(
            conn.execute(
                "SELECT r.id, c.text FROM wiki_revision r"
                " JOIN wiki_content c ON c.id = r.content_id"
            ).fetchall()
        )
        comments = dict(conn.execute("SELECT id, text FROM discussions_comment").fetchall())
        supports = set(conn.execute("SELECT idea_id, user_id FROM ideas_support").fetchall())
        joins = set(conn.execute("SELECT space_id, user_id FROM spaces_spacemembership").fetchall())
    finally:
        conn.close()
    for pk, marker in promises.revisions.items():
        if marker not in revisions.get(pk, ""):
            lost.append(f"revision {pk} ({marker})")
    for pk, marker in promises.comments.items():
        if comments.get(pk) != marker:
            lost.append(f"comment {pk} ({marker})")
    lost += [f"support of idea {i} by user {u}" for i, u in promises.supports - supports]
    lost += [f"membership of user {u} in space {s}" for s, u in promises.joins - joins]
    return lost


def verify_log(database: Database) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*PEERWORK, "verify-log"],
        env=database.env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )


@dataclass
class Report:
    rounds: int = 0
    acknowledged: int = 0
    cut: int = 0
    problems: list[str] = field(default_factory=list)


def run(
    database: Database,
    *,
    rounds: int,
    seed: int,
    work_dir: Path,
    most_seconds: float = 1.5,
    progress: Any = None,
) -> Report:
    """Serve, write, SIGKILL at a seeded moment, restart and check, `rounds` times."""
    rng = random.Random(seed)
    setup = prepare(database)
    server = Server(database, free_port(), work_dir / "serve.log")
    promises = Promises()
    report = Report()
    try:
        for number in range(1, rounds + 1):
            server.start()
            problems = check(database, promises)
            if problems:
                report.problems += [f"round {number}: {problem}" for problem in problems]
                break
            stop = threading.Event()
            clients = [
                threading.Thread(
                    target=_client,
                    args=(
                        server,
                        setup,
                        promises,
                        random.Random(rng.random()),
                        f"r{number}c{c}",
                        stop,
                    ),
                )
                for c in range(CLIENTS)
            ]
            before = promises.count()
            for client in clients:
                client.start()
            # The seeded moment counts from the round's first acknowledged write, so every
            # kill lands on a server that is taking writes, however slowly this machine
            # serves its first requests after a start.
            waited = _first_write(promises, before, clients, FIRST_WRITE_TIMEOUT)
            if waited is None:
                stop.set()
                server.kill()
                report.problems.append(
                    f"round {number}: no write acknowledged within {FIRST_WRITE_TIMEOUT:.0f} s"
                    f" of the start ({promises.errors or 'no client error'})"
                )
                break
            time.sleep(rng.uniform(0.05, most_seconds))
            server.kill()
            stop.set()
            for client in clients:
                client.join(timeout=60)
            report.rounds = number
            if promises.errors:
                report.problems += [f"round {number}: {error}" for error in promises.errors]
                break
            report.acknowledged = promises.count()
            report.cut = promises.cut
            if progress:
                progress(number, report.acknowledged)
        else:
            server.start()  # the last kill, too, is followed by a restart and a check
            report.problems += [f"after the last round: {p}" for p in check(database, promises)]
    finally:
        server.kill()
    return report


#: How long a round waits for its first acknowledged write before calling the server stuck.
FIRST_WRITE_TIMEOUT = 120.0


def _first_write(
    promises: Promises, before: int, clients: list[threading.Thread], timeout: float
) -> float | None:
    """Seconds until the round's first write is acknowledged; None if none is in `timeout`."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        with promises.lock:
            if promises.count() > before:
                return time.monotonic() - start
        if not any(client.is_alive() for client in clients):
            return None
        time.sleep(0.01)
    return None


def check(database: Database, promises: Promises) -> list[str]:
    problems = [f"lost {what}" for what in missing(database, promises)]
    verified = verify_log(database)
    if verified.returncode != 0:
        problems.append(f"verify-log exited {verified.returncode}: {verified.stderr.strip()}")
    integrity = database.integrity()
    if integrity != "ok":
        problems.append(f"PRAGMA integrity_check: {integrity}")
    return problems
