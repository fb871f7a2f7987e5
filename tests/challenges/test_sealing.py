"""Sealing: before the judging nobody but the team and the judges learns that a submission
exists, through any channel: the API's lists and counts, pages, activity, feeds, the live
stream, webhooks, notifications, the dump and search."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from peerwork.activity.models import Event
from peerwork.challenges import actions
from peerwork.interop.models import WebhookSubscription
from tests.conftest import scheduled_jobs

from .conftest import HALF, People, make_challenge, make_scored

SECRET = "Zyxwvut osmosis membrane"


def _client(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _bystanders(people: People) -> dict[str, Any]:
    return {
        "anonymous": None,
        "outsider": people.outsider,
        "member": people.member,
        "other solver": people.other,
        "seeker (not a judge)": people.seeker,
        "steward": people.steward,
    }


@pytest.fixture
def sealed(people: People) -> Any:
    challenge = make_challenge(people)
    # The other solver has a submission of their own, so "other solver" is a real competitor.
    actions.submission_create(user=people.other, challenge=challenge, title="Sand and charcoal")
    submission = actions.submission_create(
        user=people.solver,
        challenge=challenge,
        title=SECRET,
        description="Reverse osmosis with a hand pump.",
        file_name="design.txt",
        file_data=b"secret design",
    )
    return challenge, submission


@pytest.mark.django_db
def test_api_lists_and_counts_show_only_ones_own_team(people, sealed, api_as):
    challenge, submission = sealed
    for role, user in _bystanders(people).items():
        api = api_as(user)
        listed = api.get(f"/challenges/{challenge.pk}/submissions").json()["items"]
        titles = [item["title"] for item in listed]
        assert SECRET not in titles, role
        assert api.get(f"/challenge-submissions/{submission.pk}").status_code == 404, role
        missing = api.get("/challenge-submissions/999999").json()
        hidden = api.get(f"/challenge-submissions/{submission.pk}").json()
        assert {**hidden, "instance": ""} == {**missing, "instance": ""}, role
        detail = api.get(f"/challenges/{challenge.pk}").json()
        if user is people.seeker:
            assert detail["submission_count"] == 2  # the seeker learns the count, no more
        else:
            assert detail["submission_count"] is None, role
        spaces_list = api.get(f"/spaces/{people.space.slug}/challenges").json()["items"]
        assert "submission_count" in spaces_list[0]
        assert SECRET not in json.dumps(spaces_list)
    # The other solver sees their own, and only it.
    other = api_as(people.other).get(f"/challenges/{challenge.pk}/submissions").json()["items"]
    assert [item["title"] for item in other] == ["Sand and charcoal"]
    # The team and the judge see it.
    for user in (people.solver, people.judge):
        api = api_as(user)
        body = api.get(f"/challenge-submissions/{submission.pk}").json()
        assert body["title"] == SECRET
        assert body["description"] == "Reverse osmosis with a hand pump."
    judge_list = api_as(people.judge).get(f"/challenges/{challenge.pk}/submissions").json()
    assert sorted(item["title"] for item in judge_list["items"]) == sorted(
        [SECRET, "Sand and charcoal"]
    )


@pytest.mark.django_db
def test_pages_show_nothing_sealed(people, sealed):
    challenge, submission = sealed
    base = f"/s/{people.space.slug}/challenges/{challenge.pk}/"
    for role, user in _bystanders(people).items():
        client = _client(user)
        page = client.get(base)
        assert page.status_code == 200
        assert SECRET not in page.content.decode(), role
        assert client.get(f"{base}submissions/{submission.pk}/").status_code == 404, role
        assert client.get(f"{base}submissions/{submission.pk}/file").status_code == 404, role
        listing = client.get(f"/s/{people.space.slug}/challenges/").content.decode()
        assert SECRET not in listing
    judge_page = _client(people.judge).get(base).content.decode()
    assert SECRET in judge_page
    solver_file = _client(people.solver).get(f"{base}submissions/{submission.pk}/file")
    assert solver_file.status_code == 200 and solver_file.content == b"secret design"


@pytest.mark.django_db
def test_activity_feed_dump_and_stream_carry_no_submission_event(people, sealed, settings):
    challenge, submission = sealed
    settings.PEERWORK_LIVE_LIFETIME = 0.05
    settings.PEERWORK_LIVE_POLL = 0.01
    slug = people.space.slug
    # The submission's events exist, private and outside the space's chain...
    own = Event.objects.filter(target_type="challenges.submission", target_id=str(submission.pk))
    assert own.get().verb == "submission:submitted"
    assert own.get().space_id is None
    # ...so the space's public chain has no gap that would betray them.
    seqs = list(
        Event.objects.filter(space=people.space).order_by("seq").values_list("seq", flat=True)
    )
    assert seqs == list(range(1, len(seqs) + 1))
    for role, user in _bystanders(people).items():
        client = _client(user)
        for path in (
            f"/s/{slug}/activity/",
            f"/s/{slug}/activity.atom",
            f"/s/{slug}/export.jsonl",
            "/activity/",
            f"/history/challenges.submission/{submission.pk}/",
        ):
            response = client.get(path)
            body = (
                b"".join(response.streaming_content) if response.streaming else response.content
            ).decode()
            assert SECRET not in body, (role, path)
            assert "submission:" not in body, (role, path)
        stream = client.get(f"/s/{slug}/live?last_event_id=0")
        text = b"".join(stream.streaming_content).decode()
        assert "challenge:posted" in text  # the stream works and carries public events
        assert SECRET not in text and "submission:" not in text, role
        api = Client()
        if user is not None:
            api.force_login(user)
        events = api.get("/api/v1/activity").json()["items"]
        assert not [
            e
            for e in events
            if e["target_type"] == "challenges.submission" and e["target_id"] == str(submission.pk)
        ], role
    # The author sees their own event in their activity.
    mine = _client(people.solver).get("/api/v1/activity").json()["items"]
    assert any(e["verb"] == "submission:submitted" for e in mine)


@pytest.mark.django_db
def test_dump_has_the_challenge_but_no_sealed_submission(people, sealed):
    challenge, _submission = sealed
    body = b"".join(_client(None).get(f"/s/{people.space.slug}/export.jsonl").streaming_content)
    records = [json.loads(line) for line in body.decode().splitlines()]
    kinds = [record["type"] for record in records]
    assert "challenge" in kinds
    assert "challenge_submission" not in kinds
    assert SECRET not in body.decode()


@pytest.mark.django_db
def test_no_webhook_is_scheduled_for_a_submission(people, django_capture_on_commit_callbacks):
    challenge = make_challenge(people)
    WebhookSubscription.objects.create(
        space=people.space, url="http://127.0.0.1:9/hook", secret="s", created_by=people.steward
    )
    with django_capture_on_commit_callbacks() as submitted:
        actions.submission_create(user=people.solver, challenge=challenge, title=SECRET)
    assert scheduled_jobs(submitted) == []
    with django_capture_on_commit_callbacks() as changed:
        actions.challenge_update(user=people.seeker, challenge=challenge, title="Cheaper filters")
    # A public event of the space does go to its webhooks.
    assert len(scheduled_jobs(changed, prefix="webhooks.")) == 1


@pytest.mark.django_db
def test_no_notification_reveals_a_submission(people, sealed, api_as):
    for user in (people.seeker, people.member, people.other, people.steward):
        items = api_as(user).get("/me/notifications").json()["items"]
        assert SECRET not in json.dumps(items)
        assert all(not item["event"]["verb"].startswith("submission:") for item in items)


@pytest.mark.django_db
def test_search_finds_no_sealed_submission(people, sealed, api_as):
    for user in (None, people.outsider, people.member, people.seeker):
        api = api_as(user)
        for path in ("/search?q=Zyxwvut", f"/spaces/{people.space.slug}/search?q=Zyxwvut"):
            response = api.get(path)
            assert response.status_code == 200
            assert SECRET not in response.content.decode()


@pytest.mark.django_db
def test_scored_leaderboard_is_sealed_unless_public(people, api_as):
    challenge = make_scored(people)
    actions.submission_create(user=people.solver, challenge=challenge, predictions=HALF)
    actions.submission_create(user=people.other, challenge=challenge, predictions=HALF)
    for user in (None, people.outsider, people.member, people.seeker):
        rows = api_as(user).get(f"/challenges/{challenge.pk}/leaderboard").json()["rows"]
        assert rows == []
    own = api_as(people.solver).get(f"/challenges/{challenge.pk}/leaderboard").json()["rows"]
    assert [(row["solver"], row["rank"]) for row in own] == [("solver", 0)]
    judge = api_as(people.judge).get(f"/challenges/{challenge.pk}/leaderboard").json()["rows"]
    assert sorted(row["solver"] for row in judge) == ["other", "solver"]
    actions.challenge_update(user=people.seeker, challenge=challenge, leaderboard_public=True)
    public = api_as(None).get(f"/challenges/{challenge.pk}/leaderboard").json()["rows"]
    assert [row["rank"] for row in public] == [1, 2]
    assert all(row["private_score"] is None for row in public)


@pytest.mark.django_db
def test_unsealed_after_the_award(people, sealed, api_as, time_machine):
    challenge, submission = sealed
    actions.submission_score(
        user=people.judge, submission=submission, scores={"Feasibility": 8, "Cost": 6}
    )
    time_machine.move_to(challenge.closes_at, tick=False)
    actions.challenge_award(user=people.seeker, challenge=challenge)
    outsider = api_as(people.outsider)
    body = outsider.get(f"/challenge-submissions/{submission.pk}").json()
    assert body["title"] == SECRET
    assert body["description"] is None  # licence terms: content stays with seeker and team
    seeker = api_as(people.seeker).get(f"/challenge-submissions/{submission.pk}").json()
    assert seeker["description"] == "Reverse osmosis with a hand pump."
    listed = outsider.get(f"/challenges/{challenge.pk}/submissions").json()["items"]
    assert len(listed) == 2


@pytest.mark.django_db
@pytest.mark.parametrize(("terms", "in_dump"), [("open", True), ("license", False)])
def test_after_the_award_open_submissions_join_the_dump(
    people, api_as, time_machine, terms, in_dump
):
    challenge = make_challenge(people, ip_terms=terms)
    submission = actions.submission_create(
        user=people.solver, challenge=challenge, title=SECRET, description="The whole design."
    )
    actions.submission_score(user=people.judge, submission=submission, scores={"Cost": 5})
    time_machine.move_to(challenge.closes_at, tick=False)
    actions.challenge_award(user=people.seeker, challenge=challenge)
    body = b"".join(_client(None).get(f"/s/{people.space.slug}/export.jsonl").streaming_content)
    records = [json.loads(line) for line in body.decode().splitlines()]
    awards = [r for r in records if r["type"] == "challenge_award"]
    assert [(a["place"], a["amount"], a["shares"]) for a in awards] == [(1, 6000, {"solver": 6000})]
    published = [r for r in records if r["type"] == "challenge_submission"]
    if in_dump:
        assert [(r["title"], r["description"], r["team"]) for r in published] == [
            (SECRET, "The whole design.", ["solver"])
        ]
        assert all(r["licence"] == people.space.licence for r in published)
    else:
        assert published == []
        assert "The whole design." not in body.decode()
