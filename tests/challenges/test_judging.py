"""Judging, the tie-break rule and awards whose integer prizes add up exactly."""

from __future__ import annotations

from datetime import timedelta
from fractions import Fraction

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from peerwork.activity.models import Notification
from peerwork.challenges import actions, prizes
from peerwork.challenges.models import Award, AwardShare, Challenge, Score
from peerwork.core.errors import Conflict, Forbidden, Invalid, NotFound

from .conftest import People, make_challenge


@given(
    amount=st.integers(min_value=0, max_value=10**15),
    weights=st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=30).filter(
        lambda w: sum(w) > 0
    ),
)
def test_split_exact_adds_up_and_is_fair(amount, weights):
    shares = prizes.split_exact(amount, weights)
    assert sum(shares) == amount
    total = sum(weights)
    for share, weight in zip(shares, weights, strict=True):
        exact = Fraction(amount * weight, total)
        assert exact - 1 < share < exact + 1


def test_split_exact_gives_remainders_to_the_earliest():
    assert prizes.split_exact(100, [1, 1, 1]) == [34, 33, 33]
    assert prizes.split_exact(2, [1, 1, 1]) == [1, 1, 0]
    assert prizes.split_exact(0, [1, 1]) == [0, 0]


def _judged(people: People, **overrides) -> Challenge:
    return make_challenge(people, **overrides)


def _close(challenge: Challenge, time_machine) -> None:
    time_machine.move_to(challenge.closes_at + timedelta(seconds=1), tick=False)


@pytest.mark.django_db
def test_weighted_score_ranks_and_ties_go_to_the_earlier_submission(
    people, make_user, time_machine
):
    challenge = _judged(people)
    third = make_user("third")
    people.space.memberships.create(user=third, role="member")
    early = actions.submission_create(user=people.solver, challenge=challenge, title="Early")
    time_machine.move_to(timezone.now() + timedelta(minutes=5), tick=False)
    late = actions.submission_create(user=people.other, challenge=challenge, title="Late")
    best = actions.submission_create(user=third, challenge=challenge, title="Best")
    # Feasibility weighs 3, cost 1: (3*8 + 1*4)/4 = 7 for both early and late.
    actions.submission_score(
        user=people.judge, submission=early, scores={"Feasibility": 8, "Cost": 4}
    )
    actions.submission_score(
        user=people.judge, submission=late, scores={"Feasibility": 8, "Cost": 4}
    )
    actions.submission_score(
        user=people.judge, submission=best, scores={"Feasibility": 9, "Cost": 9}
    )
    ranked = actions.ranking(challenge)
    assert [(s.title, score) for s, score in ranked] == [
        ("Best", Fraction(9)),
        ("Early", Fraction(7)),
        ("Late", Fraction(7)),
    ]
    _close(challenge, time_machine)
    awards = actions.challenge_award(user=people.seeker, challenge=challenge)
    assert [(a.place, a.submission.title, a.amount) for a in awards] == [
        (1, "Best", 6000),
        (2, "Early", 3000),
        (3, "Late", 1000),
    ]
    assert sum(AwardShare.objects.values_list("amount", flat=True)) == 10000


@pytest.mark.django_db
def test_team_prizes_split_by_largest_remainder_and_unfilled_places_stay_unawarded(
    people, make_user, time_machine
):
    challenge = _judged(people, prize_pool=1000, prize_split=[700, 200, 100])
    mate, mate2 = make_user("mate"), make_user("mate2")
    for user in (mate, mate2):
        people.space.memberships.create(user=user, role="member")
    team = actions.submission_create(user=people.solver, challenge=challenge, title="Team")
    actions.submission_invite(user=people.solver, submission=team, username="mate")
    actions.submission_invite(user=people.solver, submission=team, username="mate2")
    actions.submission_join(user=mate, submission=team)
    actions.submission_join(user=mate2, submission=team)
    unscored = actions.submission_create(user=people.other, challenge=challenge, title="Unjudged")
    actions.submission_score(user=people.judge, submission=team, scores={"Feasibility": 5})
    _close(challenge, time_machine)
    actions.challenge_award(user=people.seeker, challenge=challenge)
    award = Award.objects.get()
    assert award.place == 1 and award.amount == 700
    shares = dict(award.shares.values_list("user__username", "amount"))
    assert shares == {"solver": 234, "mate": 233, "mate2": 233}
    assert not Award.objects.filter(submission=unscored).exists()
    event = challenge.space.events.filter(verb="challenge:awarded").get()
    assert event.data["unawarded"] == 300
    # Participants hear of the award.
    assert Notification.objects.filter(user=mate, event=event).exists()
    assert Notification.objects.filter(user=people.other, event=event).exists()


@pytest.mark.django_db
def test_a_judge_never_judges_their_own_team(people, time_machine):
    challenge = _judged(people)
    with pytest.raises(Forbidden):
        actions.submission_create(user=people.judge, challenge=challenge, title="Mine")
    submission = actions.submission_create(user=people.solver, challenge=challenge, title="A")
    # A solver cannot become a judge (nor could a judge join a team).
    with pytest.raises(Invalid):
        actions.challenge_judges_set(
            user=people.seeker, challenge=challenge, usernames=["judge", "solver"]
        )
    with pytest.raises(Invalid):
        actions.submission_invite(user=people.solver, submission=submission, username="judge")
    with pytest.raises(NotFound):
        actions.submission_score(user=people.other, submission=submission, scores={"Cost": 1})
    assert Score.objects.count() == 0


@pytest.mark.django_db
def test_scores_are_checked(people):
    challenge = _judged(people)
    submission = actions.submission_create(user=people.solver, challenge=challenge, title="A")
    for scores in ({"Cost": 11}, {"Beauty": 3}, {}, {"Cost": -1}):
        with pytest.raises(Invalid):
            actions.submission_score(user=people.judge, submission=submission, scores=scores)
    actions.submission_score(user=people.judge, submission=submission, scores={"Cost": 2})
    actions.submission_score(user=people.judge, submission=submission, scores={"Cost": 3})
    assert list(Score.objects.values_list("value", flat=True)) == [3]


@pytest.mark.django_db
def test_award_only_after_the_close_and_only_once(people, time_machine):
    challenge = _judged(people)
    with pytest.raises(Conflict):
        actions.challenge_award(user=people.seeker, challenge=challenge)
    _close(challenge, time_machine)
    with pytest.raises(Forbidden):
        actions.challenge_award(user=people.judge, challenge=challenge)
    actions.challenge_award(user=people.seeker, challenge=challenge)
    with pytest.raises(Conflict):
        actions.challenge_award(user=people.seeker, challenge=challenge)
    assert Challenge.objects.get().state == "judged"


@pytest.mark.django_db
def test_no_withdrawal_nor_lower_prize_once_submitted(people, api_as):
    challenge = _judged(people)
    seeker = api_as(people.seeker)
    assert (
        seeker.patch(
            f"/challenges/{challenge.pk}", {"prize_pool": 9000, "prize_split": [9000]}
        ).status_code
        == 200
    )
    actions.submission_create(user=people.solver, challenge=challenge, title="A")
    for body in (
        {"prize_pool": 8000, "prize_split": [8000]},
        {"prize_pool": 9000, "prize_split": [5000, 4000]},
    ):
        response = seeker.patch(f"/challenges/{challenge.pk}", body)
        assert response.status_code == 409, body
    raised = seeker.patch(
        f"/challenges/{challenge.pk}", {"prize_pool": 12000, "prize_split": [9000, 3000]}
    )
    assert raised.status_code == 200 and raised.json()["prize_pool"] == 12000
    withdrawn = seeker.post(f"/challenges/{challenge.pk}/withdrawal", {"reason": "budget"})
    assert withdrawn.status_code == 409
    assert Challenge.objects.get().withdrawn_at is None


@pytest.mark.django_db
def test_withdraw_an_unanswered_challenge(people, api_as):
    challenge = _judged(people)
    response = api_as(people.seeker).post(f"/challenges/{challenge.pk}/withdrawal", {})
    assert response.status_code == 200 and response.json()["state"] == "withdrawn"
    late = api_as(people.solver).post(
        f"/challenges/{challenge.pk}/submissions", {"title": "Too late"}
    )
    assert late.status_code == 409


@pytest.mark.django_db
def test_bad_challenges_are_refused_with_the_field(people, api_as):
    api = api_as(people.seeker)
    now = timezone.now()
    good = {
        "title": "T",
        "statement": "S",
        "kind": "ideation",
        "currency": "EUR",
        "prize_pool": 100,
        "prize_split": [60, 40],
        "opens_at": now.isoformat(),
        "closes_at": (now + timedelta(days=1)).isoformat(),
        "ip_terms": "assign",
        "criteria": [{"name": "Quality", "weight": 2}],
    }
    cases = {
        "prize_split": {"prize_split": [60, 50]},
        "currency": {"currency": "eu1"},
        "unknown currency": {"currency": "XQZ"},
        "closes_at": {"closes_at": (now - timedelta(days=1)).isoformat()},
        "criteria": {"criteria": []},
        "metric": {"kind": "scored", "metric": ""},
        "organization": {"organization": "nope"},
        "judges": {"judges": ["nobody"]},
    }
    for field, change in cases.items():
        response = api.post(f"/spaces/{people.space.slug}/challenges", {**good, **change})
        assert response.status_code == 422, (field, response.content)
        assert response.json()["errors"][0]["field"] == field.split()[-1]
    assert Challenge.objects.count() == 0
    unknown = api.post(f"/spaces/{people.space.slug}/challenges", {**good, "extra": 1})
    assert unknown.status_code == 422
    assert api.post(f"/spaces/{people.space.slug}/challenges", good).status_code == 201


@pytest.mark.django_db
def test_an_organization_posts_through_its_admins(people, make_user, api_as):
    from peerwork.accounts.models import Organization, OrganizationMembership

    org = Organization.objects.create(slug="acme", name="Acme", created_by=people.seeker)
    OrganizationMembership.objects.create(organization=org, user=people.seeker, role="admin")
    colleague = make_user("colleague")
    OrganizationMembership.objects.create(organization=org, user=colleague, role="admin")
    challenge = make_challenge(people, organization="acme")
    assert challenge.organization == org
    body = api_as(colleague).patch(f"/challenges/{challenge.pk}", {"title": "By Acme"})
    assert body.status_code == 200 and body.json()["organization"] == "acme"
    with pytest.raises(Invalid):
        actions.challenge_create(
            user=people.member,
            space=people.space,
            title="x",
            statement="y",
            kind="ideation",
            currency="EUR",
            prize_pool=0,
            prize_split=[0],
            opens_at=timezone.now(),
            closes_at=timezone.now() + timedelta(days=1),
            ip_terms="open",
            criteria=[("A", 1)],
            organization="acme",
        )


@pytest.mark.django_db
def test_close_notice_goes_out_once_and_reveals_nothing(people, time_machine):
    from peerwork.challenges.jobs import close_notices

    challenge = _judged(people)
    actions.submission_create(user=people.solver, challenge=challenge, title="Sealed idea")
    assert close_notices() == 0  # still open
    _close(challenge, time_machine)
    assert close_notices() == 1
    assert close_notices() == 0
    event = challenge.space.events.get(verb="challenge:closed")
    assert "Sealed idea" not in str(event.data) and event.actor is None
    told = set(Notification.objects.filter(event=event).values_list("user__username", flat=True))
    assert told == {"seeker", "judge", "solver"}
