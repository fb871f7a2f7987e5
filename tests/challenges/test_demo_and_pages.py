"""The demo seeds challenges through the actions, and every page renders in every state."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from peerwork.challenges import actions, demo
from peerwork.challenges.models import Challenge, Submission
from peerwork.ledger.models import Payout
from peerwork.ledger.verify import verify

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
    assert sorted(Challenge.objects.values_list("kind", flat=True)) == [
        "ideation",
        "ideation",
        "scored",
    ]
    assert Submission.objects.count() == 5
    scored = Challenge.objects.get(kind="scored")
    assert Submission.objects.get(challenge=scored).public_score is not None
    judged = Challenge.objects.get(awarded_at__isnull=False)
    assert judged.state == "judged"
    payout = Payout.objects.get(subject=f"challenges.challenge:{judged.pk}")
    lines = {line.user.username: line.amount for line in payout.lines.all()}
    assert (payout.state, lines) == ("paid", {"solver": 40000, "other": 15000})
    assert verify().ok


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
            "prize_split": "60\n30",
            "opens_at": "2020-01-01T00:00",
            "closes_at": "2099-01-01T00:00",
            "ip_terms": "license",
            "criteria": "Quality: 1",
        },
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "add up to €90.00, not to the prize pool of €100.00" in body
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


@pytest.mark.django_db
def test_questions_and_answers_on_a_challenge(people: People, api_as):
    challenge = make_challenge(people)
    asked = api_as(people.solver).post(
        f"/challenges/{challenge.pk}/discussion", {"text": "May teams span countries?"}
    )
    assert asked.status_code == 201
    answer = api_as(people.seeker).post(
        f"/challenges/{challenge.pk}/discussion",
        {"text": "Yes.", "parent": asked.json()["id"]},
    )
    assert answer.status_code == 201 and answer.json()["depth"] == 1
    thread = api_as(None).get(f"/challenges/{challenge.pk}/discussion").json()
    assert [c["text"] for c in thread["comments"]] == ["May teams span countries?", "Yes."]
    assert thread["can_post"] is False
    assert (
        api_as(None).post(f"/challenges/{challenge.pk}/discussion", {"text": "anon"}).status_code
        == 401
    )
    page = Client().get(f"/s/{people.space.slug}/challenges/{challenge.pk}/").content.decode()
    assert "May teams span countries?" in page
    client = Client()
    client.force_login(people.member)
    empty = client.post(
        f"/s/{people.space.slug}/challenges/{challenge.pk}/discussion", {"text": ""}
    )
    assert empty.status_code == 422
    assert "Your comment was not saved" in empty.content.decode()
    assert len(api_as(None).get(f"/challenges/{challenge.pk}/discussion").json()["comments"]) == 2


@pytest.mark.django_db
def test_uploaded_files_are_named_safely_and_kinds_take_their_own_input(people: People, api_as):
    import base64

    challenge = make_challenge(people)
    api = api_as(people.solver)
    wrong = api.post(
        f"/challenges/{challenge.pk}/submissions",
        {"title": "Guess", "predictions": HALF.decode()},
    )
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "predictions"
    made = api.post(
        f"/challenges/{challenge.pk}/submissions",
        {
            "title": "Design",
            "file_name": '..\\evil/"plan\r\n".pdf',
            "file_base64": base64.b64encode(b"%PDF").decode(),
        },
    )
    assert made.status_code == 201, made.content
    assert made.json()["file_name"] == "plan.pdf"
    client = Client()
    client.force_login(people.solver)
    download = client.get(
        f"/s/{people.space.slug}/challenges/{challenge.pk}/submissions/{made.json()['id']}/file"
    )
    assert download.status_code == 200 and download.content == b"%PDF"
    assert download["Content-Disposition"] == 'attachment; filename="plan.pdf"'


@pytest.mark.django_db
def test_the_challenge_list_takes_a_fixed_number_of_queries(
    people: People, api_as, django_assert_max_num_queries
):
    for _ in range(5):
        make_challenge(people)
    api = api_as(None)
    with django_assert_max_num_queries(6):
        response = api.get(f"/spaces/{people.space.slug}/challenges")
    assert len(response.json()["items"]) == 5


@pytest.mark.django_db
def test_saving_the_edit_form_unchanged_keeps_the_times(people: People):
    challenge = make_challenge(people)
    actions.submission_create(user=people.solver, challenge=challenge, title="Idea")
    client = Client()
    client.force_login(people.seeker)
    url = f"/s/{people.space.slug}/challenges/{challenge.pk}/edit"
    page = client.get(url)
    form = page.context["form"]
    data = {name: form[name].value() for name in form.fields}
    data["title"] = "Renamed"
    data["opens_at"] = form["opens_at"].value().strftime("%Y-%m-%dT%H:%M")
    data["closes_at"] = form["closes_at"].value().strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = Challenge.objects.get()
    assert saved.title == "Renamed" and saved.closes_at == challenge.closes_at
    earlier = {
        **data,
        "closes_at": (challenge.closes_at - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
    }
    refused = client.post(url, earlier)
    assert refused.status_code == 409
    assert "can no longer move earlier" in refused.content.decode()


@pytest.mark.django_db
def test_teams_and_scores_through_the_pages(people: People, make_user):
    from peerwork.challenges.models import Score, SubmissionMember

    challenge = make_challenge(people)
    mate = make_user("mate")
    people.space.memberships.create(user=mate, role="member")
    submission = actions.submission_create(user=people.solver, challenge=challenge, title="Ours")
    base = f"/s/{people.space.slug}/challenges/{challenge.pk}/submissions/{submission.pk}/"
    solver, teammate, judge = Client(), Client(), Client()
    solver.force_login(people.solver)
    teammate.force_login(mate)
    judge.force_login(people.judge)
    assert teammate.get(base).status_code == 404  # sealed until invited
    assert solver.post(base + "invite", {"username": "mate"}).status_code == 302
    invited = teammate.get(f"/s/{people.space.slug}/challenges/{challenge.pk}/")
    assert "Ours" in invited.content.decode()  # listed under the invitations
    assert teammate.post(base + "join").status_code == 302
    assert SubmissionMember.objects.get(user=mate).accepted_at is not None
    criteria = {c.name: c.pk for c in challenge.criteria.all()}
    scored = judge.post(
        base + "score", {f"score-{criteria['Feasibility']}": "7", f"score-{criteria['Cost']}": "3"}
    )
    assert scored.status_code == 302
    assert sorted(Score.objects.values_list("value", flat=True)) == [3, 7]
    refused = judge.post(base + "score", {f"score-{criteria['Cost']}": "12"}, follow=True)
    assert "from 0 to 10" in refused.content.decode()
    assert sorted(Score.objects.values_list("value", flat=True)) == [3, 7]
    assert teammate.post(base + "score", {f"score-{criteria['Cost']}": "1"}).status_code == 403


def test_prizes_are_typed_as_amounts_in_the_reader_s_language(people: People) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    client.force_login(people.seeker)
    body = {
        "title": "Premio",
        "statement": "Resolverlo.",
        "kind": "ideation",
        "currency": "eur",
        "prize_pool": "1.500,50",
        "prize_split": "1.000,50\n500",
        "opens_at": "2020-01-01T00:00",
        "closes_at": "2099-01-01T00:00",
        "ip_terms": "license",
        "criteria": "Calidad: 1",
    }
    response = client.post(f"/s/{people.space.slug}/challenges/new", body)
    assert response.status_code == 302, response.content.decode()[-3000:]
    challenge = Challenge.objects.get(title="Premio")
    assert (challenge.currency, challenge.prize_pool) == ("EUR", 150050)
    assert challenge.prize_split == [100050, 50000]
    edit = client.get(f"/s/{people.space.slug}/challenges/{challenge.pk}/edit").content.decode()
    assert 'value="1500,50"' in edit and "1000,50\n500,00</textarea>" in edit
    refused = client.post(
        f"/s/{people.space.slug}/challenges/new", {**body, "prize_pool": "10,001"}
    )
    assert refused.status_code == 400
    assert "EUR amounts have at most 2 decimals." in refused.content.decode() or (
        "como máximo 2 decimales" in refused.content.decode()
    )
    assert Challenge.objects.filter(title="Premio").count() == 1
