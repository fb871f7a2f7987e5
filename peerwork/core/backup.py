"""Back up a running site's database to one file and restore it into a fresh one.

A backup is a tar file holding `manifest.json` and the database: `database.sqlite3`, a copy
made with SQLite's online backup API, or `database.pgdump`, a `pg_dump -Fc` archive. Writes
go on while it is taken; the copy is one consistent moment, and the manifest holds each
table's row count and checksum at that moment, computed from the same snapshot, so a restore
can prove it brought back exactly what was saved. Uploaded files live in the database
(BinaryField), so the database is the whole site (docs/durability.md).
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

FORMAT = "peerwork-backup"
VERSION = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
POSTGRES_MEMBER = "database.pgdump"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says what to do instead."""


# ---- what a site's tables hold ------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    name: str
    pk: str
    columns: tuple[str, ...]


def site_tables() -> list[Table]:
    """Every table peerwork's models own, and Django's migration record, by name."""
    from django.apps import apps

    tables = {
        "django_migrations": Table("django_migrations", "id", ("id", "app", "name", "applied"))
    }
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if not meta.managed or meta.proxy or meta.db_table in tables:
            continue
        columns = tuple(str(field.column) for field in meta.concrete_fields)
        tables[meta.db_table] = Table(meta.db_table, str(meta.pk.column), columns)
    return [tables[name] for name in sorted(tables)]


def _plain(value: Any) -> Any:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


def table_checksum(connection: Any, table: Table, upto_pk: Any = None) -> tuple[int, str]:
    """(rows, SHA-256 of the rows in primary key order), or of those up to `upto_pk`.

    `connection` is a plain DB-API connection (sqlite3 or psycopg) without Django's type
    conversions, so a backup file and a live database are read the same way.
    """
    columns = ", ".join(f'"{column}"' for column in table.columns)
    # Table and column names come from the models, never from input.
    sql = f'SELECT {columns} FROM "{table.name}"'  # noqa: S608  # nosec B608
    parameters: tuple[Any, ...] = ()
    if upto_pk is not None:
        marker = "?" if isinstance(connection, sqlite3.Connection) else "%s"
        sql += f' WHERE "{table.pk}" <= {marker}'
        parameters = (upto_pk,)
    sql += f' ORDER BY "{table.pk}"'
    cursor = connection.cursor()
    cursor.execute(sql, parameters)
    digest = hashlib.sha256()
    rows = 0
    while batch := cursor.fetchmany(2000):
        for row in batch:
            row = [int(value) if isinstance(value, bool) else value for value in row]
            digest.update(json.dumps(row, default=_plain, sort_keys=True).encode())
            digest.update(b"\n")
            rows += 1
    cursor.close()
    return rows, digest.hexdigest()


def checksums(connection: Any, tables: Iterable[Table] | None = None) -> dict[str, dict]:
    """Each table's {"rows": n, "sha256": ...}; equal maps mean equal contents."""
    return {
        table.name: dict(zip(("rows", "sha256"), table_checksum(connection, table), strict=True))
        for table in (site_tables() if tables is None else tables)
    }


def differences(expected: dict[str, dict], found: dict[str, dict]) -> list[str]:
    """The tables whose count or checksum differ, described for a person."""
    problems = []
    for name in sorted(set(expected) | set(found)):
        want, have = expected.get(name), found.get(name)
        if want is None or have is None:
            problems.append(f"table {name} is {'missing' if have is None else 'unexpected'}")
        elif want != have:
            problems.append(f"table {name} has {have['rows']} rows, expected {want['rows']}")
            if want["rows"] == have["rows"]:
                problems[-1] = f"table {name} differs from the backup (same row count)"
    return problems


# ---- where the database is ----------------------------------------------------------------


def database_settings() -> dict[str, Any]:
    from django.conf import settings

    return dict(settings.DATABASES["default"])


def vendor_of(config: dict[str, Any]) -> str:
    engine = config["ENGINE"]
    if "postgresql" in engine:
        return "postgresql"
    if "sqlite" in engine:
        return "sqlite"
    raise BackupError(f"backups cover SQLite and PostgreSQL, not {engine}")


def connect_raw(config: dict[str, Any]) -> Any:
    """A plain connection to the site's database (no Django conversions), UTC for times."""
    if vendor_of(config) == "sqlite":
        lite = sqlite3.connect(config["NAME"], timeout=30)
        lite.create_function("REGEXP", 2, _regexp, deterministic=True)
        return lite
    import psycopg

    try:
        connection = psycopg.connect(autocommit=True, **_libpq_params(config))
    except psycopg.Error as error:
        reason = (str(error).strip().splitlines() or ["no answer"])[-1].strip()
        raise BackupError(
            f"cannot reach the database {config.get('NAME')}: {reason} "
            "(is DATABASE_URL right and the server up?)"
        ) from None
    connection.execute("SET TIME ZONE 'UTC'")
    return connection


def _regexp(pattern: str | None, value: Any) -> bool | None:
    """SQLite's REGEXP, which CHECK constraints call; Django defines it on its own connections."""
    import re

    if pattern is None or value is None:
        return None
    return re.search(pattern, str(value)) is not None


def _libpq_params(config: dict[str, Any]) -> dict[str, Any]:
    params = {
        "dbname": config.get("NAME"),
        "user": config.get("USER"),
        "password": config.get("PASSWORD"),
        "host": config.get("HOST"),
        "port": str(config["PORT"]) if config.get("PORT") else None,
    }
    return {key: value for key, value in params.items() if value}


def _libpq_env(config: dict[str, Any]) -> dict[str, str]:
    """pg_dump and pg_restore read where to connect from PG* variables, password included."""
    names = {"dbname": "PGDATABASE", "user": "PGUSER", "password": "PGPASSWORD"}
    names |= {"host": "PGHOST", "port": "PGPORT"}
    env = dict(os.environ)
    for key, value in _libpq_params(config).items():
        env[names[key]] = value
    return env


def _program(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} is not installed; install PostgreSQL's client programs "
            "(Debian and Ubuntu: apt install postgresql-client) in the version of the server"
        )
    return path


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        raise BackupError(f"{Path(command[0]).name} failed: {lines[0] if lines else 'no message'}")


# ---- backup -------------------------------------------------------------------------------


@dataclass
class Summary:
    tables: int
    rows: int
    created_at: str


def backup(target: Path, config: dict[str, Any] | None = None) -> Summary:
    """Write a backup of the site's database to `target`, replacing it only once complete."""
    config = config or database_settings()
    vendor = vendor_of(config)
    target = Path(target)
    if target.is_dir():
        raise BackupError(f"{target} is a directory; name the backup file to write")
    if not target.parent.is_dir():
        raise BackupError(f"the directory {target.parent} does not exist; create it first")
    created_at = datetime.datetime.now(tz=datetime.UTC).isoformat(timespec="seconds")
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".peerwork-backup-") as work:
        work_dir = Path(work)
        if vendor == "sqlite":
            member, sums = _sqlite_copy(Path(config["NAME"]), work_dir)
        else:
            member, sums = _postgres_dump(config, work_dir)
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "vendor": vendor,
            "created_at": created_at,
            "tables": sums,
        }
        partial = work_dir / "backup.tar"
        with tarfile.open(partial, "w") as archive:
            data = json.dumps(manifest, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(datetime.datetime.now(tz=datetime.UTC).timestamp())
            archive.addfile(info, io.BytesIO(data))
            archive.add(member, arcname=member.name)
        with open(partial, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, target)
    _fsync_dir(target.parent)
    return Summary(len(sums), sum(entry["rows"] for entry in sums.values()), created_at)


def _sqlite_copy(source: Path, work_dir: Path) -> tuple[Path, dict[str, dict]]:
    if not source.exists():
        raise BackupError(f"there is no database at {source}; is PEERWORK_DATA_DIR right?")
    copy = work_dir / SQLITE_MEMBER
    live, out = sqlite3.connect(source, timeout=30), sqlite3.connect(copy)
    try:
        # One step (pages=-1) copies every page inside one read transaction: a single
        # consistent moment, while writers go on in WAL mode.
        live.backup(out, pages=-1)
    finally:
        out.close()
        live.close()
    connection = connect_raw({"ENGINE": "sqlite", "NAME": str(copy)})
    try:
        integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
        if integrity != "ok":
            raise BackupError(f"the copy failed SQLite's integrity check: {integrity}")
        sums = checksums(connection)
    finally:
        connection.close()
    return copy, sums


def _postgres_dump(config: dict[str, Any], work_dir: Path) -> tuple[Path, dict[str, dict]]:
    pg_dump = _program("pg_dump")
    dump = work_dir / POSTGRES_MEMBER
    connection = connect_raw(config)
    try:
        # pg_dump reads the snapshot this transaction exported, and the checksums are
        # computed in it too: the archive and the manifest describe the same moment.
        connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = connection.execute("SELECT pg_export_snapshot()").fetchone()[0]
        command = [pg_dump, "-Fc", "--no-owner", "--no-privileges", f"--snapshot={snapshot}"]
        _run([*command, "-f", str(dump)], _libpq_env(config))
        sums = checksums(connection)
        connection.execute("COMMIT")
    finally:
        connection.close()
    return dump, sums


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# ---- restore ------------------------------------------------------------------------------


def read_manifest(archive: tarfile.TarFile, source: Path) -> dict[str, Any]:
    try:
        member = archive.extractfile(MANIFEST)
        manifest = json.loads(member.read()) if member else None
    except (KeyError, ValueError):
        manifest = None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{source} is not a peerwork backup (no manifest.json)")
    if manifest.get("version") != VERSION:
        raise BackupError(
            f"{source} is a version {manifest.get('version')} backup; this peerwork reads "
            f"version {VERSION}"
        )
    return manifest


def restore(
    source: Path,
    *,
    force: bool = False,
    config: dict[str, Any] | None = None,
) -> Summary:
    """Restore `source` into the site's database, which must be empty unless `force`.

    Refuses before touching anything if the backup is of the other kind of database or the
    target holds a site; checks every table against the manifest once restored.
    """
    config = config or database_settings()
    vendor = vendor_of(config)
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"there is no backup file {source}")
    try:
        archive = tarfile.open(source, "r")
    except tarfile.TarError:
        raise BackupError(f"{source} is not a peerwork backup (not a tar file)") from None
    with archive:
        manifest = read_manifest(archive, source)
        if manifest["vendor"] != vendor:
            raise BackupError(
                f"{source} is a backup of a {_label(manifest['vendor'])} site and this site "
                f"uses {_label(vendor)}; restore it where DATABASE_URL "
                f"{'is unset' if manifest['vendor'] == 'sqlite' else 'names PostgreSQL'}"
            )
        if vendor == "sqlite":
            _sqlite_restore(archive, Path(config["NAME"]), manifest, force=force)
        else:
            _postgres_restore(archive, config, manifest, force=force)
    sums = manifest["tables"]
    return Summary(len(sums), sum(entry["rows"] for entry in sums.values()), manifest["created_at"])


def _label(vendor: str) -> str:
    return "SQLite" if vendor == "sqlite" else "PostgreSQL"


def _extract(archive: tarfile.TarFile, name: str, into: Path) -> Path:
    member = archive.getmember(name) if name in archive.getnames() else None
    handle = archive.extractfile(member) if member else None
    if handle is None:
        raise BackupError(f"the backup holds no {name}; it is incomplete")
    path = into / name
    with open(path, "wb") as out:
        shutil.copyfileobj(handle, out, 1 << 20)
        out.flush()
        os.fsync(out.fileno())
    return path


def _sqlite_tables(path: Path) -> int:
    if not path.exists() or path.stat().st_size == 0:
        return 0
    connection = sqlite3.connect(path, timeout=30)
    try:
        return connection.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
        ).fetchone()[0]
    finally:
        connection.close()


def _sqlite_restore(
    archive: tarfile.TarFile, target: Path, manifest: dict[str, Any], *, force: bool
) -> None:
    held = _sqlite_tables(target)
    if held and not force:
        raise BackupError(
            f"{target} already holds a site ({held} tables); restore into an empty "
            "PEERWORK_DATA_DIR, or pass --force to replace it (stop the server first)"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".peerwork-restore-") as work:
        copy = _extract(archive, SQLITE_MEMBER, Path(work))
        connection = connect_raw({"ENGINE": "sqlite", "NAME": str(copy)})
        try:
            integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
            problems = [] if integrity == "ok" else [f"integrity check: {integrity}"]
            problems += differences(manifest["tables"], checksums(connection))
        finally:
            connection.close()
        if problems:
            raise BackupError(f"the backup does not match its manifest: {problems[0]}")
        for suffix in ("-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        os.replace(copy, target)
    _fsync_dir(target.parent)


def _postgres_tables(connection: Any) -> int:
    return connection.execute(
        "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()"
    ).fetchone()[0]


def _postgres_restore(
    archive: tarfile.TarFile, config: dict[str, Any], manifest: dict[str, Any], *, force: bool
) -> None:
    pg_restore = _program("pg_restore")
    connection = connect_raw(config)
    try:
        held = _postgres_tables(connection)
        if held and not force:
            raise BackupError(
                f"the database {config.get('NAME')} already holds a site ({held} tables); "
                "restore into an empty database (createdb), or pass --force to replace it"
            )
        with tempfile.TemporaryDirectory(prefix="peerwork-restore-") as work:
            dump = _extract(archive, POSTGRES_MEMBER, Path(work))
            if held:
                connection.execute("DROP SCHEMA public CASCADE")
                connection.execute("CREATE SCHEMA public")
            command = [pg_restore, "--no-owner", "--no-privileges", "--exit-on-error"]
            command += ["--single-transaction", "-d", config["NAME"], str(dump)]
            _run(command, _libpq_env(config))
        problems = differences(manifest["tables"], checksums(connection))
        if problems:
            raise BackupError(f"the restored database does not match the backup: {problems[0]}")
    finally:
        connection.close()
