"""The demo seeds challenges through the actions, and every page renders in every state."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from peerwork.challenges import actions, demo
from peerwork.challenges.models import Challenge, Submission

from .conftest import HALF, People, make_challenge, make_scored


@pytest.mark.django_db
def test_demo_seed_makes_challenges_through_the_actions(people: People):
    demo.seed(
        space=people.space,
        people={
            "seeker": people.seeker,
            "judge": people.judge,
            "solver": people.solver,
            "other": people.other,
        },
    )
    assert sorted(Challenge.objects.values_list("kind", flat=True)) == ["ideation", "scored"]
    assert Submission.objects.count() == 3
    scored = Challenge.objects.get(kind="scored")
    assert Submission.objects.get(challenge=scored).public_score is not None


def _pages(client: Client, challenge: Challenge, submission: Submission | None) -> list[int]:
    base = f"/s/{challenge.space.slug}/challenges/"
    paths = [base, f"{base}{challenge.pk}/", f"{base}{challenge.pk}/leaderboard"]
    if submission is not None:
        paths.append(f"{base}{challenge.pk}/submissions/{submission.pk}/")
    return [client.get(path).status_code for path in paths]


@pytest.mark.django_db
@pytest.mark.parametrize("scored", [False, True])
def test_pages_render_in_every_state(people: People, scored: bool, time_machine):
    challenge = make_scored(people) if scored else make_challenge(people)
    kwargs = {"predictions": HALF} if scored else {"title": "An idea"}
    submission = actions.submission_create(user=people.solver, challenge=challenge, **kwargs)
    if not scored:
        actions.submission_score(user=people.judge, submission=submission, scores={"Cost": 4})
    clients = {}
    for name in ("seeker", "judge", "solver", "member"):
        clients[name] = Client()
        clients[name].force_login(getattr(people, name))
    clients["anonymous"] = Client()
    for client in clients.values():
        statuses = _pages(client, challenge, None)
        assert statuses == [200, 200, 200]
    assert _pages(clients["solver"], challenge, submission)[-1] == 200
    time_machine.move_to(challenge.closes_at + timedelta(seconds=1), tick=False)
    for client in clients.values():
        assert _pages(client, challenge, None) == [200, 200, 200]
    actions.challenge_award(user=people.seeker, challenge=challenge)
    for client in clients.values():
        assert _pages(client, challenge, submission) == [200, 200, 200, 200]
    page = clients["anonymous"].get(f"/s/{people.space.slug}/challenges/{challenge.pk}/")
    assert "Awards" in page.content.decode()


@pytest.mark.django_db
def test_the_post_form_keeps_what_was_typed_and_shows_the_error(people: People):
    client = Client()
    client.force_login(people.seeker)
    response = client.post(
        f"/s/{people.space.slug}/challenges/new",
        {
            "title": "Kept title",
            "statement": "Kept statement",
            "kind": "ideation",
            "currency": "EUR",
            "prize_pool": "100",
            "prize_split": "60, 30",
            "opens_at": "2020-01-01T00:00",
            "closes_at": "2099-01-01T00:00",
            "ip_terms": "license",
            "criteria": "Quality: 1",
        },
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "add up to 90, not to the prize pool of 100" in body
    assert 'value="Kept title"' in body
    assert Challenge.objects.count() == 0
    bad_criteria = client.post(
        f"/s/{people.space.slug}/challenges/new",
        {"title": "x", "criteria": "no weight here"},
    )
    assert bad_criteria.status_code == 400
    assert "name: weight" in bad_criteria.content.decode()


@pytest.mark.django_db
def test_a_late_submission_page_names_the_deadline(people: People, time_machine):
    challenge = make_challenge(people)
    client = Client()
    client.force_login(people.solver)
    time_machine.move_to(challenge.closes_at + timedelta(minutes=1), tick=False)
    response = client.post(
        f"/s/{people.space.slug}/challenges/{challenge.pk}/submit", {"title": "Late idea"}
    )
    assert response.status_code == 409
    assert "The deadline was" in response.content.decode()
    assert 'value="Late idea"' in response.content.decode()
    assert Submission.objects.count() == 0
