"""Awarding asks first: the page and the API's dry run show who gets what, and change nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from peerwork.activity.models import Event
from peerwork.challenges import actions
from peerwork.challenges.models import Award, AwardShare, Challenge
from peerwork.ledger.models import Transaction

from .conftest import People, make_challenge

pytestmark = pytest.mark.django_db


def _as(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _world(people: People, make_user: Any, time_machine: Any) -> Challenge:
    """A judged challenge of €10.00 in three places: a team of three first, one more second,
    an entry nobody judged, and the third place left empty."""
    challenge = make_challenge(people, prize_pool=1000, prize_split=[700, 200, 100])
    mate, mate2 = make_user("mate", display_name="Mate One"), make_user("mate2")
    for user in (mate, mate2):
        people.space.memberships.create(user=user, role="member")
    team = actions.submission_create(user=people.solver, challenge=challenge, title="Team")
    for name, user in (("mate", mate), ("mate2", mate2)):
        actions.submission_invite(user=people.solver, submission=team, username=name)
        actions.submission_join(user=user, submission=team)
    second = actions.submission_create(user=people.other, challenge=challenge, title="Second")
    actions.submission_create(user=people.member, challenge=challenge, title="Unjudged")
    actions.submission_score(user=people.judge, submission=team, scores={"Feasibility": 5})
    actions.submission_score(user=people.judge, submission=second, scores={"Feasibility": 2})
    time_machine.move_to(challenge.closes_at + timedelta(seconds=1), tick=False)
    return challenge


def _state(challenge: Challenge) -> tuple[Any, ...]:
    challenge.refresh_from_db()
    return (
        challenge.awarded_at,
        Award.objects.count(),
        AwardShare.objects.count(),
        Transaction.objects.count(),
        Event.objects.count(),
    )


def _rows(body: str, css: str) -> list[str]:
    import re

    table = re.search(rf'<table class="list {css}".*?</table>', body, re.S).group(0)
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)[1:]
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in rows]


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_award_page_shows_the_plan_and_changes_nothing(
    people: People, make_user: Any, time_machine: Any, method: str
) -> None:
    challenge = _world(people, make_user, time_machine)
    before = _state(challenge)
    url = f"/s/lab/challenges/{challenge.pk}/award"

    response = getattr(_as(people.seeker), method)(url)

    assert response.status_code == 200
    body = response.content.decode()
    assert _rows(body, "award-places") == [
        "1 Team solver · €2.34 Mate One · €2.33 mate2 · €2.33 €7.00",
        "2 Second other · €2.00 €2.00",
    ]
    assert _rows(body, "award-ranking") == [
        "1 Team solver 3.75 1",
        "2 Second other 1.50 2",
        "3 Unjudged member no score —",
    ]
    assert '<dd data-testid="awarded">€9.00</dd>' in body
    assert '<dd data-testid="unawarded">€1.00</dd>' in body
    assert '<dd data-testid="pool">€10.00</dd>' in body
    assert 'name="confirmed" value="yes"' in body
    assert "Confirm and award the prizes</button>" in body and 'class="danger"' in body
    assert _state(challenge) == before


def test_the_award_page_in_spanish(people: People, make_user: Any, time_machine: Any) -> None:
    challenge = _world(people, make_user, time_machine)
    response = _as(people.seeker).get(
        f"/s/lab/challenges/{challenge.pk}/award", HTTP_ACCEPT_LANGUAGE="es"
    )
    body = response.content.decode()
    assert "<h2>Otorgar los premios</h2>" in body
    assert "Confirmar y otorgar los premios</button>" in body
    assert "Ganadores y premios" in body


def test_confirming_awards_exactly_the_plan(
    people: People, make_user: Any, time_machine: Any
) -> None:
    challenge = _world(people, make_user, time_machine)
    response = _as(people.seeker).post(
        f"/s/lab/challenges/{challenge.pk}/award", {"confirmed": "yes"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/s/lab/challenges/{challenge.pk}/#awards"
    assert list(Award.objects.order_by("place").values_list("place", "amount")) == [
        (1, 700),
        (2, 200),
    ]
    assert dict(AwardShare.objects.values_list("user__username", "amount")) == {
        "solver": 234,
        "mate": 233,
        "mate2": 233,
        "other": 200,
    }


def test_others_may_not_see_the_plan_and_nothing_changes(
    people: People, make_user: Any, time_machine: Any
) -> None:
    challenge = _world(people, make_user, time_machine)
    before = _state(challenge)
    url = f"/s/lab/challenges/{challenge.pk}/award"
    for user in (people.solver, people.judge):
        assert _as(user).get(url).status_code == 403
        assert _as(user).post(url, {"confirmed": "yes"}).status_code == 403
    assert _state(challenge) == before


def test_an_open_challenge_cannot_be_awarded_and_the_page_says_why(people: People) -> None:
    challenge = make_challenge(people)
    before = _state(challenge)
    response = _as(people.seeker).get(f"/s/lab/challenges/{challenge.pk}/award", follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) == 1 and messages[0].startswith("The challenge is open until ")
    assert _state(challenge) == before


def test_api_dry_run_answers_the_plan_and_changes_nothing(
    people: People, make_user: Any, time_machine: Any, api_as: Any
) -> None:
    challenge = _world(people, make_user, time_machine)
    seeker, solver = api_as(people.seeker), api_as(people.solver)
    before = _state(challenge)

    response = seeker.post(f"/challenges/{challenge.pk}/award?dry_run=true")

    assert response.status_code == 200
    body = response.json()
    submissions = {s.title: s.pk for s in challenge.submissions.all()}
    assert body == {
        "currency": "EUR",
        "pool": 1000,
        "awarded": 900,
        "unawarded": 100,
        "places": [
            {
                "place": 1,
                "submission": submissions["Team"],
                "title": "Team",
                "amount": 700,
                "currency": "EUR",
                "shares": [
                    {"username": "solver", "amount": 234},
                    {"username": "mate", "amount": 233},
                    {"username": "mate2", "amount": 233},
                ],
            },
            {
                "place": 2,
                "submission": submissions["Second"],
                "title": "Second",
                "amount": 200,
                "currency": "EUR",
                "shares": [{"username": "other", "amount": 200}],
            },
        ],
        "ranking": [
            {
                "rank": 1,
                "submission": submissions["Team"],
                "title": "Team",
                "username": "solver",
                "score": 3.75,
                "place": 1,
            },
            {
                "rank": 2,
                "submission": submissions["Second"],
                "title": "Second",
                "username": "other",
                "score": 1.5,
                "place": 2,
            },
            {
                "rank": 3,
                "submission": submissions["Unjudged"],
                "title": "Unjudged",
                "username": "member",
                "score": None,
                "place": None,
            },
        ],
    }
    assert _state(challenge) == before
    # Refused as the action is: a solver's dry run is 403.
    assert solver.post(f"/challenges/{challenge.pk}/award?dry_run=true").status_code == 403
    assert _state(challenge) == before
    # Without dry_run it awards what the plan said.
    assert seeker.post(f"/challenges/{challenge.pk}/award").status_code == 201
    assert list(Award.objects.order_by("place").values_list("place", "amount")) == [
        (1, 700),
        (2, 200),
    ]


def test_withdrawing_asks_first_and_a_post_without_confirmation_changes_nothing(
    people: People,
) -> None:
    challenge = make_challenge(people)
    seeker = _as(people.seeker)
    detail = seeker.get(f"/s/lab/challenges/{challenge.pk}/").content.decode()
    assert (
        'data-confirm="Withdraw the challenge “Cheaper water filters”?" '
        'data-confirm-detail="A withdrawn challenge cannot be reopened."'
    ) in detail
    assert '<button type="submit" class="danger">Withdraw the challenge</button>' in detail
    before = _state(challenge)
    url = f"/s/lab/challenges/{challenge.pk}/withdraw"

    asked = seeker.post(url, {"reason": "no budget"})

    assert asked.status_code == 200
    body = asked.content.decode()
    assert '<h1 id="confirm-title">Withdraw the challenge “Cheaper water filters”?</h1>' in body
    assert (
        "<strong>This cannot be undone.</strong> A withdrawn challenge cannot be reopened." in body
    )
    assert '<input type="hidden" name="reason" value="no budget">' in body
    assert '<input type="hidden" name="confirmed" value="yes">' in body
    assert _state(challenge) == before
    assert challenge.withdrawn_at is None

    done = seeker.post(url, {"reason": "no budget", "confirmed": "yes"})
    assert done.status_code == 302
    challenge.refresh_from_db()
    assert challenge.withdrawn_at is not None
    event = Event.objects.filter(verb="challenge:withdrawn").get()
    assert event.data["reason"] == "no budget"
