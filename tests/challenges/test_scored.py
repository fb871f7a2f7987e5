"""Scored challenges end to end through the REST API: answers, predictions, the live public
leaderboard, the daily cap, final picks, and the private ranking revealed at the close."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from peerwork.challenges.models import Challenge, Submission, Truth

from .conftest import HALF, PERFECT, TRUTH, People


def _create(api, people: People, **extra):
    now = timezone.now()
    body = {
        "title": "Label the rows",
        "statement": "Predict each row's label.",
        "kind": "scored",
        "metric": "accuracy",
        "currency": "USD",
        "prize_pool": 1001,
        "prize_split": [701, 300],
        "opens_at": (now - timedelta(minutes=1)).isoformat(),
        "closes_at": (now + timedelta(days=3)).isoformat(),
        "ip_terms": "open",
        "leaderboard_public": True,
        **extra,
    }
    return api.post(f"/spaces/{people.space.slug}/challenges", body)


def _csv(data: bytes) -> str:
    return data.decode()


@pytest.mark.django_db
def test_scored_challenge_end_to_end(people, api_as, time_machine):
    seeker, solver, other = api_as(people.seeker), api_as(people.solver), api_as(people.other)
    created = _create(seeker, people)
    assert created.status_code == 201, created.content
    challenge = created.json()
    cid = challenge["id"]
    assert challenge["state"] == "open" and challenge["has_truth"] is False
    # No predictions before the answers exist.
    early = solver.post(f"/challenges/{cid}/submissions", {"predictions": _csv(HALF)})
    assert early.status_code == 409
    assert seeker.put(f"/challenges/{cid}/truth", {"csv": _csv(TRUTH)}).status_code == 200
    # The answers leave to the seeker only.
    assert seeker.get(f"/challenges/{cid}/truth").json()["csv"] == _csv(TRUTH)
    for api in (solver, api_as(None), api_as(people.member)):
        assert api.get(f"/challenges/{cid}/truth").status_code in {401, 403}
    assert _csv(TRUTH) not in api_as(None).get(f"/challenges/{cid}").content.decode()

    half = solver.post(f"/challenges/{cid}/submissions", {"predictions": _csv(HALF)})
    assert half.status_code == 201, half.content
    assert half.json()["public_score"] == pytest.approx(_expected_public(cid, HALF), abs=1e-12)
    assert half.json()["private_score"] is None  # hidden until the close
    perfect = other.post(f"/challenges/{cid}/submissions", {"predictions": _csv(PERFECT)})
    assert perfect.json()["public_score"] == 1.0

    board = api_as(None).get(f"/challenges/{cid}/leaderboard").json()
    assert board["final"] is False and board["higher_is_better"] is True
    assert [(r["rank"], r["solver"]) for r in board["rows"]] == [(1, "other"), (2, "solver")]
    assert all(r["private_score"] is None for r in board["rows"])

    # The solver picks the half-right one as final; then uploads a perfect one, not picked.
    picked = solver.put(f"/challenge-submissions/{half.json()['id']}/final", {"final": True})
    assert picked.status_code == 200 and picked.json()["is_final"] is True
    late_perfect = solver.post(f"/challenges/{cid}/submissions", {"predictions": _csv(PERFECT)})
    assert late_perfect.status_code == 201

    time_machine.move_to(timezone.now() + timedelta(days=4), tick=False)
    closed = api_as(None).get(f"/challenges/{cid}").json()
    assert closed["state"] == "judged"
    late = solver.post(f"/challenges/{cid}/submissions", {"predictions": _csv(PERFECT)})
    assert late.status_code == 409
    assert "deadline" in late.json()["detail"].lower()
    deadline = datetime.fromisoformat(late.json()["deadline"])
    assert deadline == Challenge.objects.get(pk=cid).closes_at

    final = api_as(people.outsider).get(f"/challenges/{cid}/leaderboard").json()
    assert final["final"] is True
    # Private ranking: other's perfect entry first; solver ranks by the pick, not the best.
    assert [r["solver"] for r in final["rows"]] == ["other", "solver"]
    assert final["rows"][0]["private_score"] == 1.0
    assert final["rows"][1]["private_score"] == pytest.approx(
        _expected_private(cid, HALF), abs=1e-12
    )

    awarded = seeker.post(f"/challenges/{cid}/award")
    assert awarded.status_code == 201, awarded.content
    places = awarded.json()
    assert [(p["place"], p["amount"]) for p in places] == [(1, 701), (2, 300)]
    assert sum(share["amount"] for p in places for share in p["shares"]) == 1001
    assert seeker.post(f"/challenges/{cid}/award").status_code == 409


def _expected(cid: int, data: bytes, part: int) -> float:
    from peerwork.challenges import scoring

    truth_row = Truth.objects.get(challenge_id=cid)
    truth = scoring.parse_truth(TRUTH, metric="accuracy")
    predictions = scoring.parse_predictions(data, truth, metric="accuracy")
    ids = scoring.split_ids(truth.values.keys(), seed=truth_row.seed, public_percent=30)[part]
    right = sum(1 for i in ids if predictions[i] == truth.values[i])
    return right / len(ids)


def _expected_public(cid: int, data: bytes) -> float:
    return _expected(cid, data, 0)


def _expected_private(cid: int, data: bytes) -> float:
    return _expected(cid, data, 1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("predictions", "words"),
    [
        ("id,wrong\n1,a\n", ["header"]),
        ("id,label\n" + "".join(f"{n},a\n" for n in range(1, 20)), ["20"]),
        ("id,label\n" + "".join(f"{n},a\n" for n in range(1, 21)) + "99,a\n", ["99"]),
        ("", []),
    ],
)
def test_bad_predictions_are_refused_and_count_against_nothing(people, api_as, predictions, words):
    from .conftest import make_scored

    challenge = make_scored(people)
    api = api_as(people.solver)
    for _attempt in range(7):  # more than the daily cap of 5
        response = api.post(f"/challenges/{challenge.pk}/submissions", {"predictions": predictions})
        assert response.status_code == 422, response.content
        assert response.json()["type"] == "/problems/validation"
        assert response.json()["errors"][0]["field"] == "predictions"
        for word in words:
            assert word in response.json()["detail"]
    assert Submission.objects.count() == 0
    ok = api.post(f"/challenges/{challenge.pk}/submissions", {"predictions": HALF.decode()})
    assert ok.status_code == 201


@pytest.mark.django_db
def test_too_large_predictions_are_refused(people, api_as, settings):
    from .conftest import make_scored

    people.space.policy = {"challenges": {"max_upload_bytes": 1024}}
    people.space.save()
    challenge = make_scored(people)
    big = "id,label\n" + "".join(f"{n},a\n" for n in range(1, 21)) + "#" * 2000
    response = api_as(people.solver).post(
        f"/challenges/{challenge.pk}/submissions", {"predictions": big}
    )
    assert response.status_code == 422
    assert Submission.objects.count() == 0


@pytest.mark.django_db
def test_daily_cap_and_final_picks_follow_the_policy(people, api_as, time_machine):
    from .conftest import make_scored

    people.space.policy = {"challenges": {"daily_submissions": 2, "final_submissions": 1}}
    people.space.save()
    challenge = make_scored(people)
    api = api_as(people.solver)
    made = [
        api.post(f"/challenges/{challenge.pk}/submissions", {"predictions": HALF.decode()})
        for _ in range(3)
    ]
    assert [r.status_code for r in made] == [201, 201, 409]
    assert "daily limit" in made[2].json()["detail"]
    first, second = made[0].json()["id"], made[1].json()["id"]
    assert api.put(f"/challenge-submissions/{first}/final", {"final": True}).status_code == 200
    refused = api.put(f"/challenge-submissions/{second}/final", {"final": True})
    assert refused.status_code == 409
    assert Submission.objects.filter(is_final=True).count() == 1
    time_machine.move_to(timezone.now() + timedelta(days=1), tick=False)
    again = api.post(f"/challenges/{challenge.pk}/submissions", {"predictions": HALF.decode()})
    assert again.status_code == 201  # a new UTC day, a new allowance


@pytest.mark.django_db
def test_truth_errors_and_replacement(people, api_as):
    from peerwork.challenges import actions

    from .conftest import make_challenge

    challenge = make_challenge(people, kind="scored", metric="rmse", criteria=[])
    seeker = api_as(people.seeker)
    bad = seeker.put(f"/challenges/{challenge.pk}/truth", {"csv": "id,y\n1,abc\n"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "truth"
    one = seeker.put(f"/challenges/{challenge.pk}/truth", {"csv": "id,y\n1,2.5\n"})
    assert one.status_code == 422
    assert not Truth.objects.exists()
    good = seeker.put(f"/challenges/{challenge.pk}/truth", {"csv": "id,y\n1,2.5\n2,3\n"})
    assert good.status_code == 200 and good.json()["rows"] == 2
    actions.submission_create(
        user=people.solver, challenge=challenge, predictions=b"id,y\n1,2\n2,3\n"
    )
    replaced = seeker.put(f"/challenges/{challenge.pk}/truth", {"csv": "id,y\n1,0\n2,0\n"})
    assert replaced.status_code == 409
    assert bytes(Truth.objects.get().data) == b"id,y\n1,2.5\n2,3\n"
