"""A submission's private score is told to nobody before the challenge is judged, then to
whoever sees the submission: the one rule `challenge.submission.score`, which the API, the
submission page, the leaderboard and the open-data dump all follow."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from peerwork.challenges import actions
from peerwork.core import policy
from peerwork.core.errors import NotFound
from peerwork.interop.dumps.jsonl import open_data

from .conftest import HALF, People, make_scored

ROLES = ("anonymous", "outsider", "member", "seeker", "solver", "judge", "steward", "admin")


def _viewers(people: People, make_user: Any) -> dict[str, Any]:
    admin = make_user("root")
    admin.is_superuser = True
    admin.save()
    return {
        "anonymous": AnonymousUser(),
        "outsider": people.outsider,
        "member": people.member,  # "other member": a member of the space with no part here
        "seeker": people.seeker,
        "solver": people.solver,  # the submission's author
        "judge": people.judge,
        "steward": people.steward,
        "admin": admin,
    }


def _page(viewer: Any, url: str) -> str:
    client = Client()
    if viewer.is_authenticated:
        client.force_login(viewer)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_nobody_sees_the_private_score_before_the_close_everyone_after(
    people: People, make_user: Any, api_as: Any, time_machine: Any
) -> None:
    challenge = make_scored(people, leaderboard_public=True)
    submission = actions.submission_create(
        user=people.solver, challenge=challenge, predictions=HALF
    )
    assert submission.private_score is not None
    viewers = _viewers(people, make_user)
    page = f"/s/{people.space.slug}/challenges/{challenge.pk}/submissions/{submission.pk}/"

    # Open: the team, the judges and site administrators see the submission, not its score.
    assert {
        name
        for name, viewer in viewers.items()
        if policy.can(viewer, "challenge.submission.view", submission)
    } == {"solver", "judge", "admin"}
    assert [
        name
        for name in ROLES
        if policy.can(viewers[name], "challenge.submission.score", submission)
    ] == []
    for name in ("solver", "judge", "admin"):
        shown = api_as(viewers[name]).get(f"/challenge-submissions/{submission.pk}").json()
        assert shown["public_score"] == submission.public_score
        assert shown["private_score"] is None, name
        assert "Private part" not in _page(viewers[name], page)
    board = api_as(people.judge).get(f"/challenges/{challenge.pk}/leaderboard").json()
    assert [row["private_score"] for row in board["rows"]] == [None]

    # Closed, so judged: whoever sees the submission sees its private score, anonymous included.
    time_machine.move_to(challenge.closes_at, tick=False)
    assert [
        name
        for name in ROLES
        if not policy.can(viewers[name], "challenge.submission.score", submission)
    ] == []
    for name in ROLES:
        client = api_as(None) if name == "anonymous" else api_as(viewers[name])
        shown = client.get(f"/challenge-submissions/{submission.pk}").json()
        assert shown["private_score"] == submission.private_score, name
    assert "Private part" in _page(viewers["anonymous"], page)
    board = api_as(None).get(f"/challenges/{challenge.pk}/leaderboard").json()
    assert [row["private_score"] for row in board["rows"]] == [submission.private_score]
    dumped = next(
        record
        for record in map(json.loads, open_data(people.space))
        if record["type"] == "challenge_submission"
    )
    assert dumped["private_score"] == submission.private_score


@pytest.mark.django_db
def test_in_a_members_only_space_the_score_stays_with_the_members(
    people: People, make_user: Any, time_machine: Any
) -> None:
    people.space.visibility = "members"
    people.space.participation = "members"
    people.space.save()
    challenge = make_scored(people)
    submission = actions.submission_create(
        user=people.solver, challenge=challenge, predictions=HALF
    )
    viewers = _viewers(people, make_user)
    time_machine.move_to(challenge.closes_at, tick=False)
    allowed = {
        name
        for name in ROLES
        if policy.can(viewers[name], "challenge.submission.score", submission)
    }
    assert allowed == set(ROLES) - {"anonymous", "outsider"}
    with pytest.raises(NotFound):  # a sealed-off space's submission does not exist for them
        policy.require(viewers["outsider"], "challenge.submission.score", submission)
