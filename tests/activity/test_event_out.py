"""One serialization of an event serves the API and the open-data dump."""

from __future__ import annotations

import json
from typing import Any

from peerwork.activity.models import Event
from peerwork.activity.schemas import event_out
from peerwork.interop.dumps.jsonl import open_data


def test_the_dump_writes_what_the_api_shows_less_the_readers_summary_and_the_space(
    make_user: Any, make_space: Any, api_as: Any
) -> None:
    ada = make_user("ada")
    space = make_space(ada, "notes")
    api_events = {e["id"]: e for e in api_as(ada).get("/spaces/notes/activity").json()["items"]}
    dumped = [json.loads(line) for line in open_data(space)]
    dump_events = {e["id"]: e for e in dumped if e["type"] == "event"}
    assert dump_events and set(dump_events) <= set(api_events)
    for pk, line in dump_events.items():
        shown = api_events[pk]
        assert shown["space"] == "notes" and shown["summary"]
        expected = {k: v for k, v in shown.items() if k not in ("space", "summary")}
        del line["type"], line["licence"]
        assert json.loads(json.dumps(line)) == {**expected, "created_at": line["created_at"]}
        assert line["created_at"][:19] == shown["created_at"][:19]


def test_portable_events_do_not_read_the_space(
    make_user: Any, make_space: Any, django_assert_num_queries: Any
) -> None:
    make_space(make_user("ada"), "notes")
    event = Event.objects.select_related("actor").filter(space__slug="notes").first()
    assert event is not None
    with django_assert_num_queries(0):
        record = event_out(event, portable=True)
    assert "space" not in record and "summary" not in record
