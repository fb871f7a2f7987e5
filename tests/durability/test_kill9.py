"""No acknowledged write is lost when the server is killed with SIGKILL (issue 19, item 5).

The suite runs PEERWORK_KILL9_ROUNDS rounds (default 6, to stay within CI's budget);
`python bench/kill9.py` runs the full hundred on a chosen database.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.db import connection

from tests.durability.kill9 import Database, run

ROUNDS = int(os.environ.get("PEERWORK_KILL9_ROUNDS", "6"))


def _assert_nothing_lost(database: Database, work_dir: Path) -> None:
    report = run(database, rounds=ROUNDS, seed=19, work_dir=work_dir)
    assert report.problems == []
    assert report.rounds == ROUNDS
    # Every round wrote before its kill: a run that acknowledged nothing would prove nothing.
    assert report.acknowledged >= ROUNDS


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the suite's PostgreSQL run tests PostgreSQL's copy"
)
def test_sqlite_keeps_every_acknowledged_write_through_kill9(tmp_path: Path) -> None:
    _assert_nothing_lost(Database.sqlite(tmp_path), tmp_path)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs DATABASE_URL to name a PostgreSQL server (its own run of the suite)",
)
def test_postgresql_keeps_every_acknowledged_write_through_kill9(tmp_path: Path) -> None:
    database = Database.postgres(os.environ["DATABASE_URL"], tmp_path)
    try:
        _assert_nothing_lost(database, tmp_path)
    finally:
        database.drop()
