"""Every stored result can be recounted from the space's open data dump alone, and a changed
ballot in the dump changes the recount."""

from __future__ import annotations

import json

import pytest

from peerwork.governance import actions
from peerwork.governance.recount import RecountError, read
from peerwork.interop.dumps.jsonl import open_data

from .conftest import close, propose

pytestmark = pytest.mark.django_db


def _dump(space) -> list[str]:
    return "".join(open_data(space)).splitlines()


def _closed_proposals(people):
    actions.delegation_set(user=people.ostrom, space=people.space, delegate=people.grace)
    made = []
    majority = propose(people, "majority")
    for user, choice in [(people.ada, "a"), (people.grace, "b"), (people.linus, "b")]:
        actions.ballot_cast(user=user, proposal=majority, ballot={"choice": choice})
    made.append(majority)
    ranked = propose(
        people, "stv", options=["Ana", "Bo", "Cy", "Di"], settings={"seats": 2}, secret=True
    )
    for user, ranking in [
        (people.ada, [["a"], ["b"]]),
        (people.grace, [["b"], ["c"]]),
        (people.linus, [["c"], ["a"]]),
        (people.steward, [["a"], ["d"]]),
    ]:
        actions.ballot_cast(user=user, proposal=ranked, ballot={"ranking": ranking})
    made.append(ranked)
    scored = propose(people, "score")
    for user, scores in [(people.ada, {"a": 5, "b": 1}), (people.grace, {"a": 2, "c": 4})]:
        actions.ballot_cast(user=user, proposal=scored, ballot={"scores": scores})
    made.append(scored)
    return [close(p) for p in made]


def test_every_stored_result_is_recounted_exactly_from_the_dump(people):
    proposals = _closed_proposals(people)
    lines = _dump(people.space)
    for proposal in proposals:
        recount = read(lines, proposal.pk)
        assert recount.matches, (proposal.method, recount.first_difference())
        assert recount.stored["winners"] == proposal.result.winners
    ballots = [json.loads(line) for line in lines if '"type": "ballot"' in line]
    grace = next(b for b in ballots if b["voter"] == "grace")
    assert grace["weight"] == 2 and grace["carries"] == ["ostrom"]


def test_a_changed_ballot_in_the_dump_changes_the_recount(people):
    majority = _closed_proposals(people)[0]
    lines = _dump(people.space)
    changed = []
    for line in lines:
        record = json.loads(line)
        if record.get("type") == "ballot" and record.get("voter") in {"grace", "linus"}:
            record["choice"] = {"choice": "a"}
            line = json.dumps(record)
        changed.append(line)
    recount = read(changed, majority.pk)
    assert not recount.matches and recount.first_difference() == "tally"
    assert recount.recounted["winners"] == ["a"] and recount.stored["winners"] == ["b"]


def test_a_secret_ballot_is_found_by_its_receipt_and_names_nobody(people):
    ranked = propose(people, "irv", options=["Ana", "Bo"], secret=True)
    mine = actions.ballot_cast(user=people.ada, proposal=ranked, ballot={"ranking": [["a"]]})
    lines = _dump(people.space)
    assert not any('"type": "ballot"' in line for line in lines)  # nothing before the close
    close(ranked)
    lines = _dump(people.space)
    ballots = [json.loads(line) for line in lines if '"type": "ballot"' in line]
    assert ballots and all(b["voter"] is None for b in ballots)
    assert "ada" not in json.dumps(ballots)
    recount = read(lines, ranked.pk)
    assert recount.matches and recount.receipt_counted(mine.receipt)
    assert not recount.receipt_counted("0000000000000000")


def test_a_dump_that_cannot_be_recounted_says_why(people):
    open_one = propose(people)
    lines = _dump(people.space)
    with pytest.raises(RecountError, match="no stored result"):
        read(lines, open_one.pk)
    with pytest.raises(RecountError, match="no proposal 999"):
        read(lines, 999)
    with pytest.raises(RecountError, match="line 2 is not JSON"):
        read([lines[0], "{oops"], open_one.pk)


def test_the_tally_command_recounts_a_dump_and_checks_a_receipt(people, tmp_path, capsys):
    from peerwork.cli import main

    ranked = propose(people, "irv", options=["Ana", "Bo"], secret=True)
    mine = actions.ballot_cast(user=people.ada, proposal=ranked, ballot={"ranking": [["b"]]})
    actions.ballot_cast(user=people.grace, proposal=ranked, ballot={"ranking": [["a"], ["b"]]})
    actions.ballot_cast(user=people.linus, proposal=ranked, ballot={"ranking": [["b"]]})
    close(ranked)
    dump = tmp_path / "town.jsonl"
    dump.write_text("".join(open_data(people.space)), encoding="utf-8")
    args = ["tally", "--from-dump", str(dump), "--proposal", str(ranked.pk)]
    assert main([*args, "--receipt", mine.receipt]) == 0
    out = capsys.readouterr().out
    assert json.loads(out[: out.rindex("}") + 1])["winners"] == ["b"]
    assert "matches the stored result" in out and "was counted" in out

    lines = dump.read_text(encoding="utf-8").splitlines()
    changed = [
        line.replace('"ranking": [["b"]]', '"ranking": [["a"]]')
        if '"type": "ballot"' in line
        else line
        for line in lines
    ]
    dump.write_text("\n".join(changed), encoding="utf-8")
    assert main(args) == 1
    assert "differs from the stored result" in capsys.readouterr().out

    with pytest.raises(SystemExit) as failed:
        main(["tally", "--from-dump", str(dump)])
    assert failed.value.code != 0
    assert "--proposal" in capsys.readouterr().err
