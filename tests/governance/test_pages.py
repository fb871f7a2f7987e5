"""The decision pages without JavaScript: the proposal form, a ballot form for every method,
the delegation page; and the API's refusals as problems."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from peerwork.governance import actions
from peerwork.governance.models import Ballot, Delegation, Proposal

from .conftest import close, propose

pytestmark = pytest.mark.django_db


def _client(user=None, language="en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        client.force_login(user)
    return client


def _url(proposal: Proposal, tail: str = "") -> str:
    return f"/s/{proposal.space.slug}/decisions/{proposal.pk}/{tail}"


def test_a_proposal_is_opened_through_the_form_and_listed(people):
    client = _client(people.ada)
    assert client.get("/s/town/decisions/new").status_code == 200
    made = client.post(
        "/s/town/decisions/new",
        {
            "title": "Paint the bridge",
            "body": "Which **colour**?",
            "method": "irv",
            "options": "Red\nBlue\nGreen",
            "tags": "Bridges, paint",
            "days": "3",
            "quorum_percent": "20",
            "currency": "EUR",
        },
    )
    assert made.status_code == 302, made.content.decode()[:3000]
    proposal = Proposal.objects.get()
    assert proposal.method == "irv" and proposal.tags == ["bridges", "paint"]
    assert [o.label for o in proposal.options.all()] == ["Red", "Blue", "Green"]
    assert proposal.quorum_percent == 20
    listed = client.get("/s/town/decisions/").content.decode()
    assert "Paint the bridge" in listed and "Voting now" in listed


@pytest.mark.parametrize(
    ("fields", "field_error"),
    [
        ({"method": "budget", "options": "Benches | lots"}, "Write each cost as an amount"),
        ({"method": "majority", "options": "Only one"}, "at least 2"),
        ({"method": "consent", "policy_change": "{not json"}, "not valid JSON"),
        ({"method": "consent", "policy_change": '{"tasks": {"claim_days": 0}}'}, "claim_days"),
    ],
)
def test_a_proposal_form_with_a_mistake_says_what_and_opens_nothing(people, fields, field_error):
    page = _client(people.ada).post(
        "/s/town/decisions/new", {"title": "Broken", "currency": "EUR", **fields}
    )
    assert page.status_code in (400, 422)
    assert field_error in page.content.decode()
    assert not Proposal.objects.exists()


BALLOTS = [
    (
        "consent",
        {"position": "object", "reason": "Too loud."},
        {"position": "object", "reason": "Too loud."},
    ),
    ("majority", {"choice": "b"}, {"choice": "b"}),
    ("majority", {"choice": "abstain"}, {"abstain": True}),
    ("approval", {"approve": ["a", "c"]}, {"approve": ["a", "c"]}),
    ("score", {"score-a": "4", "score-b": "0", "score-c": ""}, {"scores": {"a": 4, "b": 0}}),
    ("dot", {"dots-a": "7", "dots-b": "3", "dots-c": ""}, {"dots": {"a": 7, "b": 3}}),
    ("quadratic", {"votes-a": "-3", "votes-b": "2"}, {"votes": {"a": -3, "b": 2}}),
    (
        "time_poll",
        {"slot-a": "yes", "slot-b": "maybe", "slot-c": "no"},
        {"slots": {"a": "yes", "b": "maybe", "c": "no"}},
    ),
    ("irv", {"rank-a": "2", "rank-b": "", "rank-c": "1"}, {"ranking": [["c"], ["a"]]}),
]


@pytest.mark.parametrize(("method", "form", "stored"), BALLOTS)
def test_every_ballot_form_casts_the_ballot_the_method_reads(people, method, form, stored):
    proposal = propose(people, method)
    client = _client(people.grace)
    page = client.get(_url(proposal)).content.decode()
    assert 'class="stacked ballot"' in page
    voted = client.post(_url(proposal, "vote"), form)
    assert voted.status_code == 302
    after = client.get(voted["Location"]).content.decode()
    ballot = Ballot.objects.get(proposal=proposal, voter=people.grace)
    assert ballot.choice == stored, after[:3000]
    assert ballot.receipt in after


def test_a_budget_ballot_form_and_an_overspent_one(people):
    proposal = propose(
        people,
        "budget",
        options=[
            {"label": "Benches", "cost": 400},
            {"label": "Trees", "cost": 500},
            {"label": "Lights", "cost": 300},
        ],
        settings={"budget": 1000},
    )
    client = _client(people.grace)
    over = client.post(_url(proposal, "vote"), {"projects": ["a", "b", "c"]}, follow=True)
    assert "budget" in over.content.decode().lower() and not Ballot.objects.exists()
    client.post(_url(proposal, "vote"), {"projects": ["a", "b"]})
    assert Ballot.objects.get().choice == {"projects": ["a", "b"]}


def test_a_refused_ballot_shows_why_and_keeps_the_earlier_one(people):
    proposal = propose(people)
    client = _client(people.grace)
    client.post(_url(proposal, "vote"), {"position": "consent"})
    refused = client.post(_url(proposal, "vote"), {"position": "object", "reason": ""}, follow=True)
    text = refused.content.decode()
    assert "reason" in text.lower()
    assert Ballot.objects.get().choice["position"] == "consent"


def test_the_closed_ranked_proposal_shows_its_rounds_in_both_languages(people):
    proposal = propose(people, "irv", options=["Ana", "Bo", "Cy"])
    for user, ranking in [
        (people.ada, [["a"], ["b"]]),
        (people.grace, [["a"]]),
        (people.linus, [["b"], ["a"]]),
        (people.ostrom, [["c"], ["b"]]),
        (people.steward, [["b"], ["c"]]),
    ]:
        actions.ballot_cast(user=user, proposal=proposal, ballot={"ranking": ranking})
    close(proposal)
    english = _client(people.ada).get(_url(proposal)).content.decode()
    assert "Round 1" in english and "Round 2" in english and "Passed." in english
    spanish = _client(people.ada, "es").get(_url(proposal))
    assert spanish.status_code == 200
    anonymous = _client().get(_url(proposal)).content.decode()
    assert "Round 2" in anonymous


def test_the_delegation_page_delegates_refuses_a_stranger_and_takes_back(people):
    client = _client(people.linus)
    assert (
        client.post(
            "/s/town/decisions/delegation", {"delegate": "ada", "topic": "Parks"}
        ).status_code
        == 302
    )
    assert Delegation.objects.get(revoked_at__isnull=True).topic == "parks"
    page = client.get("/s/town/decisions/delegation").content.decode()
    assert "ada" in page and "parks" in page
    stranger = client.post("/s/town/decisions/delegation", {"delegate": "outsider"})
    assert stranger.status_code == 422 and "not a member" in stranger.content.decode()
    nobody = client.post("/s/town/decisions/delegation", {"delegate": "nobody-here"})
    assert nobody.status_code == 422 and "no one called" in nobody.content.decode()
    client.post("/s/town/decisions/delegation/revoke", {"topic": "parks"})
    assert not Delegation.objects.filter(revoked_at__isnull=True).exists()


def test_the_api_answers_refusals_as_problems_and_writes_nothing(people, api_as):
    ada = api_as(people.ada)
    made = ada.post(
        "/spaces/town/proposals",
        {"title": "Night buses", "method": "approval", "options": [{"label": "A"}, {"label": "B"}]},
    )
    assert made.status_code == 201, made.content
    pid = made.json()["id"]
    unknown = ada.post("/spaces/town/proposals", {"title": "X", "method": "borda"})
    assert unknown.status_code == 422 and unknown.json()["type"] == "/problems/validation"
    assert "borda" in unknown.json()["detail"]
    bad = ada.put(f"/spaces/town/proposals/{pid}/ballot", {"ballot": {"approve": ["z"]}})
    assert bad.status_code == 422 and bad.json()["type"] == "/problems/validation"
    hidden = ada.get(f"/spaces/town/proposals/{pid}/ballots")
    assert hidden.status_code == 409 and hidden.json()["type"] == "/problems/conflict"
    outsider = api_as(people.outsider).put(
        f"/spaces/town/proposals/{pid}/ballot", {"ballot": {"approve": ["a"]}}
    )
    assert outsider.status_code == 403
    good = ada.put(f"/spaces/town/proposals/{pid}/ballot", {"ballot": {"approve": ["a"]}})
    assert good.status_code == 200 and len(good.json()["receipt"]) == 16
    assert Ballot.objects.count() == 1
    mine = ada.get(f"/spaces/town/proposals/{pid}/ballot").json()
    assert mine["ballot"]["receipt"] == good.json()["receipt"] and mine["vote"]["direct"]
    proposal = Proposal.objects.get(pk=pid)
    close(proposal)
    import time_machine
    from django.utils import timezone

    with time_machine.travel(proposal.closes_at + timedelta(hours=1)):
        late = ada.put(f"/spaces/town/proposals/{pid}/ballot", {"ballot": {"approve": ["b"]}})
    assert late.status_code == 409 and Ballot.objects.get().choice == {"approve": ["a"]}
    shown = ada.get(f"/spaces/town/proposals/{pid}").json()
    assert shown["result"]["winners"] == ["a"] and shown["result_final"]
    ballots = ada.get(f"/spaces/town/proposals/{pid}/ballots").json()["items"]
    assert ballots == [
        {"voter": "ada", "receipt": None, "choice": {"approve": ["a"]}, "weight": 1, "carries": []}
    ]
    assert timezone.now()
