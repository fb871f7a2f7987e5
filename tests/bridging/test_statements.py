# ruff: noqa: F811  (the governance tests' `people` fixture, imported, is each test's parameter)
"""Opinion-map statements join the one bridging model: agree is helpful, disagree is not."""

from __future__ import annotations

from typing import Any

from peerwork.accounts.models import User
from peerwork.bridging import actions as bridging
from peerwork.bridging.kinds import kind_named
from peerwork.bridging.selectors import scores_visible
from peerwork.governance import opinion_actions
from peerwork.spaces.models import SpaceMembership
from tests.governance.conftest import People, people, propose  # noqa: F401  (the fixture)


def _voters(people: People, prefix: str, count: int) -> list[User]:
    voters = [User.objects.create(username=f"{prefix}{n}") for n in range(count)]
    SpaceMembership.objects.bulk_create(
        SpaceMembership(space=people.space, user=v, role="member") for v in voters
    )
    return voters


def test_a_statement_both_camps_agree_with_ranks_above_one_camps_favourite(
    people: People, api_as: Any
) -> None:
    proposal = propose(people)
    a, b = _voters(people, "a", 12), _voters(people, "b", 8)

    def add(text: str) -> Any:
        return opinion_actions.statement_add(user=people.steward, proposal=proposal, text=text)

    camp_a = [add(f"Camp a thinks {n}") for n in range(4)]
    camp_b = [add(f"Camp b thinks {n}") for n in range(4)]
    shared = add("Everyone wants safe streets")
    favourite = add("Camp a's favourite")
    for statement in camp_a:
        for v in a:
            opinion_actions.statement_vote(user=v, statement=statement, vote="agree")
        for v in b:
            opinion_actions.statement_vote(user=v, statement=statement, vote="disagree")
    for statement in camp_b:
        for v in b:
            opinion_actions.statement_vote(user=v, statement=statement, vote="agree")
        for v in a:
            opinion_actions.statement_vote(user=v, statement=statement, vote="disagree")
    for v in a[:5] + b[:5]:
        opinion_actions.statement_vote(user=v, statement=shared, vote="agree")
    for v in a:  # more agreement, all of it from one side
        opinion_actions.statement_vote(user=v, statement=favourite, vote="agree")
    for v in b[:3]:
        opinion_actions.statement_vote(user=v, statement=favourite, vote="pass")

    bridging.space_refit(user=people.steward, space=people.space)
    scores = {
        row.object_id: row.intercept
        for row in scores_visible(user=people.ada, space=people.space, kind=kind_named("statement"))
    }
    assert scores[shared.pk] > scores[favourite.pk]
    # Outsiders of a members-only proposal space see no statement scores: the view rule holds.
    listed = api_as(people.ada).get("/spaces/town/bridging/scores?kind=statement")
    assert listed.status_code == 200
    assert {row["object_id"] for row in listed.json()} >= {shared.pk, favourite.pk}


def test_statement_votes_are_no_evidence_of_coordination(people: People) -> None:
    proposal = propose(people)
    voters = _voters(people, "v", 6)
    statements = [
        opinion_actions.statement_add(user=people.steward, proposal=proposal, text=f"Point {n}")
        for n in range(6)
    ]
    for statement in statements:  # one sitting, everyone agreeing within seconds
        for v in voters:
            opinion_actions.statement_vote(user=v, statement=statement, vote="agree")
    assert bridging.coordination_detect(space=people.space) == []
