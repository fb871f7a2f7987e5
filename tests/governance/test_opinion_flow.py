"""Opinion maps through their faces: actions, REST API, pages (English and Spanish), the job
that computes the map, the open-data dump that recomputes it, and the draft from consensus."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from peerwork.accounts.models import User
from peerwork.activity.models import Event
from peerwork.core.errors import Conflict, Forbidden, Invalid, NotFound
from peerwork.governance import opinion_actions as actions
from peerwork.governance.models import OpinionMap, Proposal, Statement, StatementVote
from peerwork.governance.opinion_dump import recompute
from peerwork.interop.dumps.jsonl import open_data
from peerwork.spaces.models import Space, SpaceMembership
from tests.conftest import scheduled_jobs
from tests.governance.conftest import People, close, propose
from tests.governance.opinion_synthetic import planted

pytestmark = pytest.mark.django_db


def _camps(people: People, proposal: Proposal, camps: int = 2, per_camp: int = 12) -> Any:
    """Statements from the members, votes from generated voters in planted camps."""
    data = planted(camps, per_camp=per_camp, statements_per_camp=4, shared=2, seed=3)
    authors = people.members
    statements = [
        actions.statement_add(
            user=authors[i % len(authors)],
            proposal=proposal,
            text=f"Statement {i} (camp {data.statement_camp[i]})",
        )
        for i in data.votes.statements
    ]
    voters = User.objects.bulk_create(
        User(username=f"voter{i}", password="!") for i in range(len(data.camp_of))
    )
    SpaceMembership.objects.bulk_create(
        SpaceMembership(space=people.space, user=v, role="member") for v in voters
    )
    StatementVote.objects.bulk_create(
        StatementVote(
            statement=statements[column], proposal=proposal, voter=voters[row], value=value
        )
        for row, column, value in data.votes.cells
    )
    return data, statements, voters


def _computed(proposal: Proposal) -> OpinionMap:
    computed = actions.opinion_map_compute(proposal_id=proposal.pk)
    assert computed is not None
    return computed


# ---- statements and votes -------------------------------------------------------------------


def test_adding_a_statement_counts_its_author_as_agreeing(people: People) -> None:
    proposal = propose(people)
    statement = actions.statement_add(
        user=people.ada, proposal=proposal, text="  The library   opens at ten. "
    )
    assert statement.text == "The library opens at ten."
    vote = StatementVote.objects.get(statement=statement)
    assert (vote.voter, vote.value) == (people.ada, StatementVote.AGREE)
    event = Event.objects.get(verb="statement:added")
    assert event.actor == people.ada and event.data["proposal"] == proposal.pk
    assert OpinionMap.objects.get(proposal=proposal).changes == 1


@pytest.mark.parametrize(
    ("text", "error"),
    [("", Invalid), ("x" * 281, Invalid), ("the library opens at TEN.", Invalid)],
)
def test_a_bad_statement_is_refused_and_nothing_is_written(
    people: People, text: str, error: type
) -> None:
    proposal = propose(people)
    actions.statement_add(user=people.ada, proposal=proposal, text="The library opens at ten.")
    with pytest.raises(error):
        actions.statement_add(user=people.grace, proposal=proposal, text=text)
    assert Statement.objects.filter(proposal=proposal).count() == 1
    assert StatementVote.objects.filter(proposal=proposal).count() == 1


def test_a_closed_proposal_takes_no_statements_nor_votes(people: People) -> None:
    proposal = propose(people)
    statement = actions.statement_add(user=people.ada, proposal=proposal, text="Open at ten.")
    close(proposal)
    with pytest.raises(Conflict):
        actions.statement_add(user=people.ada, proposal=proposal, text="Open at nine.")
    with pytest.raises(Conflict):
        actions.statement_vote(user=people.grace, statement=statement, vote="agree")
    assert StatementVote.objects.filter(proposal=proposal).count() == 1


def test_outsiders_of_a_members_space_neither_add_nor_vote(people: People) -> None:
    Space.objects.filter(pk=people.space.pk).update(participation="members")
    people.space.refresh_from_db()
    proposal = propose(people)
    statement = actions.statement_add(user=people.ada, proposal=proposal, text="Open at ten.")
    with pytest.raises(Forbidden):
        actions.statement_add(user=people.outsider, proposal=proposal, text="Open at nine.")
    with pytest.raises(Forbidden):
        actions.statement_vote(user=people.outsider, statement=statement, vote="agree")
    assert Statement.objects.filter(proposal=proposal).count() == 1
    assert StatementVote.objects.filter(proposal=proposal).count() == 1


def test_a_vote_is_one_per_person_and_changeable(people: People) -> None:
    proposal = propose(people)
    statement = actions.statement_add(user=people.ada, proposal=proposal, text="Open at ten.")
    actions.statement_vote(user=people.grace, statement=statement, vote="disagree")
    actions.statement_vote(user=people.grace, statement=statement, vote="pass")
    votes = StatementVote.objects.filter(statement=statement, voter=people.grace)
    assert [v.value for v in votes] == [0]
    with pytest.raises(Invalid):
        actions.statement_vote(user=people.grace, statement=statement, vote="maybe")
    # The vote's event names nobody: the map is anonymous.
    assert {e.actor_id for e in Event.objects.filter(verb="statement:voted")} == {None}


def test_a_burst_of_votes_schedules_one_computation(
    people: People, django_capture_on_commit_callbacks: Any
) -> None:
    proposal = propose(people)
    statement = actions.statement_add(user=people.ada, proposal=proposal, text="Open at ten.")
    _computed(proposal)
    with django_capture_on_commit_callbacks() as callbacks:
        for person in (people.grace, people.linus, people.ostrom):
            actions.statement_vote(user=person, statement=statement, vote="agree")
    assert len(scheduled_jobs(callbacks)) == 1
    cached = OpinionMap.objects.get(proposal=proposal)
    assert cached.scheduled_at is not None and cached.is_outdated
    computed = _computed(proposal)
    assert computed.scheduled_at is None and not computed.is_outdated
    assert computed.vote_count == 4


def test_stewards_hide_a_statement_with_a_logged_reason(people: People) -> None:
    proposal = propose(people)
    statement = actions.statement_add(user=people.ada, proposal=proposal, text="Open at ten.")
    with pytest.raises(Forbidden):
        actions.statement_hide(user=people.grace, statement=statement, reason="No.")
    with pytest.raises(Invalid):
        actions.statement_hide(user=people.steward, statement=statement, reason="")
    assert not Statement.objects.get(pk=statement.pk).is_hidden
    actions.statement_hide(user=people.steward, statement=statement, reason="Off topic.")
    assert Statement.objects.get(pk=statement.pk).is_hidden
    event = Event.objects.get(verb="statement:hidden")
    assert (event.actor, event.data["reason"]) == (people.steward, "Off topic.")
    with pytest.raises(Conflict):
        actions.statement_vote(user=people.grace, statement=statement, vote="agree")
    actions.statement_hide(user=people.steward, statement=statement, hidden=False)
    assert Event.objects.filter(verb="statement:shown").count() == 1


def test_a_statement_changes_only_until_someone_else_votes(people: People) -> None:
    proposal = propose(people)
    statement = actions.statement_add(user=people.ada, proposal=proposal, text="Open at ten.")
    with pytest.raises(Forbidden):
        actions.statement_edit(user=people.grace, statement=statement, text="Open at nine.")
    actions.statement_edit(user=people.ada, statement=statement, text="Open at nine.")
    actions.statement_vote(user=people.grace, statement=statement, vote="agree")
    with pytest.raises(Conflict):
        actions.statement_edit(user=people.ada, statement=statement, text="Open at eight.")
    with pytest.raises(Conflict):
        actions.statement_withdraw(user=people.ada, statement=statement)
    assert Statement.objects.get(pk=statement.pk).text == "Open at nine."


# ---- the map ---------------------------------------------------------------------------------


def test_the_job_maps_planted_camps_with_their_representatives_and_consensus(
    people: People,
) -> None:
    proposal = propose(people)
    data, statements, voters = _camps(people, proposal, camps=3)
    document = _computed(proposal).document
    assert document["k"] == 3
    shared = {statements[i].pk for i, camp in data.statement_camp.items() if camp == -1}
    assert {row["statement"] for row in document["consensus"]} == shared
    camp_of_statement = {statements[i].pk: c for i, c in data.statement_camp.items()}
    for group in document["groups"]:
        agreed = {
            camp_of_statement[r["statement"]]
            for r in group["representatives"]
            if r["kind"] == "agree"
        }
        assert len(agreed) == 1 and -1 not in agreed


def test_the_map_names_participants_by_number_only(people: People, api_as: Any) -> None:
    proposal = propose(people)
    data, statements, voters = _camps(people, proposal)
    actions.statement_vote(user=people.steward, statement=statements[0], vote="agree")
    _computed(proposal)
    answer = api_as(people.steward).get(f"/spaces/town/proposals/{proposal.pk}/opinion-map")
    assert answer.status_code == 200
    body = answer.json()
    assert body["k"] == 2 and not body["outdated"]
    cast = [sum(1 for row, _c, _v in data.votes.cells if row == r) for r in range(len(voters))]
    assert len(body["points"]) == body["placed"] == sum(1 for n in cast if n >= 7)
    text = json.dumps(body)
    assert "voter" not in text and "stew" not in text and "members" not in text
    numbers = {p["participant"] for p in body["points"]}
    assert numbers <= set(range(1, len(voters) + len(people.members) + 2))
    # The steward voted once: numbered, but not placed (too few votes).
    assert body["you"] is not None and body["you"] not in numbers
    group = body["groups"][0]
    assert set(group) == {"label", "name", "size", "center", "representatives"}


def test_the_map_is_recomputed_from_the_dump(people: People) -> None:
    proposal = propose(people)
    data, statements, _voters = _camps(people, proposal, camps=3)
    actions.statement_hide(user=people.steward, statement=statements[0], reason="Duplicate.")
    _computed(proposal)
    actions.statement_vote(user=people.ada, statement=statements[1], vote="disagree")
    stored = _computed(proposal).document  # a second computation: labels from the first
    assert stored["previous"]["k"] == 3
    lines = list(open_data(people.space))
    records = [json.loads(line) for line in lines]
    hidden = [r for r in records if r.get("type") == "opinion_statement" and r["hidden"]]
    assert [(r["id"], r["text"]) for r in hidden] == [(statements[0].pk, "")]
    votes = [r for r in records if r.get("type") == "opinion_vote"]
    assert votes and all(isinstance(r["participant"], int) for r in votes)
    assert "voter0" not in "".join(lines)
    result = recompute(lines, proposal.pk)
    assert result.matches
    # A changed vote in the dump changes the map: the check can fail.
    changed = [
        line.replace('"vote": "agree"', '"vote": "disagree"') if '"opinion_vote"' in line else line
        for line in lines
    ]
    assert not recompute(changed, proposal.pk).matches


# ---- the draft from consensus ---------------------------------------------------------------


def test_a_draft_from_consensus_cites_its_statements(people: People, api_as: Any) -> None:
    proposal = propose(people)
    data, statements, _voters = _camps(people, proposal)
    _computed(proposal)
    shared = [statements[i].pk for i, camp in data.statement_camp.items() if camp == -1]
    answer = api_as(people.ada).post(
        f"/spaces/town/proposals/{proposal.pk}/opinion-map/draft",
        {"statements": shared, "title": "What we agree on"},
    )
    assert answer.status_code == 201, answer.content
    draft = Proposal.objects.get(pk=answer.json()["id"])
    assert (draft.title, draft.method, draft.created_by) == (
        "What we agree on",
        "consent",
        people.ada,
    )
    for number, pk in enumerate(shared, start=1):
        text = Statement.objects.get(pk=pk).text
        link = f"/s/town/decisions/{proposal.pk}/opinion#statement-{pk}"
        assert f"{number}. {text} ([statement {pk}]({link}))" in draft.body


def test_a_draft_refuses_statements_of_another_map(people: People, api_as: Any) -> None:
    proposal = propose(people)
    other = propose(people, title="Another question")
    foreign = actions.statement_add(user=people.ada, proposal=other, text="Elsewhere.")
    before = Proposal.objects.count()
    answer = api_as(people.ada).post(
        f"/spaces/town/proposals/{proposal.pk}/opinion-map/draft",
        {"statements": [foreign.pk]},
    )
    assert answer.status_code == 422
    assert Proposal.objects.count() == before


# ---- the API ---------------------------------------------------------------------------------


def test_statements_through_the_api(people: People, api_as: Any) -> None:
    proposal = propose(people)
    base = f"/spaces/town/proposals/{proposal.pk}/statements"
    ada, grace, steward = api_as(people.ada), api_as(people.grace), api_as(people.steward)
    made = ada.post(base, {"text": "Open at ten."})
    assert made.status_code == 201
    assert made.json()["your_vote"] == "agree" and made.json()["yours"] is True
    pk = made.json()["id"]
    assert grace.put(f"{base}/{pk}/vote", {"vote": "maybe"}).status_code == 422
    assert grace.put(f"{base}/{pk}/vote", {"vote": "disagree"}).json()["vote"] == "disagree"
    listed = grace.get(base).json()
    assert [(s["agree"], s["disagree"], s["your_vote"]) for s in listed] == [(1, 1, "disagree")]
    assert ada.patch(f"{base}/{pk}", {"text": "Open at nine."}).status_code == 409
    assert grace.put(f"{base}/{pk}/hidden", {"reason": "No."}).status_code == 403
    hidden = steward.put(f"{base}/{pk}/hidden", {"hidden": True, "reason": "Off topic."})
    assert hidden.json()["hidden"] is True and hidden.json()["hidden_reason"] == "Off topic."
    assert grace.get(f"{base}/{pk}").status_code == 404
    assert grace.get(base).json() == []
    assert steward.get(base).json()[0]["hidden"] is True


def test_an_outsider_of_a_members_space_sees_no_map(people: People, api_as: Any) -> None:
    Space.objects.filter(pk=people.space.pk).update(visibility="members", participation="members")
    people.space.refresh_from_db()
    proposal = propose(people)
    answer = api_as(people.outsider).get(f"/spaces/town/proposals/{proposal.pk}/opinion-map")
    assert answer.status_code == 404
    with pytest.raises(NotFound):
        actions.statement_add(user=people.outsider, proposal=proposal, text="Let me in.")


# ---- the page --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "heading", "group"), [("en", "Opinion groups", "Group A"), ("es", None, None)]
)
def test_the_page_shows_groups_in_each_language(
    people: People, language: str, heading: str | None, group: str | None
) -> None:
    proposal = propose(people)
    data, statements, voters = _camps(people, proposal)
    _computed(proposal)
    client = Client(headers={"accept-language": language})
    client.force_login(voters[0])
    page = client.get(f"/s/town/decisions/{proposal.pk}/opinion")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("<circle") >= len(voters)
    assert 'stroke="#000"' in html  # the reader's own dot
    assert html.count('class="opinion-group"') == 2
    with translation.override(language):
        from django.utils.translation import gettext

        assert gettext("Opinion groups") in html
        assert gettext("Consensus across groups") in html
    if language == "es":
        assert "Opinion groups" not in html and "Consensus across groups" not in html
    else:
        assert heading in html and group in html
    assert "voter1" not in html


def test_the_page_says_when_the_map_is_outdated(people: People) -> None:
    proposal = propose(people)
    data, statements, voters = _camps(people, proposal)
    _computed(proposal)
    client = Client()
    client.force_login(people.grace)
    assert (
        'data-outdated="0"'
        in client.get(f"/s/town/decisions/{proposal.pk}/opinion").content.decode()
    )
    client.post(
        f"/s/town/decisions/{proposal.pk}/opinion/statements/{statements[0].pk}/vote",
        {"vote": "agree", "next": "vote"},
    )
    html = client.get(f"/s/town/decisions/{proposal.pk}/opinion").content.decode()
    assert 'data-outdated="1"' in html


def test_statements_and_votes_through_the_page(people: People) -> None:
    proposal = propose(people)
    client = Client()
    client.force_login(people.ada)
    base = f"/s/town/decisions/{proposal.pk}/opinion"
    assert client.post(base + "/statements", {"text": "Open at ten."}).status_code == 302
    refused = client.post(base + "/statements", {"text": "x" * 300})
    assert refused.status_code == 422 and "At most 280 characters" in refused.content.decode()
    statement = Statement.objects.get(proposal=proposal)
    other = Client()
    other.force_login(people.grace)
    html = other.get(base).content.decode()
    assert "Vote on the next statement" in html and "Open at ten." in html
    other.post(base + f"/statements/{statement.pk}/vote", {"vote": "disagree"})
    assert StatementVote.objects.get(statement=statement, voter=people.grace).value == -1
    assert "Vote on the next statement" not in other.get(base).content.decode()


def test_the_demo_has_an_opinion_map_with_groups() -> None:
    from peerwork.demo import load_demo

    assert load_demo()
    park = Proposal.objects.get(title="What should the riverside park be for?")
    document = OpinionMap.objects.get(proposal=park).document
    assert document["k"] >= 2
    assert len(document["consensus"]) >= 2
    lines = list(open_data(park.space))
    assert recompute(lines, park.pk).matches


def test_a_statement_passes_the_contribution_screens(
    people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    from peerwork.core import screening

    def screen(contribution: screening.Contribution) -> screening.Finding | None:
        if contribution.kind != "governance.statement":
            return None
        if "casino" in contribution.text:
            return screening.Finding("test", "refuse", "No advertising.")
        if "maybe spam" in contribution.text:
            return screening.Finding("test", "hold", "Looks like spam.")
        return None

    monkeypatch.setitem(screening._SCREENS, "test", screen)
    proposal = propose(people)
    with pytest.raises(Forbidden):
        actions.statement_add(user=people.ada, proposal=proposal, text="Visit my casino.")
    assert not Statement.objects.filter(proposal=proposal).exists()
    held = actions.statement_add(user=people.ada, proposal=proposal, text="This is maybe spam.")
    assert held.is_hidden and held.hidden_reason == "Looks like spam."


def test_the_tally_command_recomputes_a_map_from_a_dump(
    people: People, tmp_path: Any, capsys: Any
) -> None:
    from peerwork.cli import main

    proposal = propose(people)
    _camps(people, proposal)
    _computed(proposal)
    dump = tmp_path / "town.jsonl"
    dump.write_text("".join(open_data(people.space)), encoding="utf-8")
    args = ["tally", "--from-dump", str(dump), "--proposal", str(proposal.pk), "--opinion-map"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert json.loads(out[: out.rindex("}") + 1])["k"] == 2
    assert "matches the stored map" in out
    lines = dump.read_text(encoding="utf-8").splitlines()
    dump.write_text(
        "\n".join(line.replace('"vote": "disagree"', '"vote": "agree"') for line in lines),
        encoding="utf-8",
    )
    assert main(args) == 1
    assert "differs from the stored map" in capsys.readouterr().out
