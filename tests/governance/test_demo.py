"""The demo's decisions: one applied to its space, each stored result recounted from the dump."""

from __future__ import annotations

import pytest

from peerwork.demo import load_demo
from peerwork.governance.models import Proposal
from peerwork.governance.recount import read
from peerwork.interop.dumps.jsonl import open_data
from peerwork.spaces.models import Space
from peerwork.tasks.models import Task

pytestmark = pytest.mark.django_db


def test_the_demo_has_decisions_of_several_methods_one_closed_and_applied():
    assert load_demo()
    budget = Space.objects.get(slug="city-budget")
    proposals = {p.title: p for p in Proposal.objects.filter(space=budget)}
    assert {p.method for p in proposals.values()} == {"consent", "majority", "irv", "budget"}
    applied = proposals["Give three weeks to finish a claimed task"]
    assert applied.state == "closed" and applied.result.passed and applied.execution == "applied"
    assert budget.policy["tasks"]["claim_days"] == 21
    task_id = next(e["id"] for e in applied.execution_log if e["kind"] == "task")
    assert Task.objects.get(pk=task_id).space == budget
    refused = proposals["Switch the street lights off after midnight"]
    assert refused.state == "closed" and not refused.result.passed


def test_peerwork_tally_from_dump_reproduces_every_stored_result_of_the_demo():
    assert load_demo()
    closed = Proposal.objects.filter(state="closed").select_related("space")
    assert closed.count() >= 2
    for proposal in closed:
        lines = "".join(open_data(proposal.space)).splitlines()
        recount = read(lines, proposal.pk)
        assert recount.matches, (proposal.title, recount.first_difference())
