"""How an event's data reads: money, people, statuses, times, lists and hidden keys."""

from __future__ import annotations

import zoneinfo
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from peerwork.accounts.names import shared_display_names
from peerwork.activity.models import Event
from peerwork.activity.sentences import (
    Field,
    Names,
    format_value,
    join_words,
    sentences,
    target_kind,
)
from peerwork.ideas.models import Status

NO_NAMES = Names()


def _event(verb: str, data: dict[str, Any], **extra: Any) -> Event:
    values = {"target_type": "tasks.task", "target_id": "1", "target_repr": "Survey"}
    return Event(verb=verb, data=data, **{**values, **extra})


@pytest.mark.parametrize(("language", "expected"), [("en", "€1,500.50"), ("es", "1.500,50\xa0€")])
def test_money_is_shown_in_its_currency_in_the_readers_language(
    language: str, expected: str
) -> None:
    spec = Field("bounty", "money")
    with translation.override(language):
        assert format_value(spec, 150_050, {"currency": "EUR"}, NO_NAMES) == expected


def test_money_without_its_currency_is_not_shown_as_a_bare_number() -> None:
    assert format_value(Field("bounty", "money"), 12_000, {}, NO_NAMES) == ""


def test_statuses_read_as_their_labels_in_each_language() -> None:
    spec = Field("status", "status", choices=Status.choices)
    assert format_value(spec, "in_review", {}, NO_NAMES) == "in review"
    with translation.override("es"):
        assert format_value(spec, "in_review", {}, NO_NAMES) == "en revisión"
    assert format_value(spec, "some_new_code", {}, NO_NAMES) == "some new code"


def test_lists_are_joined_in_words() -> None:
    assert join_words(["a", "b", "c"]) == "a, b, and c"
    with translation.override("es"):
        assert join_words(["a", "b", "c"]) == "a, b y c"


def test_times_are_in_the_viewers_zone() -> None:
    spec = Field("closes", "time")
    with timezone.override(zoneinfo.ZoneInfo("America/New_York")):
        assert format_value(spec, "2027-01-04T15:00:00Z", {}, NO_NAMES) == (
            "Jan. 4, 2027, 10 a.m. (America/New_York)"
        )


@pytest.mark.django_db
def test_people_are_named_for_a_whole_page_in_one_query(make_user: Any) -> None:
    grace = make_user("grace", display_name="Grace Hopper")
    make_user("linus", display_name="Linus Torvalds")
    events = [
        _event("task:approved", {"bounty": {"grace": 12_000}, "currency": "EUR"}),
        _event("challenge:judges_named", {"judges": ["grace", "linus"]}),
        _event("task:claim_approved", {"claimant": str(grace.pk)}),
    ]
    shared_display_names()  # which display names two people share is read once, then cached
    with CaptureQueriesContext(connection) as queries:
        said = sentences(events)
    assert len(queries) == 1
    assert [line.text for line in said[0].lines] == ["Grace Hopper (€120.00)"]
    assert [line.text for line in said[1].lines] == ["Grace Hopper and Linus Torvalds"]
    assert [line.text for line in said[2].lines] == ["Grace Hopper"]


@pytest.mark.django_db
def test_events_that_name_nobody_ask_nothing() -> None:
    with CaptureQueriesContext(connection) as queries:
        sentences([_event("task:created", {"mode": "single"})])
    assert len(queries) == 0


@pytest.mark.django_db
def test_unregistered_keys_and_verbs_are_hidden() -> None:
    ledger = _event(
        "ledger:bounty",
        {
            "amount": 12_000,
            "currency": "EUR",
            "memo": "Survey",
            "reverses": None,
            "entries": [{"account": "earnings", "user": 2, "amount": 12_000}],
            "subject": "tasks.task:1",
        },
        target_type="ledger.transaction",
        target_repr="bounty 12000 EUR",
    )
    unknown = _event("nothing:known", {"secret": "x", "parent": None})
    said_ledger, said_unknown = sentences([ledger, unknown])
    assert said_ledger.title == "bounty of €120.00"
    assert [(line.label, line.text) for line in said_ledger.lines] == [("memo", "Survey")]
    assert said_unknown.lines == []


@pytest.mark.django_db
def test_changes_show_old_and_new_and_a_reason_is_quoted(make_user: Any) -> None:
    task = _event("task:updated", {"changes": {"title": {"old": "A", "new": "B"}, "x": 1}})
    idea = _event(
        "idea:rejected",
        {"idea": 4, "change": {"from": "in_review", "to": "rejected", "reason": "Unsafe"}},
    )
    said_task, said_idea = sentences([task, idea])
    assert [(line.old, line.new) for line in said_task.lines] == [("“A”", "“B”")]
    assert [line.text for line in said_idea.lines] == ["from in review to rejected: “Unsafe”"]


@pytest.mark.django_db
def test_an_event_about_its_actor_does_not_name_them_twice(make_user: Any) -> None:
    ada = make_user("ada", display_name="Ada Lovelace")
    joined = _event(
        "user:signed_up",
        {"username": "ada"},
        actor=ada,
        target_type="accounts.user",
        target_id=str(ada.pk),
        target_repr="Ada Lovelace",
    )
    (said,) = sentences([joined])
    assert said.text == "Ada Lovelace joined peerwork"
    assert said.name == "Ada Lovelace"


def test_kinds_of_targets_are_words() -> None:
    assert target_kind("challenges.challenge") == "challenge"
    with translation.override("es"):
        assert target_kind("tasks.task") == "tarea"
    assert target_kind("nothing.here") == "item"


def test_a_field_of_an_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown field kind"):
        Field("x", "colour")


def test_every_verb_says_what_of_its_data_is_shown() -> None:
    """A new verb is described by its app (even as showing nothing), so a reader never meets
    a verb whose data nobody thought about; and nothing describes a verb that does not exist."""
    from peerwork.activity.sentences import _FIELDS
    from peerwork.activity.verbs import VERBS

    assert sorted(set(VERBS) - set(_FIELDS)) == []
    assert sorted(set(_FIELDS) - set(VERBS)) == []
