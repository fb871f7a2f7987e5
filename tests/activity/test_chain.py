"""The hash chain: every change recorded, any tampering named by verify-log."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from peerwork.activity.models import ChainHead, Event
from peerwork.activity.recorder import chain_key, event_hash
from peerwork.activity.verify import verify_all, verify_chain
from peerwork.cli import main
from peerwork.spaces import actions as spaces


def _space_with_history(make_user, make_space):
    ada = make_user("ada")
    space = make_space(ada, "atlas")
    for n in range(4):
        spaces.space_update(user=ada, space=space, description=f"version {n}")
    return ada, space


def _raw(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_each_action_appends_one_linked_event(make_user, make_space):
    ada, space = _space_with_history(make_user, make_space)
    events = list(Event.objects.filter(chain=chain_key(space)).order_by("seq"))
    assert [e.verb for e in events] == ["space:created"] + ["space:updated"] * 4
    assert [e.seq for e in events] == [1, 2, 3, 4, 5]
    assert events[0].prev_hash == "0" * 64
    for before, after in zip(events, events[1:], strict=False):
        assert after.prev_hash == before.hash
    assert all(event_hash(e) == e.hash for e in events)
    assert events[2].data == {"description": {"old": "version 0", "new": "version 1"}}
    assert events[0].actor == ada and events[0].space == space
    head = ChainHead.objects.get(key=chain_key(space))
    assert (head.length, head.last_hash) == (5, events[-1].hash)
    assert verify_chain(chain_key(space)).ok


def test_altered_row_is_named(make_user, make_space, capsys):
    _ada, space = _space_with_history(make_user, make_space)
    victim = Event.objects.get(chain=chain_key(space), seq=3)
    _raw("UPDATE activity_event SET target_repr = %s WHERE id = %s", ["forged", victim.pk])
    report = verify_chain(chain_key(space))
    assert not report.ok
    assert f"event #3 (id {victim.pk}, space:updated)" in report.problem
    assert "altered" in report.problem
    assert main(["verify-log", "--space", "atlas"]) == 1
    out, err = capsys.readouterr()
    assert f"event #3 (id {victim.pk}" in err
    assert f"space:{space.pk} (atlas): BROKEN after 2 good events" in out


def test_altered_data_is_detected(make_user, make_space):
    _ada, space = _space_with_history(make_user, make_space)
    victim = Event.objects.get(chain=chain_key(space), seq=2)
    _raw(
        "UPDATE activity_event SET data = %s WHERE id = %s",
        ['{"description": {"old": "", "new": "rewritten"}}', victim.pk],
    )
    assert "event #2" in verify_chain(chain_key(space)).problem


def test_deleted_row_is_named(make_user, make_space):
    _ada, space = _space_with_history(make_user, make_space)
    victim = Event.objects.get(chain=chain_key(space), seq=2)
    _raw("DELETE FROM activity_event WHERE id = %s", [victim.pk])
    report = verify_chain(chain_key(space))
    assert "event #2 of chain" in report.problem and "missing" in report.problem


def test_deleted_tail_is_detected(make_user, make_space):
    _ada, space = _space_with_history(make_user, make_space)
    last = Event.objects.get(chain=chain_key(space), seq=5)
    _raw("DELETE FROM activity_event WHERE id = %s", [last.pk])
    report = verify_chain(chain_key(space))
    assert "ends at event #4 but its head records #5" in report.problem


def test_reordered_rows_are_detected(make_user, make_space):
    _ada, space = _space_with_history(make_user, make_space)
    second = Event.objects.get(chain=chain_key(space), seq=2)
    third = Event.objects.get(chain=chain_key(space), seq=3)
    _raw("UPDATE activity_event SET seq = 1000 WHERE id = %s", [second.pk])
    _raw("UPDATE activity_event SET seq = 2 WHERE id = %s", [third.pk])
    _raw("UPDATE activity_event SET seq = 3 WHERE id = %s", [second.pk])
    report = verify_chain(chain_key(space))
    assert f"event #2 (id {third.pk}, space:updated)" in report.problem
    assert "reordered" in report.problem


def test_verify_log_passes_on_untouched_chains(make_user, make_space, capsys):
    _space_with_history(make_user, make_space)
    assert main(["verify-log"]) == 0
    out = capsys.readouterr().out
    assert "All 2 chains intact (6 events)." in out
    assert all(r.ok for r in verify_all())


def test_verify_log_unknown_space_is_one_line(db, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["verify-log", "--space", "nope"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["peerwork: there is no space 'nope'; list them with the API at /api/v1/spaces"]


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_unbroken_chain(make_user, make_space):
    ada = make_user("ada")
    space = make_space(ada, "busy")
    writers, edits_each = 6, 5
    errors: list[BaseException] = []
    start = threading.Barrier(writers)

    def write(n: int) -> None:
        try:
            start.wait()
            for i in range(edits_each):
                spaces.space_update(user=ada, space=space, description=f"writer {n} edit {i}")
        except BaseException as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    report = verify_chain(chain_key(space))
    assert report.ok, report.problem
    # Each update changed the description (every text is distinct), so each left one event.
    assert report.length == 1 + writers * edits_each


def test_verify_all_reads_every_chain_in_one_pass_and_agrees_with_each_walk(
    make_user, make_space, monkeypatch
):
    """verify_all groups one ordered read by chain; each report is the one-chain walk's."""
    from peerwork.activity import verify

    ada, space = _space_with_history(make_user, make_space)
    make_space(ada, "other")
    victim = Event.objects.get(chain=chain_key(space), seq=3)
    _raw("UPDATE activity_event SET target_repr = %s WHERE id = %s", ["forged", victim.pk])
    chains = sorted(set(Event.objects.values_list("chain", flat=True))) + ["space:999999"]
    expected = [verify_chain(chain) for chain in chains]
    assert verify_all(chains) == expected
    assert [r.ok for r in expected].count(False) == 1
    monkeypatch.setattr(verify, "NAMED_IN_SQL", 1)  # many chains: picked out while reading
    assert verify_all(chains) == expected
    assert verify_all() == [verify_chain(c) for c in sorted(set(chains[:-1]))]
