"""An import killed with SIGKILL inside one page's long history keeps its committed batches,
and running the same command again resumes to the exact count (issue 16, item 6)."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

from django.db import connection

from tests.durability.kill9 import PEERWORK, PYTHON, REPO, Database
from tests.interop import test_dump_fidelity as fidelity

REVISIONS = 4000
SETUP = """
import django; django.setup()
from peerwork.accounts import actions as accounts
from peerwork.spaces import actions as spaces
steward = accounts.user_signup(username="steward", password="a long enough password 1")
spaces.space_create(user=steward, slug="old", name="Old", visibility="public",
                    participation="anyone")
"""


def _history() -> fidelity.PageSpec:
    return fidelity.PageSpec(
        "Long",
        0,
        9,
        [
            fidelity.Rev(
                1000 + n,
                f"2022-01-{1 + n // 3600 % 28:02d}T{n // 60 % 60 // 3:02d}:{n // 60 % 60:02d}:"
                f"{n % 60:02d}Z",
                f"Version {n} of a long history.\n\n" + "Some text that grows. " * (n % 7),
                "Ada" if n % 3 else "Grace",
                7 if n % 3 else 8,
                1000 + n - 1 if n else None,
                comment=f"edit {n}",
            )
            for n in range(REVISIONS)
        ],
    )


def _count(database: Database) -> int:
    conn = database.connect()
    try:
        row = conn.execute("SELECT COUNT(*) FROM wiki_revision").fetchone()
        return int(row[0])
    except Exception:  # noqa: BLE001 - the tables may not be readable yet
        return 0
    finally:
        conn.close()


def _database(tmp_path: Path) -> Database:
    if connection.vendor == "postgresql":
        return Database.postgres(os.environ["DATABASE_URL"], tmp_path)
    return Database.sqlite(tmp_path)


def test_an_import_killed_inside_one_page_resumes_to_the_exact_count(tmp_path: Path) -> None:
    database = _database(tmp_path)
    try:
        env = {**database.env, "DJANGO_SETTINGS_MODULE": "peerwork.settings"}
        subprocess.run([*PEERWORK, "migrate"], env=env, cwd=REPO, check=True, capture_output=True)  # noqa: S603
        subprocess.run([PYTHON, "-c", SETUP], env=env, cwd=REPO, check=True)  # noqa: S603
        dump = tmp_path / "long.xml"
        dump.write_text(fidelity.dump_xml([_history()]), encoding="utf-8")
        command = [*PEERWORK, "import-mediawiki", str(dump), "--space", "old"]
        importer = subprocess.Popen(  # noqa: S603
            command, env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        seen = 0
        deadline = time.monotonic() + 600  # a loaded machine imports slowly; the loop ends at 1000
        while time.monotonic() < deadline and importer.poll() is None:
            seen = _count(database)
            if seen >= 1000:
                break
            time.sleep(0.01)
        assert importer.poll() is None, "the import ended before it could be killed"
        importer.send_signal(signal.SIGKILL)
        importer.wait(10)
        kept = _count(database)
        # Whole batches survive, inside the one page; not everything was written.
        assert 1000 <= kept < REVISIONS
        again = subprocess.run(command, env=env, cwd=REPO, capture_output=True, text=True)  # noqa: S603
        assert again.returncode == 0, again.stderr
        assert (
            f"Imported {REVISIONS - kept} new revisions of {REVISIONS} in 1 pages" in again.stdout
        )
        conn = database.connect()
        try:
            ids = [row[0] for row in conn.execute("SELECT id FROM wiki_revision ORDER BY id")]
        finally:
            conn.close()
        assert ids == list(range(1000, 1000 + REVISIONS))
        verify = subprocess.run([*PEERWORK, "verify-log"], env=env, cwd=REPO, capture_output=True)  # noqa: S603
        assert verify.returncode == 0, verify.stdout + verify.stderr
        third = subprocess.run(command, env=env, cwd=REPO, capture_output=True, text=True)  # noqa: S603
        assert "Imported 0 new revisions" in third.stdout
    finally:
        database.drop()
