"""`peerwork reputation rebuild|detect`: the same numbers as the hook, one line when wrong."""

from __future__ import annotations

import pytest
import time_machine

from peerwork.cli import main
from peerwork.ideas import actions as ideas

from .conftest import START, snapshot, totals


def test_rebuild_reports_and_keeps_the_numbers(people, capsys):
    space, ada, bea = people["space"], people["ada"], people["bea"]
    with time_machine.travel(START, tick=False):
        idea = ideas.idea_publish(
            user=ada, idea=ideas.idea_create(user=ada, space=space, title="A")
        )
        ideas.idea_support(user=bea, idea=idea)
    before = snapshot(space)
    assert main(["reputation", "rebuild", "--space", "lab"]) == 0
    assert capsys.readouterr().out.strip() == "lab: 1 events read, 1 entries, 1 people."
    assert snapshot(space) == before and totals(space) == {"ada": 1}
    assert main(["reputation", "detect", "--space", "lab"]) == 0
    assert capsys.readouterr().out.strip() == "lab: 0 entries reversed."


def test_an_unknown_space_exits_non_zero_with_one_line(people, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["reputation", "rebuild", "--space", "nope"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["peerwork: there is no space 'nope'; list them with the API at /api/v1/spaces"]
