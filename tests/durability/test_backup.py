"""`peerwork backup` while the site writes, and `peerwork restore` into a fresh database
(issue 19, item 6): the restored copy holds exactly the backup's moment, on both databases."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dj_database_url
import pytest
from django.db import connection

from peerwork.core import backup as backups

REPO = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
PEERWORK = [PYTHON, "-m", "peerwork.cli"]

WRITER = """
import sys
import django
django.setup()
from peerwork.accounts.actions import user_signup
from peerwork.spaces.actions import space_create
from peerwork.wiki.actions import page_save

ada = user_signup(username="ada", password="backup writer password")
space = space_create(user=ada, slug="notes", name="Notes")
print("ready", flush=True)
n = 0
while True:
    n += 1
    result = page_save(user=ada, space=space, title=f"Page {n}", text=f"Text {n}.",
                       base_revision_id=None)
    print(result.page.current_revision_id, flush=True)
"""


class Site:
    """A data dir, and a database in it (SQLite) or named by a URL (PostgreSQL)."""

    def __init__(self, data_dir: Path, url: str | None = None) -> None:
        data_dir.mkdir(parents=True, exist_ok=True)
        self.env = {**os.environ, "PEERWORK_DATA_DIR": str(data_dir)}
        self.env.pop("DATABASE_URL", None)
        if url:
            self.env["DATABASE_URL"] = url
            self.config = dj_database_url.parse(url)
        else:
            self.config = {"ENGINE": "sqlite", "NAME": str(data_dir / "peerwork.sqlite3")}

    def peerwork(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*PEERWORK, *args],
            env=self.env,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )

    def checksums(self, tables: Any = None) -> dict[str, dict]:
        raw = backups.connect_raw(self.config)
        try:
            return backups.checksums(raw, tables)
        finally:
            raw.close()


class Writer:
    """A process saving a new page after another through the wiki's action, as fast as it can,
    printing each revision id once committed."""

    def __init__(self, site: Site) -> None:
        env = {**site.env, "DJANGO_SETTINGS_MODULE": "peerwork.settings"}
        self.process = subprocess.Popen(
            [PYTHON, "-c", WRITER],
            env=env,
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.committed: list[int] = []
        self.ready = threading.Event()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if line.strip() == "ready":
                self.ready.set()
            else:
                self.committed.append(int(line))

    def wait_for(self, count: int) -> None:
        deadline = time.monotonic() + 120
        while len(self.committed) < count:
            if self.process.poll() is not None or time.monotonic() > deadline:
                assert self.process.stderr is not None
                raise RuntimeError(f"the writer stopped: {self.process.stderr.read()[-2000:]}")
            time.sleep(0.02)

    def stop(self) -> list[int]:
        self.process.kill()
        self.process.wait(timeout=30)
        self.reader.join(timeout=30)
        return list(self.committed)


def _backup_while_writing_restores_that_moment(source: Site, target: Site, file: Path) -> None:
    migrated = source.peerwork("migrate")
    assert migrated.returncode == 0, migrated.stderr
    writer = Writer(source)
    try:
        writer.wait_for(20)
        before = len(writer.committed)
        made = source.peerwork("backup", str(file))
        after = len(writer.committed)
        writer.wait_for(after + 5)  # still writing after the backup: it did not stop the site
    finally:
        committed = writer.stop()
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith("Backed up ")

    restored = target.peerwork("restore", str(file))
    assert restored.returncode == 0, restored.stderr
    assert "every table matches it" in restored.stdout

    with tarfile.open(file) as archive:
        manifest = backups.read_manifest(archive, file)
    # Counts and checksums of every table equal those of the backup's moment ...
    assert target.checksums() == manifest["tables"]
    verified = target.peerwork("verify-log")
    assert verified.returncode == 0, verified.stdout + verified.stderr

    # ... and that moment is one moment: the pages saved until then, no fewer, no later ones.
    raw = backups.connect_raw(target.config)
    try:
        kept = [row[0] for row in raw.execute("SELECT id FROM wiki_revision ORDER BY id")]
    finally:
        raw.close()
    saved = [pk for pk in kept if pk in set(committed)]
    assert before <= len(saved) <= after + 1
    assert saved == committed[: len(saved)]
    assert len(committed) > len(saved)

    # The activity log of the copy is the first part of the live site's log, row for row.
    events = next(table for table in backups.site_tables() if table.name == "activity_event")
    copy_rows, copy_sum = manifest["tables"]["activity_event"].values()
    raw = backups.connect_raw(target.config)
    try:
        last = raw.execute("SELECT max(id) FROM activity_event").fetchone()[0]
    finally:
        raw.close()
    live = backups.connect_raw(source.config)
    try:
        assert backups.table_checksum(live, events, upto_pk=last) == (copy_rows, copy_sum)
        assert backups.table_checksum(live, events)[0] > copy_rows
    finally:
        live.close()

    # A second restore over the restored site is refused, and changes nothing.
    again = target.peerwork("restore", str(file))
    assert again.returncode == 1
    assert again.stderr.count("\n") == 1
    assert "already holds a site" in again.stderr and "--force" in again.stderr
    assert target.checksums() == manifest["tables"]
    forced = target.peerwork("restore", str(file), "--force")
    assert forced.returncode == 0, forced.stderr
    assert target.checksums() == manifest["tables"]


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the suite's PostgreSQL run tests PostgreSQL's copy"
)
def test_sqlite_backup_while_writing_restores_that_moment(tmp_path: Path) -> None:
    _backup_while_writing_restores_that_moment(
        Site(tmp_path / "live"), Site(tmp_path / "restored"), tmp_path / "site.backup"
    )


@pytest.fixture
def postgres_databases() -> Iterator[tuple[str, str]]:
    import psycopg

    base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    names = [f"peerwork_backup_{os.getpid()}_{which}" for which in ("live", "restored")]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{base}/{names[0]}", f"{base}/{names[1]}"
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            for name in names:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs DATABASE_URL to name a PostgreSQL server (its own run of the suite)",
)
def test_postgresql_backup_while_writing_restores_that_moment(
    tmp_path: Path, postgres_databases: tuple[str, str]
) -> None:
    live, restored = postgres_databases
    _backup_while_writing_restores_that_moment(
        Site(tmp_path / "live", live), Site(tmp_path / "restored", restored), tmp_path / "b"
    )


def test_a_backup_of_one_database_is_refused_by_the_other(tmp_path: Path) -> None:
    site = Site(tmp_path / "site")
    file = tmp_path / "pg.backup"
    with tarfile.open(file, "w") as archive:
        manifest = {"format": "peerwork-backup", "version": 1, "vendor": "postgresql"}
        data = json.dumps({**manifest, "created_at": "", "tables": {}}).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    refused = site.peerwork("restore", str(file))
    assert refused.returncode == 1
    assert refused.stderr == (
        f"peerwork: restore: {file} is a backup of a PostgreSQL site and this site uses SQLite; "
        "restore it where DATABASE_URL names PostgreSQL\n"
    )
    assert not Path(site.config["NAME"]).exists()


def test_a_file_that_is_no_backup_is_refused_in_one_line(tmp_path: Path) -> None:
    file = tmp_path / "notes.txt"
    file.write_text("not a backup")
    refused = Site(tmp_path / "site").peerwork("restore", str(file))
    assert refused.returncode == 1
    assert (
        refused.stderr == f"peerwork: restore: {file} is not a peerwork backup (not a tar file)\n"
    )


def test_without_pg_dump_the_backup_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(backups.shutil, "which", lambda name: None)
    config = {"ENGINE": "django.db.backends.postgresql", "NAME": "site"}
    with pytest.raises(backups.BackupError) as refused:
        backups.backup(tmp_path / "site.backup", config)
    assert str(refused.value).startswith("pg_dump is not installed; install PostgreSQL's client")
    assert not (tmp_path / "site.backup").exists()
