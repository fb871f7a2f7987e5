"""An import whose jobs are still running says so, and Ctrl-C leaves them for later."""

from __future__ import annotations

from typing import Any

import pytest

from peerwork.cli import main
from peerwork.core import jobs
from tests.interop import test_dump_fidelity as fidelity


@pytest.fixture
def dump(tmp_path: Any, make_user: Any, make_space: Any) -> Any:
    make_space(make_user("steward"), "old")
    page = fidelity.PageSpec(
        "Long", 0, 9, [fidelity.Rev(1, "2022-01-01T00:00:00Z", "One.\n", "Ada", 7)]
    )
    path = tmp_path / "dump.xml"
    path.write_text(fidelity.dump_xml([page]), encoding="utf-8")
    return path


@pytest.mark.django_db
def test_an_import_says_it_is_attributing_while_jobs_run(
    dump: Any, monkeypatch: Any, capsys: Any
) -> None:
    answers = iter([False, False, True])
    monkeypatch.setattr(jobs, "wait_idle", lambda timeout: next(answers))
    assert main(["import-mediawiki", str(dump), "--space", "old"]) == 0
    err = capsys.readouterr().err
    assert "attributing the imported pages' authorship" in err
    assert "peerwork authorship rebuild --space old" in err


@pytest.mark.django_db
def test_an_import_with_no_jobs_left_says_nothing_more(
    dump: Any, monkeypatch: Any, capsys: Any
) -> None:
    monkeypatch.setattr(jobs, "wait_idle", lambda timeout: True)
    assert main(["import-mediawiki", str(dump), "--space", "old"]) == 0
    assert "authorship" not in capsys.readouterr().err


@pytest.mark.django_db
def test_ctrl_c_while_attributing_leaves_it_for_later(
    dump: Any, monkeypatch: Any, capsys: Any
) -> None:
    def interrupted(timeout: float) -> bool:
        if timeout == 1 and not getattr(interrupted, "asked", False):
            interrupted.asked = True  # type: ignore[attr-defined]
            return False
        raise KeyboardInterrupt

    exits: list[int] = []
    monkeypatch.setattr(jobs, "wait_idle", interrupted)
    monkeypatch.setattr("peerwork.cli.os._exit", lambda code: exits.append(code))
    main(["import-mediawiki", str(dump), "--space", "old"])
    assert exits == [0]
    assert "authorship of the rest is left for later" in capsys.readouterr().err
