"""Each decision method's rule and its settings (refused ballots: test_methods_refusals)."""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from peerwork.governance import methods as methods_package
from peerwork.governance.methods import (
    METHOD_NAMES,
    InvalidSettings,
    Option,
    get_method,
)

ABC = [Option("a", "A"), Option("b", "B"), Option("c", "C")]
PROJECTS = [
    Option("park", "Park", 400),
    Option("library", "Library", 300),
    Option("bikes", "Bike lanes", 300),
    Option("bench", "Benches", 200),
]


def run(name: str, options: list[Option], raw_settings: dict, ballots: list[tuple[dict, int]]):
    method = get_method(name)
    settings = method.clean_settings(raw_settings, options)
    cleaned = [(method.clean_ballot(b, options, settings), w) for b, w in ballots]
    result = method.tally(options, cleaned, settings)
    assert json.loads(json.dumps(result)) == result  # JSON-able as it is
    return result


# --- the registry ------------------------------------------------------------------------


def test_every_method_is_registered_with_a_label_and_kind() -> None:
    assert set(METHOD_NAMES) == {
        "consent",
        "majority",
        "supermajority",
        "approval",
        "score",
        "dot",
        "quadratic",
        "time_poll",
        "budget",
    }
    for name in METHOD_NAMES:
        method = get_method(name)
        assert method.name == name
        assert isinstance(method.label, str) and method.label
        assert method.kind in {"single", "multi", "consent", "budget"}


def test_the_methods_import_nothing_outside_the_standard_library_and_gmpy2() -> None:
    """They stay pure (no Django, no database) so a result can be recomputed anywhere."""
    package = Path(methods_package.__file__).parent
    allowed = set(sys.stdlib_module_names) | {"gmpy2"}
    for path in package.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert name.split(".")[0] in allowed, f"{path.name} imports {name}"


def test_an_unknown_method_names_the_known_ones() -> None:
    with pytest.raises(InvalidSettings, match="approval") as caught:
        get_method("borda")
    assert "borda" in str(caught.value)


def test_unknown_settings_and_duplicate_option_ids_are_refused() -> None:
    with pytest.raises(InvalidSettings, match="no setting colour"):
        get_method("approval").clean_settings({"colour": "red"}, ABC)
    with pytest.raises(InvalidSettings, match="used twice"):
        get_method("approval").clean_settings({}, [Option("a", "A"), Option("a", "B")])
    with pytest.raises(InvalidSettings, match="at least 2 options"):
        get_method("majority").clean_settings({}, [])


# --- consent -----------------------------------------------------------------------------


def test_consent_passes_with_stand_asides_and_fails_on_one_objection() -> None:
    ballots = [({"position": "consent"}, 3), ({"position": "stand_aside", "reason": "busy"}, 1)]
    result = run("consent", [Option("m", "Motion")], {}, ballots)
    assert result["passed"] and result["winners"] == ["m"]
    assert result["counts"] == {"consent": 3, "stand_aside": 1, "object": 0}

    blocked = ballots + [({"position": "object", "reason": "  costs too much "}, 1)]
    result = run("consent", [Option("m", "Motion")], {}, blocked)
    assert not result["passed"] and result["winners"] == []
    assert result["objections"] == [{"reason": "costs too much", "weight": 1}]


# --- majority and supermajority ----------------------------------------------------------


def test_majority_needs_more_than_half_of_those_not_abstaining() -> None:
    ballots = [({"choice": "a"}, 3), ({"choice": "b"}, 2), ({"abstain": True}, 10)]
    result = run("majority", ABC, {}, ballots)
    assert result["winners"] == ["a"] and result["passed"]
    assert result["abstained"] == 10 and result["voting_weight"] == 5
    # Exactly half is not more than half.
    tie = run("majority", ABC, {}, [({"choice": "a"}, 2), ({"choice": "b"}, 2)])
    assert tie["winners"] == [] and not tie["passed"]
    # A plurality among three is not a majority.
    split = [({"choice": "a"}, 2), ({"choice": "b"}, 2), ({"choice": "c"}, 1)]
    assert run("majority", ABC, {}, split)["winners"] == []
    assert run("majority", ABC, {}, [({"abstain": True}, 4)])["winners"] == []


def test_supermajority_reaches_its_fraction_inclusive() -> None:
    ballots = [({"choice": "a"}, 2), ({"choice": "b"}, 1)]
    assert run("supermajority", ABC, {}, ballots)["winners"] == ["a"]  # 2/3 >= 2/3
    assert run("supermajority", ABC, {"fraction": "0.7"}, ballots)["winners"] == []
    result = run("supermajority", ABC, {"fraction": "0.6"}, ballots)
    assert result["winners"] == ["a"] and result["threshold"] == "3/5"
    assert "3/5" in result["rule"]


@pytest.mark.parametrize("fraction", ["1/2", "0.4", "3/2", "2", 0.7, "two thirds", "1/0"])
def test_supermajority_refuses_a_fraction_outside_one_half_to_one(fraction: Any) -> None:
    with pytest.raises(InvalidSettings, match="fraction"):
        get_method("supermajority").clean_settings({"fraction": fraction}, ABC)


# --- approval ----------------------------------------------------------------------------


def test_approval_picks_the_most_approved_and_breaks_ties_by_option_order() -> None:
    ballots = [({"approve": ["b", "c"]}, 2), ({"approve": ["a"]}, 2), ({"approve": []}, 5)]
    result = run("approval", ABC, {"winners": 2}, ballots)
    assert result["counts"] == {"a": 2, "b": 2, "c": 2}
    assert result["winners"] == ["a", "b"]
    one = run("approval", ABC, {}, ballots + [({"approve": ["c"]}, 1)])
    assert one["winners"] == ["c"]


def test_approval_never_elects_an_option_nobody_approved() -> None:
    result = run("approval", ABC, {"winners": 3}, [({"approve": ["b"]}, 1)])
    assert result["winners"] == ["b"]
    assert run("approval", ABC, {}, [({"approve": []}, 1)])["passed"] is False


def test_approval_settings() -> None:
    with pytest.raises(InvalidSettings, match="more than the 3 options"):
        get_method("approval").clean_settings({"winners": 4}, ABC)
    with pytest.raises(InvalidSettings, match="whole number"):
        get_method("approval").clean_settings({"winners": True}, ABC)


# --- score -------------------------------------------------------------------------------


def test_score_uses_the_mean_of_those_who_scored_then_the_median() -> None:
    ballots = [
        ({"scores": {"a": 5, "b": 4}}, 1),
        ({"scores": {"a": 1, "b": 4}}, 1),
        ({"scores": {"a": 5, "b": 2, "c": 3}}, 1),
    ]
    result = run("score", ABC, {}, ballots)
    # a: mean 11/3, b: mean 10/3, c: scored once, 3 (not pulled down by the blanks).
    assert result["counts"]["a"]["mean"] == "11/3"
    assert result["counts"]["b"]["median"] == "4"
    assert result["counts"]["c"] == {"weight": 1, "mean": "3", "median": "3", "total": 3}
    assert result["winners"] == ["a"]
    # Equal means: the higher median wins (b: 1,5,5 -> 5; a: 3,4,4 -> 4; both mean 11/3).
    tied = [
        ({"scores": {"a": 3, "b": 1}}, 1),
        ({"scores": {"a": 4, "b": 5}}, 1),
        ({"scores": {"a": 4, "b": 5}}, 1),
    ]
    assert run("score", ABC, {}, tied)["winners"] == ["b"]


def test_score_median_of_an_even_weight_is_the_mean_of_the_middle_two() -> None:
    result = run("score", ABC, {}, [({"scores": {"a": 1}}, 1), ({"scores": {"a": 4}}, 1)])
    assert result["counts"]["a"]["median"] == "5/2"
    assert result["counts"]["b"]["mean"] is None
    assert run("score", ABC, {}, [({"scores": {}}, 2)])["winners"] == []


# --- dot ---------------------------------------------------------------------------------


def test_dot_voting_sums_dots_times_weight() -> None:
    ballots = [({"dots": {"a": 6, "b": 4}}, 1), ({"dots": {"b": 3, "c": 0}}, 2)]
    result = run("dot", ABC, {}, ballots)
    assert result["counts"] == {"a": 6, "b": 10, "c": 0}
    assert result["winners"] == ["b"]


# --- quadratic ---------------------------------------------------------------------------


def test_quadratic_counts_net_votes_and_allows_votes_against() -> None:
    ballots = [({"votes": {"a": 9, "b": -4}}, 1), ({"votes": {"b": 7, "c": 7}}, 1)]
    result = run("quadratic", ABC, {}, ballots)
    assert result["counts"]["b"] == {"for": 7, "against": 4, "net": 3}
    assert result["winners"] == ["a"]
    against = run("quadratic", ABC, {}, [({"votes": {"a": -1}}, 1)])
    assert against["winners"] == [] and not against["passed"]


# --- time poll ---------------------------------------------------------------------------


def test_time_poll_prefers_yes_then_yes_and_maybe_then_order() -> None:
    ballots = [
        ({"slots": {"a": "yes", "b": "yes", "c": "maybe"}}, 1),
        ({"slots": {"a": "no", "b": "maybe", "c": "yes"}}, 1),
    ]
    result = run("time_poll", ABC, {}, ballots)
    assert result["counts"]["b"] == {"yes": 1, "maybe": 1, "no": 0}
    assert result["winners"] == ["b"]  # a, b, c all have one yes; b and c have two yes+maybe
    nothing = run("time_poll", ABC, {}, [({"slots": {"a": "no"}}, 1)])
    assert nothing["winners"] == []


# --- budget ------------------------------------------------------------------------------


def test_budget_settings_are_checked() -> None:
    method = get_method("budget")
    cleaned = method.clean_settings({"budget": 1000}, PROJECTS)
    assert cleaned == {
        "budget": 1000,
        "rule": "equal_shares",
        "min_share": "7/10",
        "min_projects": None,
        "max_projects": None,
    }
    bad: list[tuple[dict, list[Option], str]] = [
        ({}, PROJECTS, "budget is required"),
        ({"budget": "1000"}, PROJECTS, "whole number"),
        ({"budget": 1000, "rule": "knapsack"}, PROJECTS, "rule must be one of"),
        ({"budget": 1000, "min_share": "1.5"}, PROJECTS, "from 0 to 1"),
        ({"budget": 1000, "min_projects": 3, "max_projects": 2}, PROJECTS, "more than max"),
        ({"budget": 10_000}, PROJECTS, "No ballot can spend"),
        ({"budget": 1000}, [Option("x", "X")], "needs a cost"),
        ({"budget": 1000}, [Option("x", "X", 0), *PROJECTS], "needs a cost"),
    ]
    for raw, options, message in bad:
        with pytest.raises(InvalidSettings, match=message):
            method.clean_settings(raw, options)


def test_greedy_funds_the_most_approved_that_fit() -> None:
    ballots = [
        ({"projects": ["park", "library", "bench"]}, 3),
        ({"projects": ["library", "bikes", "bench"]}, 2),
        ({"projects": ["park", "bikes"]}, 1),
    ]
    result = run("budget", PROJECTS, {"budget": 1000, "rule": "greedy"}, ballots)
    # library 5, bench 5 (tie: library comes first in the option order), park 4 fits,
    # bikes 3 no longer fits (900 + 300 > 1000).
    assert result["counts"] == {"park": 4, "library": 5, "bikes": 3, "bench": 5}
    assert result["winners"] == ["library", "bench", "park"]
    assert result["total_cost"] == 900 and result["unspent"] == 100


def test_equal_shares_gives_a_minority_its_share() -> None:
    # 6 voters want the park, library and benches, 4 want bike lanes. Greedy gives the six
    # everything (900 of 1000). Equal shares gives each voter 100: the six pay 400 for the
    # park (rho 1/6), then their last 200 for the benches (the library no longer fits their
    # money); the four pay 300 for the bike lanes (rho 1/4). Nothing else fits: no completion.
    ballots = [({"projects": ["park", "library", "bench"]}, 6), ({"projects": ["bikes"]}, 4)]
    settings = {"budget": 1000, "min_share": "0"}
    greedy = run("budget", PROJECTS, {**settings, "rule": "greedy"}, ballots)
    assert greedy["winners"] == ["park", "library", "bench"]
    mes = run("budget", PROJECTS, settings, ballots)
    assert mes["winners"] == ["park", "bench", "bikes"]
    assert [(r["project"], r["rho"]) for r in mes["rounds"]] == [
        ("park", "1/6"),
        ("bench", "1/6"),
        ("bikes", "1/4"),
    ]
    assert mes["completion"] == [] and mes["steps"] == 0 and mes["total_cost"] == 900


def test_equal_shares_completion_raises_budgets_then_fills_greedily() -> None:
    # One voter each: a 600 project for voter 1 cannot be paid from a 500 share, so the
    # budgets are raised (1% of 1000 per step, 5 for each of the two) until it can: at 600
    # each, both projects cost each supporter all of their project (rho 1); 750 <= 1000.
    options = [Option("big", "Big", 600), Option("small", "Small", 150)]
    ballots = [({"projects": ["big"]}, 1), ({"projects": ["small"]}, 1)]
    mes = run("budget", options, {"budget": 1000, "min_share": "0"}, ballots)
    assert mes["mes"] == ["big", "small"]  # both at rho 1: option order
    assert mes["steps"] == 20 and mes["money_each"] == "600"


def test_equal_shares_stops_raising_budgets_at_its_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    # As in the test above, but only 5 raises are allowed (the bound is 1000): the outcome
    # after 5 (only the small project) is kept and greedy adds the big one.
    from peerwork.governance.methods import budget

    monkeypatch.setattr(budget, "MAX_RAISES", 5)
    options = [Option("big", "Big", 600), Option("small", "Small", 150)]
    ballots = [({"projects": ["big"]}, 1), ({"projects": ["small"]}, 1)]
    mes = run("budget", options, {"budget": 1000, "min_share": "0"}, ballots)
    assert mes["mes"] == ["small"] and mes["completion"] == ["big"]
    assert mes["steps"] == 5 and mes["money_each"] == "525"


def test_budget_with_no_ballots_funds_nothing() -> None:
    for rule in ("greedy", "equal_shares"):
        result = run("budget", PROJECTS, {"budget": 1000, "rule": rule}, [])
        assert result["winners"] == [] and result["passed"] is False
        assert result["weight"] == 0 and result["ballots"] == 0
