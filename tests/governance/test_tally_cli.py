"""`peerwork tally`: a good file prints its rounds and then its winners; a bad one, one line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from peerwork.cli import main

BALLOTS = """rank 1,rank 2,rank 3,count
Ada,Grace,,30
Grace,Ada,,25
Linus,Grace,Ada,20
Ostrom,Linus,,15
Ada=Grace,Linus,,2
,Linus,,1
"""


def _write(tmp_path: Path, text: str, name: str = "ballots.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_irv_prints_the_rounds_then_the_winner(tmp_path, capsys):
    assert main(["tally", "--ballots", _write(tmp_path, BALLOTS), "--method", "irv"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].startswith("irv: 1 seat, 6 ballot rows, 93.0000 votes")
    # The overvote is out at once, so 91 votes are active: more than half is 46.
    assert "Round 1 (threshold 46.0000)" in lines
    assert "  eliminated: Ostrom" in lines
    assert "  Ostrom transferred: Linus 15.0000" in lines
    # Linus then has 36, Grace is last, and her 25 go to Ada (55).
    assert "  eliminated: Grace" in lines
    assert lines[-2:] == ["Winners:", "Ada"]


def test_stv_with_a_config_and_json(tmp_path, capsys):
    config = _write(
        tmp_path,
        json.dumps({"options": ["Ada", "Grace", "Linus", "Ostrom"], "decimal_places": 2}),
        "rules.json",
    )
    args = ["tally", "--ballots", _write(tmp_path, BALLOTS), "--method", "stv"]
    assert main([*args, "--seats", "2", "--config", config, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["rules"]["decimal_places"] == 2
    assert report["rounds"][0]["threshold"] == "31.00"  # floor(91 / 3) + 1
    # Linus passes the quota with Ostrom's 15; Grace goes out and Ada takes her votes.
    assert report["winners"] == ["Linus", "Ada"]


def test_without_header_options_come_in_order_of_appearance(tmp_path, capsys):
    path = _write(tmp_path, "b,a\na,b\nc\n")
    assert main(["tally", "--ballots", path, "--method", "schulze", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["options"] == ["b", "a", "c"]
    assert report["ballots"] == 3


def test_tally_does_not_set_up_django(tmp_path):
    """It runs where there is no site: a settings module that cannot load is never read."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "no.such.settings"}
    done = subprocess.run(
        [sys.executable, "-m", "peerwork.cli", "tally", "--ballots", _write(tmp_path, BALLOTS)]
        + ["--method", "ranked-pairs"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-2] == "Winners:"


@pytest.mark.parametrize(
    ("content", "extra", "message"),
    [
        (None, [], "peerwork: tally: cannot read"),
        ("rank 1,count\nAda,two\n", [], "row 2: count 'two' is not a whole number"),
        ("rank 1,count\nAda,0\n", [], "row 2: count '0' is not a whole number"),
        ("", [], "has no ballots"),
        ("Ada,Grace\n", ["--seats", "3"], "3 seats but only 2 options"),
        ("Ada,Grace\n", ["--config", "{config}"], "unknown rule 'overvotes'"),
        ("Ada,Zed\n", ["--config", "{options}"], "row 1: 'Zed' is not one of the options"),
        ("Ada,Grace\n", ["--config", "{broken}"], "is not JSON"),
        ("Ada=Grace\n", ["--config", "{reject}"], "one rank holds 2 options"),
    ],
)
def test_malformed_input_exits_non_zero_with_one_line(tmp_path, capsys, content, extra, message):
    configs = {
        "{config}": _write(tmp_path, '{"overvotes": "reject"}', "bad.json"),
        "{options}": _write(tmp_path, '{"options": ["Ada", "Grace"]}', "options.json"),
        "{broken}": _write(tmp_path, "{", "broken.json"),
        "{reject}": _write(tmp_path, '{"overvote_rule": "reject"}', "reject.json"),
    }
    path = str(tmp_path / "missing.csv") if content is None else _write(tmp_path, content)
    extra = [configs.get(arg, arg) for arg in extra]
    with pytest.raises(SystemExit) as exit_info:
        main(["tally", "--ballots", path, "--method", "irv", *extra])
    assert exit_info.value.code != 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith("peerwork: ")
    assert message in err[0]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--method", "borda"], "invalid choice: 'borda'"),
        (["--method", "irv", "--seats", "two"], "invalid int value: 'two'"),
        ([], "--ballots needs --method"),
    ],
)
def test_wrong_arguments_exit_with_one_line(tmp_path, capsys, extra, message):
    with pytest.raises(SystemExit) as exit_info:
        main(["tally", "--ballots", _write(tmp_path, BALLOTS), *extra])
    assert exit_info.value.code in (1, 2)
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0]


def test_tally_has_help(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["tally", "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert "usage: peerwork tally" in out and "--ballots" in out and "ranked-pairs" in out
