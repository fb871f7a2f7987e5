"""A challenge's public terms are written once: the API and the open-data dump agree on them."""

from __future__ import annotations

import json
from typing import Any

from peerwork.challenges.schemas import challenge_terms
from peerwork.interop.dumps.jsonl import open_data

from .conftest import People, make_challenge


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
