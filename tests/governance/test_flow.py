"""Proposals from opening to stored result: eligibility, ballots, methods, quorum, delegation
and the changes a passed proposal applies."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from peerwork.activity.models import Event
from peerwork.core.errors import Conflict, Forbidden, Invalid, NotFound
from peerwork.governance import actions, jobs
from peerwork.governance.models import Ballot, Proposal, Result
from peerwork.governance.selectors import vote_of
from peerwork.spaces.models import Space, SpaceMembership

from .conftest import close, execute, propose

pytestmark = pytest.mark.django_db


def test_consent_passes_without_objection_and_fails_with_one(people):
    calm = propose(people)
    for member in people.members:
        actions.ballot_cast(user=member, proposal=calm, ballot={"position": "consent"})
    calm = close(calm)
    assert calm.state == "closed" and calm.result.passed
    assert calm.result.counted == 4 and calm.result.eligible == 5

    blocked = propose(people, title="Sell the library")
    actions.ballot_cast(user=people.ada, proposal=blocked, ballot={"position": "consent"})
    actions.ballot_cast(
        user=people.grace,
        proposal=blocked,
        ballot={"position": "object", "reason": "It is the only one in town."},
    )
    blocked = close(blocked)
    assert not blocked.result.passed
    assert blocked.result.tally["objections"] == [
        {"reason": "It is the only one in town.", "weight": 1}
    ]
    closed = Event.objects.filter(verb="proposal:closed", target_id=str(blocked.pk)).get()
    assert closed.data["passed"] is False


def test_an_objection_needs_a_reason_and_a_refused_ballot_writes_nothing(people):
    proposal = propose(people)
    with pytest.raises(Invalid) as refused:
        actions.ballot_cast(user=people.ada, proposal=proposal, ballot={"position": "object"})
    assert refused.value.field == "ballot"
    assert not Ballot.objects.exists()
    assert not Event.objects.filter(verb="proposal:voted").exists()


@pytest.mark.parametrize(
    ("method", "ballot"),
    [
        ("majority", {"choice": "zz"}),
        ("approval", {"approve": ["a", "zz"]}),
        ("score", {"scores": {"a": 9}}),
        ("dot", {"dots": {"a": 11}}),
        ("quadratic", {"votes": {"a": 11}}),
        ("irv", {"ranking": [["a"], [], [], ["b"]]}),
        ("irv", {"ranking": [["zz"]]}),
        ("irv", {"ranking": []}),
        ("budget", {"projects": ["a", "b", "c"]}),
    ],
)
def test_each_class_of_bad_ballot_is_refused_with_nothing_written(people, method, ballot):
    extra = {}
    if method == "budget":
        extra = {
            "options": [
                {"label": "Benches", "cost": 400},
                {"label": "Trees", "cost": 500},
                {"label": "Lights", "cost": 300},
            ],
            "settings": {"budget": 1000},
        }
    proposal = propose(people, method, **extra)
    with pytest.raises(Invalid):
        actions.ballot_cast(user=people.ada, proposal=proposal, ballot=ballot)
    assert not Ballot.objects.filter(proposal=proposal).exists()


def test_only_eligible_people_vote_and_only_while_voting_is_open(people):
    proposal = propose(people, eligibility="steward")
    with pytest.raises(Forbidden):
        actions.ballot_cast(user=people.ada, proposal=proposal, ballot={"position": "consent"})
    with pytest.raises((Forbidden, NotFound)):
        actions.ballot_cast(user=people.outsider, proposal=proposal, ballot={"position": "consent"})
    later = propose(
        people,
        opens_at=timezone.now() + timedelta(days=1),
        closes_at=timezone.now() + timedelta(days=3),
    )
    with pytest.raises(Conflict):
        actions.ballot_cast(user=people.ada, proposal=later, ballot={"position": "consent"})
    with time_machine.travel(proposal.closes_at + timedelta(minutes=1), tick=False):
        with pytest.raises(Conflict):
            actions.ballot_cast(
                user=people.steward, proposal=proposal, ballot={"position": "consent"}
            )
    assert not Ballot.objects.exists()


def test_changing_a_ballot_replaces_it_with_a_new_receipt(people):
    proposal = propose(people, "majority")
    first = actions.ballot_cast(user=people.ada, proposal=proposal, ballot={"choice": "a"})
    second = actions.ballot_cast(user=people.ada, proposal=proposal, ballot={"choice": "b"})
    assert Ballot.objects.filter(proposal=proposal).count() == 1
    assert second.receipt != first.receipt
    proposal = close(proposal)
    assert proposal.result.tally["counts"] == {"a": 0, "b": 1}


def test_the_quorum_counts_delegated_votes_and_an_unmet_quorum_does_not_pass(people):
    proposal = propose(people, "majority", quorum_percent=60)
    actions.ballot_cast(user=people.ada, proposal=proposal, ballot={"choice": "a"})
    actions.ballot_cast(user=people.grace, proposal=proposal, ballot={"choice": "a"})
    unmet = close(proposal)
    assert not unmet.result.quorum_met and not unmet.result.passed and unmet.result.winners == []

    actions.delegation_set(user=people.linus, space=people.space, delegate=people.ada)
    again = propose(people, "majority", quorum_percent=60)
    actions.ballot_cast(user=people.ada, proposal=again, ballot={"choice": "a"})
    actions.ballot_cast(user=people.grace, proposal=again, ballot={"choice": "a"})
    met = close(again)
    assert met.result.counted == 3 and met.result.quorum_met and met.result.passed


def test_delegation_is_transitive_overridden_by_a_direct_ballot_and_shown_to_the_voter(people):
    space = people.space
    actions.delegation_set(user=people.linus, space=space, delegate=people.grace)
    actions.delegation_set(user=people.grace, space=space, delegate=people.ada)
    proposal = propose(people, "majority")
    actions.ballot_cast(user=people.ada, proposal=proposal, ballot={"choice": "a"})
    mine = vote_of(people.linus, proposal)
    assert mine is not None and [p.username for p in mine.via] == ["grace", "ada"]
    actions.ballot_cast(user=people.grace, proposal=proposal, ballot={"choice": "b"})
    assert [p.username for p in vote_of(people.linus, proposal).via] == ["grace"]
    proposal = close(proposal)
    ballots = {b.voter.username: b for b in Ballot.objects.filter(proposal=proposal)}
    assert ballots["ada"].weight == 1
    assert ballots["grace"].weight == 2 and ballots["grace"].carries == [people.linus.pk]
    assert proposal.result.tally["counts"] == {"a": 1, "b": 2}


def test_a_topic_delegation_wins_over_the_space_wide_one_and_a_cycle_casts_nothing(people):
    space = people.space
    actions.delegation_set(user=people.linus, space=space, delegate=people.ada)
    actions.delegation_set(user=people.linus, space=space, delegate=people.grace, topic="Parks")
    parks = propose(people, "majority", tags=["parks"])
    roads = propose(people, "majority", tags=["roads"])
    for proposal in (parks, roads):
        actions.ballot_cast(user=people.ada, proposal=proposal, ballot={"choice": "a"})
        actions.ballot_cast(user=people.grace, proposal=proposal, ballot={"choice": "b"})
    assert close(parks).result.tally["counts"] == {"a": 1, "b": 2}
    assert close(roads).result.tally["counts"] == {"a": 2, "b": 1}

    actions.delegation_set(user=people.ostrom, space=space, delegate=people.steward)
    actions.delegation_set(user=people.steward, space=space, delegate=people.ostrom)
    loop = propose(people, "majority")
    actions.ballot_cast(user=people.ada, proposal=loop, ballot={"choice": "a"})
    assert vote_of(people.ostrom, loop).lost == "cycle"
    assert close(loop).result.counted == 2  # ada, and linus through ada; the loop casts nothing


def test_a_revoked_delegation_no_longer_counts(people):
    actions.delegation_set(user=people.linus, space=people.space, delegate=people.ada)
    proposal = propose(people, "majority")
    actions.ballot_cast(user=people.ada, proposal=proposal, ballot={"choice": "a"})
    assert actions.delegation_revoke(user=people.linus, space=people.space)
    assert not actions.delegation_revoke(user=people.linus, space=people.space)
    assert close(proposal).result.counted == 1
    with pytest.raises(Invalid):
        actions.delegation_set(user=people.linus, space=people.space, delegate=people.outsider)
    with pytest.raises(Invalid):
        actions.delegation_set(user=people.linus, space=people.space, delegate=people.linus)


def test_ranked_choice_closes_with_its_rounds(people):
    proposal = propose(people, "irv", options=["Ana", "Bo", "Cy"])
    rankings = {
        "ada": [["a"], ["b"]],
        "grace": [["a"]],
        "linus": [["b"], ["a"]],
        "ostrom": [["c"], ["b"]],
        "stew": [["b"], ["c"]],
    }
    for user in [people.ada, people.grace, people.linus, people.ostrom, people.steward]:
        actions.ballot_cast(
            user=user, proposal=proposal, ballot={"ranking": rankings[user.username]}
        )
    proposal = close(proposal)
    rounds = proposal.result.tally["rounds"]
    assert len(rounds) == 2 and rounds[0]["eliminated"] == ["c"]
    assert proposal.result.winners == ["b"]


def test_a_policy_change_is_checked_at_opening_and_applied_when_it_passes(people):
    with pytest.raises(Invalid):
        propose(people, changes={"policy": {"tasks": {"claim_days": "soon"}}})
    assert not Proposal.objects.exists()
    proposal = propose(
        people,
        changes={"policy": {"tasks": {"claim_days": 21}}, "tasks": [{"title": "Buy shelves"}]},
    )
    for member in people.members:
        actions.ballot_cast(user=member, proposal=proposal, ballot={"position": "consent"})
    proposal = close(proposal)
    assert proposal.execution == "waiting"
    assert execute(proposal)
    proposal.refresh_from_db()
    space = Space.objects.get(pk=people.space.pk)
    assert space.policy["tasks"]["claim_days"] == 21
    assert proposal.execution == "applied"
    kinds = [entry["kind"] for entry in proposal.execution_log]
    assert kinds == ["policy", "task"]
    from peerwork.tasks.models import Task

    task = Task.objects.get(pk=proposal.execution_log[1]["id"])
    assert f"/s/town/decisions/{proposal.pk}/" in task.description  # the task links back
    assert not execute(proposal)  # once


def test_a_timelock_delays_the_changes_and_a_failed_proposal_changes_nothing(people):
    from peerwork.spaces import actions as spaces

    spaces.space_policy_update(
        user=people.steward, space=people.space, document={"governance": {"timelock_hours": 48}}
    )
    proposal = propose(people, changes={"policy": {"tasks": {"claim_days": 30}}})
    actions.ballot_cast(user=people.ada, proposal=proposal, ballot={"position": "consent"})
    proposal = close(proposal)
    assert proposal.execute_after >= proposal.closed_at + timedelta(hours=48)
    with time_machine.travel(proposal.closed_at + timedelta(hours=47), tick=False):
        assert jobs.sweep() == 0
    with time_machine.travel(proposal.closed_at + timedelta(hours=49), tick=False):
        assert jobs.sweep() == 1
    assert Space.objects.get(pk=people.space.pk).policy["tasks"]["claim_days"] == 30

    refused = propose(people, changes={"policy": {"tasks": {"claim_days": 40}}})
    actions.ballot_cast(
        user=people.ada, proposal=refused, ballot={"position": "object", "reason": "No."}
    )
    refused = close(refused)
    assert refused.execution == "not_passed"
    assert Space.objects.get(pk=people.space.pk).policy["tasks"]["claim_days"] == 30


def test_a_budget_vote_reserves_its_winners_costs_in_the_ledger(people):
    from peerwork.ledger import actions as ledger
    from peerwork.ledger.actions import reserved

    ledger.treasury_fund(
        space=people.space,
        actor=people.steward,
        amount=5000,
        currency="EUR",
        key="fund-1",
        memo="Grant",
    )
    proposal = propose(
        people,
        "budget",
        options=[
            {"label": "Benches", "cost": 400},
            {"label": "Trees", "cost": 500},
            {"label": "Lights", "cost": 300},
        ],
        settings={"budget": 1000, "rule": "greedy"},
        changes={"reserve": {"currency": "EUR"}},
    )
    for member, projects in zip(
        people.members, [["a", "b"], ["a", "b"], ["b", "c"], ["a", "c"]], strict=True
    ):
        actions.ballot_cast(user=member, proposal=proposal, ballot={"projects": projects})
    proposal = close(proposal)
    assert set(proposal.result.winners) == {"a", "b"}
    assert execute(proposal)
    assert reserved(people.space, proposal) == {"EUR": 900}


def test_only_stewards_put_money_to_a_vote_and_secret_results_cannot_be_live(people):
    with pytest.raises(Forbidden):
        propose(
            people,
            "budget",
            by=people.ada,
            options=[{"label": "Benches", "cost": 400}, {"label": "Trees", "cost": 500}],
            settings={"budget": 1000},
            changes={"reserve": {"currency": "EUR"}},
        )
    with pytest.raises(Invalid):
        propose(people, secret=True, live_results=True)
    assert not Proposal.objects.exists()


def test_a_member_who_leaves_before_the_close_is_not_counted(people):
    proposal = propose(people, "majority")
    actions.ballot_cast(user=people.ada, proposal=proposal, ballot={"choice": "a"})
    actions.ballot_cast(user=people.grace, proposal=proposal, ballot={"choice": "b"})
    SpaceMembership.objects.filter(space=people.space, user=people.ada).delete()
    proposal = close(proposal)
    assert proposal.result.tally["counts"] == {"a": 0, "b": 1}
    assert Ballot.objects.get(voter=people.ada).weight == 0


def test_the_close_is_idempotent_and_waits_for_its_time(people):
    proposal = propose(people)
    assert not actions.proposal_close(proposal_id=proposal.pk)
    close(proposal)
    with time_machine.travel(proposal.closes_at + timedelta(days=1), tick=False):
        assert not actions.proposal_close(proposal_id=proposal.pk)
    assert Result.objects.count() == 1


def test_a_secret_ballot_leaves_no_voter_in_the_log(people):
    proposal = propose(people, "majority", secret=True)
    actions.ballot_cast(user=people.ada, proposal=proposal, ballot={"choice": "a"})
    voted = Event.objects.get(verb="proposal:voted")
    assert voted.actor is None and voted.data == {}
    public = propose(people, "majority")
    actions.ballot_cast(user=people.ada, proposal=public, ballot={"choice": "a"})
    assert Event.objects.filter(verb="proposal:voted", actor=people.ada).count() == 1


def test_a_policy_change_keeps_the_other_keys_of_its_section(people):
    from peerwork.spaces import actions as spaces

    spaces.space_policy_update(
        user=people.steward, space=people.space, document={"tasks": {"max_claims_per_person": 3}}
    )
    proposal = propose(people, changes={"policy": {"tasks": {"claim_days": 21}}})
    actions.ballot_cast(user=people.ada, proposal=proposal, ballot={"position": "consent"})
    assert execute(close(proposal))
    tasks = Space.objects.get(pk=people.space.pk).policy["tasks"]
    assert tasks["claim_days"] == 21 and tasks["max_claims_per_person"] == 3


def test_with_delegation_turned_off_delegations_count_for_nothing_and_can_be_taken_back(people):
    from peerwork.spaces import actions as spaces

    actions.delegation_set(user=people.linus, space=people.space, delegate=people.ada)
    people.space = spaces.space_policy_update(
        user=people.steward, space=people.space, document={"governance": {"delegation": False}}
    )
    with pytest.raises(Forbidden):
        actions.delegation_set(user=people.grace, space=people.space, delegate=people.ada)
    proposal = propose(people, "majority")
    actions.ballot_cast(user=people.ada, proposal=proposal, ballot={"choice": "a"})
    assert close(proposal).result.counted == 1
    assert actions.delegation_revoke(user=people.linus, space=people.space)


def test_a_policy_with_an_unknown_default_method_is_refused(people):
    from peerwork.spaces import actions as spaces

    with pytest.raises(Invalid, match="default_method"):
        spaces.space_policy_update(
            user=people.steward,
            space=people.space,
            document={"governance": {"default_method": "borda"}},
        )
    with pytest.raises(Invalid, match="supermajority"):
        spaces.space_policy_update(
            user=people.steward,
            space=people.space,
            document={"governance": {"supermajority": "1/3"}},
        )
