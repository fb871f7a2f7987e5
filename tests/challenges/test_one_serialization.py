"""A challenge, its submissions and its awards are written once: the API and the open-data dump
agree on them."""

from __future__ import annotations

import json
from typing import Any

from peerwork.challenges import actions
from peerwork.challenges.schemas import challenge_terms, submission_fields
from peerwork.interop.dumps.jsonl import open_data

from .conftest import HALF, People, make_challenge, make_scored


def test_the_dump_and_the_api_say_the_same_terms(people: People, api_as: Any) -> None:
    challenge = make_challenge(people)
    shown = api_as(people.member).get(f"/challenges/{challenge.pk}").json()
    dumped = next(
        record
        for record in map(json.loads, open_data(people.space))
        if record["type"] == "challenge"
    )
    for key in challenge_terms(challenge):
        assert dumped[key] == shown[key], key
    assert dumped["seeker"] == "seeker" and dumped["metric"] is None


def test_the_dump_and_the_api_say_the_same_awards(
    people: People, api_as: Any, time_machine: Any
) -> None:
    challenge = make_challenge(people, ip_terms="open")
    first = actions.submission_create(user=people.solver, challenge=challenge, title="First")
    second = actions.submission_create(user=people.other, challenge=challenge, title="Second")
    actions.submission_score(user=people.judge, submission=first, scores={"Feasibility": 9})
    actions.submission_score(user=people.judge, submission=second, scores={"Feasibility": 4})
    time_machine.move_to(challenge.closes_at, tick=False)
    actions.challenge_award(user=people.seeker, challenge=challenge)

    shown = api_as(None).get(f"/challenges/{challenge.pk}/awards").json()
    dumped = [
        record
        for record in map(json.loads, open_data(people.space))
        if record["type"] == "challenge_award"
    ]
    keys = ("place", "submission", "amount", "currency")
    assert [{k: a[k] for k in keys} for a in dumped] == [{k: a[k] for k in keys} for a in shown]
    assert [(a["place"], a["submission"], a["currency"]) for a in shown] == [
        (1, first.pk, "EUR"),
        (2, second.pk, "EUR"),
    ]
    assert dumped[0]["shares"] == {"solver": shown[0]["shares"][0]["amount"]}


def test_the_dump_and_the_api_say_the_same_submission(
    people: People, api_as: Any, time_machine: Any
) -> None:
    challenge = make_scored(people)
    submission = actions.submission_create(
        user=people.solver,
        challenge=challenge,
        predictions=HALF,
        title="Half right",
        description="Every even row.",
        file_name="half.csv",
    )
    time_machine.move_to(challenge.closes_at, tick=False)
    shown = api_as(None).get(f"/challenge-submissions/{submission.pk}").json()
    dumped = next(
        record
        for record in map(json.loads, open_data(people.space))
        if record["type"] == "challenge_submission"
    )
    fields = submission_fields(submission, content=True, private_score=True)
    for key in fields:
        assert dumped[key] == shown[key], key
    assert (dumped["title"], dumped["description"]) == ("Half right", "Every even row.")
    assert dumped["team"] == ["solver"] and shown["submitted_by"] == "solver"
