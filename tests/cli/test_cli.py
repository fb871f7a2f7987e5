"""The `peerwork` command: one line for a wrong argument, and the checks it promises."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from peerwork.accounts.models import User
from peerwork.activity.models import Event
from peerwork.cli import main
from peerwork.demo import load_demo


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "peerwork.cli", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=60,
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "peerwork: the following arguments are required: COMMAND (see 'peerwork --help')"),
        (["frobnicate"], "peerwork: argument COMMAND: invalid choice: 'frobnicate'"),
        (["serve", "--port", "abc"], "peerwork serve: argument --port: invalid int value: 'abc'"),
        (["serve", "--port", "70000"], "peerwork: --port must be a positive number below 65536"),
        (["verify-log", "--nope"], "peerwork: unrecognized arguments: --nope"),
    ],
)
def test_wrong_arguments_exit_non_zero_with_one_line(args, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith(message)


@pytest.mark.parametrize(
    "command", ["demo", "serve", "migrate", "createadmin", "verify-log", "check"]
)
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    assert f"usage: peerwork {command}" in capsys.readouterr().out


def test_production_requires_a_secret_key(tmp_path: Path):
    env = {
        "PEERWORK_ENV": "production",
        "PEERWORK_DATA_DIR": str(tmp_path),
        "PEERWORK_SECRET_KEY": "",
    }
    result = _run("check", env=env)
    assert result.returncode == 2
    assert result.stderr.strip().startswith(
        "peerwork: cannot start: PEERWORK_SECRET_KEY is required"
    )
    assert not (tmp_path / "secret_key").exists()


def test_production_deploy_check_is_clean(tmp_path: Path):
    env = {
        "PEERWORK_ENV": "production",
        "PEERWORK_DATA_DIR": str(tmp_path),
        "PEERWORK_SECRET_KEY": "k" * 20 + "-a-long-and-random-enough-secret-for-the-deploy-check",
        "PEERWORK_ALLOWED_HOSTS": "peerwork.example",
        "DATABASE_URL": "",
    }
    result = _run("check", "--deploy", env=env)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_embedded_secret_key_is_made_once_and_kept(tmp_path: Path):
    env = {"PEERWORK_DATA_DIR": str(tmp_path), "PEERWORK_SECRET_KEY": "", "DATABASE_URL": ""}
    assert _run("check", env=env).returncode == 0
    key = (tmp_path / "secret_key").read_text()
    assert len(key) >= 50
    assert oct((tmp_path / "secret_key").stat().st_mode & 0o777) == "0o600"
    assert _run("check", env=env).returncode == 0
    assert (tmp_path / "secret_key").read_text() == key


def test_sqlite_runs_in_wal_with_full_sync_and_foreign_keys(db):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite settings")
    with connection.cursor() as cursor:
        assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert cursor.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert cursor.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert cursor.execute("PRAGMA busy_timeout").fetchone()[0] == 30000


def test_demo_loads_once_and_its_log_verifies(db, capsys):
    assert load_demo() is True
    events = Event.objects.count()
    assert load_demo() is False
    assert Event.objects.count() == events
    # The four people a visitor signs in as, and the crowds that fill the opinion map
    # (residents, without a password) and Riverside's planner and two viewpoints.
    names = set(User.objects.values_list("username", flat=True))
    assert {"ada", "grace", "linus", "ostrom"} <= names
    crowd = {f"resident{n:02d}" for n in range(1, 37)} | {"planner"}
    crowd |= {f"{side}{n}" for side in ("cyclist", "driver") for n in range(1, 6)}
    assert names - {"ada", "grace", "linus", "ostrom"} <= crowd
    from peerwork.challenges.models import Challenge
    from peerwork.ideas.models import Idea

    # Every capability has something to show on a first visit.
    assert Idea.objects.filter(space__slug="open-atlas").count() >= 3
    assert Challenge.objects.filter(space__slug="open-atlas").count() >= 1
    assert main(["verify-log"]) == 0
    assert "intact" in capsys.readouterr().out


def test_createadmin(db, capsys):
    assert main(["createadmin", "root", "--password", "a long admin password"]) == 0
    admin = User.objects.get(username="root")
    assert admin.is_superuser and admin.check_password("a long admin password")
    with pytest.raises(SystemExit) as exit_info:
        main(["createadmin", "weak", "--password", "123"])
    assert exit_info.value.code == 2
    assert not User.objects.filter(username="weak").exists()
