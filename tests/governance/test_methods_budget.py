"""Our budget rules and approval voting agree with the reference libraries.

pabutools (the COMSOC community's participatory-budgeting library) and abcvoting (Lackner
and others' approval-based committee library) are test-only: they pull solvers and plotting
libraries that a server does not need. The reference runs use one ballot per voter (weights
expanded), so these tests also check our weighted, merged groups.
"""

from __future__ import annotations

import random
from fractions import Fraction
from pathlib import Path

import pytest
from abcvoting import abcrules
from abcvoting.preferences import Profile, Voter
from pabutools.election import (
    ApprovalBallot,
    ApprovalProfile,
    Cost_Sat,
    Instance,
    Project,
    parse_pabulib,
)
from pabutools.fractions import frac
from pabutools.rules import (
    completion_by_rule_combination,
    greedy_utilitarian_welfare,
    method_of_equal_shares,
)

from peerwork.governance.methods import Option, get_method
from peerwork.governance.methods import budget as budget_module
from peerwork.governance.methods.budget import (
    VoterGroup,
    equal_shares_run,
    supporters_of,
)

BUDGET = get_method("budget")


def _names(count: int) -> list[str]:
    # Zero-padded, so pabutools' tie-break (by name) is our option order.
    return [f"p{i:02d}" for i in range(count)]


def _reference(options: list[Option], budget: int, ballots: list[tuple[list[str], int]]):
    projects = {o.id: Project(o.id, o.cost) for o in options}
    instance = Instance(projects.values(), budget_limit=budget)
    profile = ApprovalProfile(
        [
            ApprovalBallot([projects[p] for p in approved])
            for approved, w in ballots
            for _ in range(w)
        ],
        instance=instance,
    )
    return instance, profile


def _ours(options: list[Option], budget: int, ballots: list[tuple[list[str], int]], rule: str):
    settings = BUDGET.clean_settings({"budget": budget, "rule": rule, "min_share": "0"}, options)
    cleaned = [(BUDGET.clean_ballot({"projects": p}, options, settings), w) for p, w in ballots]
    return BUDGET.tally(options, cleaned, settings)


def _pure_mes(options: list[Option], budget: int, ballots: list[tuple[list[str], int]]):
    groups = [VoterGroup(frozenset(p), w, Fraction(0)) for p, w in ballots]
    voters = sum(w for _, w in ballots)
    costs = {o.id: o.cost or 0 for o in options}
    order = [o.id for o in options]
    funded, _ = equal_shares_run(
        supporters_of(groups, order), costs, order, Fraction(budget, voters)
    )
    return funded


# --- published examples ------------------------------------------------------------------


def test_lackner_skowron_running_example() -> None:
    """The running example of Lackner and Skowron, "Multi-Winner Voting with Approval
    Preferences" (Springer 2023), as a unit-cost budget of 4: pure MES funds only a (the
    result pabutools' own tests assert), and the completion fills the other three seats."""
    options = [Option(n, n.upper(), 1) for n in "abcdefg"]
    ballots = [(["a", "b"], 3), (["a", "c"], 3), (["a", "d"], 2), (["b", "c", "f"], 1)]
    ballots += [(["e"], 1), (["f"], 1), (["g"], 1)]
    assert _pure_mes(options, 4, ballots) == ["a"]

    instance, profile = _reference(options, 4, ballots)
    assert [p.name for p in method_of_equal_shares(instance, profile, sat_class=Cost_Sat)] == ["a"]
    ours = _ours(options, 4, ballots, "equal_shares")
    assert ours["winners"] == _reference_equal_shares(instance, profile, options, 4, ballots)
    assert len(ours["winners"]) == 4


def test_pabutools_approval_example_with_cost_utilities() -> None:
    """pabutools' test instance "AppEx_2" (costs 1, 0.9, 2, 1.09, budget 4; in hundredths
    here): pure MES with cost utilities funds p0 and p2."""
    options = [Option(n, n, c) for n, c in zip(_names(4), (100, 90, 200, 109), strict=True)]
    ballots = [(["p00"], 1), (["p01", "p02", "p03"], 2), (["p02"], 1)]
    assert sorted(_pure_mes(options, 400, ballots)) == ["p00", "p02"]
    instance, profile = _reference(options, 400, ballots)
    reference = method_of_equal_shares(instance, profile, sat_class=Cost_Sat)
    assert sorted(p.name for p in reference) == ["p00", "p02"]
    ours = _ours(options, 400, ballots, "equal_shares")
    assert ours["winners"] == _reference_equal_shares(instance, profile, options, 400, ballots)


# --- random instances --------------------------------------------------------------------


def _reference_equal_shares(instance, profile, options, budget, ballots) -> list[str]:
    voters = sum(w for _, w in ballots)
    outcome = completion_by_rule_combination(
        instance,
        profile,
        [method_of_equal_shares, greedy_utilitarian_welfare],
        [
            {"sat_class": Cost_Sat, "voter_budget_increment": frac(budget, 100 * voters)},
            {"sat_class": Cost_Sat},
        ],
    )
    return _approved_only(outcome, ballots)


def _approved_only(outcome, ballots: list[tuple[list[str], int]]) -> list[str]:
    # pabutools' greedy also funds projects nobody approved when money is left; we do not.
    approved = {p for chosen, _ in ballots for p in chosen}
    return [p.name for p in outcome if p.name in approved]


def _random_election(rng: random.Random):
    count = rng.randint(1, 7)
    options = [Option(n, n, rng.randint(1, 60)) for n in _names(count)]
    budget = rng.randint(max(o.cost or 0 for o in options), sum(o.cost or 0 for o in options) + 5)
    ballots = []
    for _ in range(rng.randint(1, 9)):
        approved = [o.id for o in options if rng.random() < rng.choice((0.2, 0.4, 0.6))]
        if sum(o.cost or 0 for o in options if o.id in approved) <= budget:
            ballots.append((approved, rng.randint(1, 3)))
    return options, budget, ballots


@pytest.mark.parametrize("seed", range(4))
def test_greedy_and_equal_shares_agree_with_pabutools_on_random_elections(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # pabutools raises the budgets without bound; many empty ballots can need more raises
    # than our bound allows (tested in test_methods), so lift it here.
    monkeypatch.setattr(budget_module, "MAX_RAISES", 10**9)
    rng = random.Random(seed)
    checked = raised = 0
    while checked < 60:
        options, budget, ballots = _random_election(rng)
        if not ballots:
            continue
        instance, profile = _reference(options, budget, ballots)
        greedy = greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)
        ours_greedy = _ours(options, budget, ballots, "greedy")
        assert ours_greedy["winners"] == _approved_only(greedy, ballots), (options, budget, ballots)

        ours = _ours(options, budget, ballots, "equal_shares")
        reference = _reference_equal_shares(instance, profile, options, budget, ballots)
        assert sorted(ours["winners"]) == sorted(reference), (options, budget, ballots)
        mes_stage = method_of_equal_shares(
            instance,
            profile,
            sat_class=Cost_Sat,
            voter_budget_increment=frac(budget, 100 * sum(w for _, w in ballots)),
        )
        assert ours["mes"] == [p.name for p in mes_stage], (options, budget, ballots)
        assert ours["total_cost"] <= budget
        checked += 1
        raised += ours["steps"] > 0
    assert raised  # the budget-raising completion was exercised, not only the first run


@pytest.mark.parametrize("seed", range(3))
def test_approval_agrees_with_abcvoting_av_on_random_elections(seed: int) -> None:
    rng = random.Random(seed)
    method = get_method("approval")
    for _ in range(100):
        count = rng.randint(1, 8)
        options = [Option(n, n) for n in _names(count)]
        k = rng.randint(1, count)
        ballots = []
        for _ in range(rng.randint(1, 12)):
            approved = [o.id for o in options if rng.random() < 0.4]
            ballots.append(({"approve": approved}, rng.randint(1, 3)))
        settings = method.clean_settings({"winners": k}, options)
        ours = method.tally(options, ballots, settings)

        profile = Profile(num_cand=count)
        for ballot, weight in ballots:
            profile.add_voter(Voter([int(i[1:]) for i in ballot["approve"]], weight=weight))
        committee = abcrules.compute_av(profile, k, resolute=True)[0]
        expected = {f"p{c:02d}" for c in committee}
        # AV fills every seat; we leave a seat empty rather than give it to no approvals.
        assert set(ours["winners"]) == {c for c in expected if ours["counts"][c] > 0}
        assert set(ours["winners"]) <= expected


def test_equal_shares_gives_the_same_result_with_the_standard_library_fractions(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without gmpy2 (not a run-time dependency) the rule runs on Fraction, slower but equal."""
    assert budget_module.RATIONAL is not Fraction  # the dev extras bring gmpy2: two paths
    rng = random.Random(7)
    elections = [_random_election(rng) for _ in range(40)]
    fast = [_ours(o, b, ballots, "equal_shares") for o, b, ballots in elections]
    monkeypatch.setattr(budget_module, "RATIONAL", Fraction)
    slow = [_ours(o, b, ballots, "equal_shares") for o, b, ballots in elections]
    assert slow == fast
    assert any(result["steps"] for result in slow)


# --- a published election ----------------------------------------------------------------

DATA = Path(__file__).parent / "data"


def _read_pabulib(path: Path) -> tuple[dict, dict[str, dict], list[list[str]]]:
    """The META, PROJECTS and VOTES of an approval .pb file (Pabulib's format)."""
    sections: dict[str, list[list[str]]] = {}
    current = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() in ("META", "PROJECTS", "VOTES"):
            current = line.strip()
            sections[current] = []
        elif line.strip():
            sections[current].append(line.split(";"))
    meta = {key: value for key, value in sections["META"][1:]}
    header = sections["PROJECTS"][0]
    projects = {row[0]: dict(zip(header, row, strict=True)) for row in sections["PROJECTS"][1:]}
    votes = [row[1].split(",") for row in sections["VOTES"][1:]]
    return meta, projects, votes


def test_a_published_warsaw_budget_gives_its_official_counts_and_result() -> None:
    """Warsaw 2017, Wesoła, Plac Wojska Polskiego (Pabulib): 27 ballots, 4 projects."""
    path = DATA / "warszawa_2017_wesola_plac-wojska-polskiego.pb"
    meta, projects, votes = _read_pabulib(path)
    assert len(votes) == int(meta["num_votes"])
    options = [Option(pid, pid, int(p["cost"])) for pid, p in projects.items()]
    budget = int(meta["budget"])
    ballots = [(vote, 1) for vote in votes]
    official = {pid for pid, p in projects.items() if p["selected"] == "1"}

    greedy = _ours(options, budget, ballots, "greedy")
    assert greedy["counts"] == {pid: int(p["votes"]) for pid, p in projects.items()}
    assert set(greedy["winners"]) == official
    ours = _ours(options, budget, ballots, "equal_shares")
    assert set(ours["winners"]) == official

    instance, profile = parse_pabulib(str(path))
    assert instance.budget_limit == budget and len(profile) == len(votes)
    reference = _reference_equal_shares(instance, profile, options, budget, ballots)
    assert sorted(ours["winners"]) == sorted(reference)
