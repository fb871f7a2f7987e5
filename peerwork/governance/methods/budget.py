"""Participatory budgeting: voters approve projects within a budget; a rule picks the funded set.

Two rules, both over approval ballots and exact (rationals, no floats; gmpy2's when it is
installed, else the standard library's Fraction, with the same results):

- ``greedy``: the usual rule of city budgets. Projects by approval weight, most first (ties
  by option order); each is funded if it still fits in what is left. Projects nobody
  approved are never funded.
- ``equal_shares``: the Method of Equal Shares (Peters and Skowron) with cost utilities
  (a voter's utility for an approved project is its cost), as recommended on
  equalshares.net for approval ballots. Completion (MES alone usually leaves money unspent):
  first raise every voter's virtual budget in steps of 1% of the real budget (per voter:
  budget / (100 * total weight)) until the outcome leaves no approved project that still
  fits the real budget (take it) or overspends the real budget (take the step before), at
  most MAX_RAISES times; then fund what still fits with ``greedy``. Below that bound,
  pabutools computes the same with ``completion_by_rule_combination`` of
  ``method_of_equal_shares(voter_budget_increment=..., sat_class=Cost_Sat)`` and
  ``greedy_utilitarian_welfare(sat_class=Cost_Sat)``; the tests check that we agree.

Weights: a ballot of weight w is w voters with the same ballot; equal ballots are merged
into one group, which changes nothing in MES (members of a group always pay alike) and keeps
the work proportional to the number of distinct ballots.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

try:  # Exact rationals in C: the same numbers as Fraction, about ten times faster.
    from gmpy2 import mpq as RATIONAL
except ImportError:  # pragma: no cover - gmpy2 comes with the dev extras
    RATIONAL = Fraction

from .base import (
    Ballots,
    InvalidBallot,
    InvalidSettings,
    Method,
    Option,
    check_ballot_keys,
    check_id_list,
    common_result,
    fraction_text,
    int_setting,
    is_int,
    option_ids,
    parse_fraction,
)

RULES = ("equal_shares", "greedy")
STEPS_PER_BUDGET = 100  # the completion raises the virtual budget by 1/100 of the real one
# At most this many raises (virtual money up to 11 times the budget): past it the outcome
# is kept and greedy spends the rest. Only reached when much of the voters' money finds
# nothing to pay for, e.g. one voter's project costing most of the budget among many
# voters; without a bound such a tally could take a million runs.
MAX_RAISES = 1000


@dataclass
class VoterGroup:
    """Voters with the same ballot: `size` members, each with `money` left."""

    approved: frozenset[str]
    size: int
    money: Fraction


def greedy(
    costs: Mapping[str, int],
    approvals: Mapping[str, int],
    budget: int,
    order: Sequence[str],
    *,
    funded: Sequence[str] = (),
) -> list[str]:
    """Fund by approval weight (most first, ties by `order`) while projects fit.

    Starts from `funded` (the MES outcome when completing it) and returns the projects added.
    """
    left = budget - sum(costs[p] for p in funded)
    position = {p: i for i, p in enumerate(order)}
    added = []
    for project in sorted(order, key=lambda p: (-approvals[p], position[p])):
        if project in funded or approvals[project] <= 0:
            continue
        if costs[project] <= left:
            added.append(project)
            left -= costs[project]
    return added


def supporters_of(
    groups: Sequence[VoterGroup], order: Sequence[str]
) -> dict[str, list[VoterGroup]]:
    """Project -> the groups that approve it (only projects someone approves)."""
    found: dict[str, list[VoterGroup]] = {}
    for project in order:
        backing = [g for g in groups if project in g.approved]
        if backing:
            found[project] = backing
    return found


def _rho(supporters: list[VoterGroup], cost: int) -> Fraction | None:
    """The least rho such that supporters paying min(money, rho * cost) cover `cost`.

    None when all their money together is short of the cost. Sorts `supporters` in place by
    money: the list is kept between calls, and a nearly sorted list sorts in about one pass.
    """
    supporters.sort(key=_money)
    paid, members = RATIONAL(0), sum(g.size for g in supporters)
    for group in supporters:
        # Everyone still in `members` pays the same share of what is not yet covered...
        share = (cost - paid) / members
        if share <= group.money:
            return share / cost
        # ...unless that is more than this group has left: then it pays all it has.
        paid += group.size * group.money
        members -= group.size
    return None


def _money(group: VoterGroup) -> Fraction:
    return group.money


def equal_shares_run(
    supporters: Mapping[str, list[VoterGroup]],
    costs: Mapping[str, int],
    order: Sequence[str],
    money_each: Fraction,
) -> tuple[list[str], list[dict[str, Any]]]:
    """One run of MES (cost utilities) where each voter starts with `money_each`.

    Each round funds the project whose supporters can pay for it with the smallest factor
    rho, each paying min(money left, rho * cost) (with cost utilities, rho * cost is the most
    any supporter pays); ties by option order. Money only shrinks, so a project's rho only
    grows: the last rho computed is a lower bound, and a round stops looking once the lower
    bounds pass the best rho found (pabutools does the same).
    """
    for backing in supporters.values():
        for group in backing:
            group.money = money_each
    position = {p: i for i, p in enumerate(order)}
    bound = {p: RATIONAL(1, sum(g.size for g in backing)) for p, backing in supporters.items()}
    funded: list[str] = []
    rounds: list[dict[str, Any]] = []
    while bound:
        best: tuple[Fraction, int, str] | None = None
        for project in sorted(bound, key=lambda p: (bound[p], position[p])):
            if best is not None and bound[project] > best[0]:
                break
            rho = _rho(supporters[project], costs[project])
            if rho is None:
                del bound[project]  # it never becomes affordable again in this run
                continue
            bound[project] = rho
            if best is None or (rho, position[project]) < best[:2]:
                best = (rho, position[project], project)
        if best is None:
            break
        rho, _, project = best
        cost = costs[project]
        for group in supporters[project]:
            group.money -= min(group.money, rho * cost)
        del bound[project]
        funded.append(project)
        rounds.append(
            {
                "project": project,
                "cost": cost,
                "rho": fraction_text(rho),
                "max_payment": fraction_text(rho * cost),
                "supporters_weight": sum(g.size for g in supporters[project]),
            }
        )
    return funded, rounds


def equal_shares(
    groups: Sequence[VoterGroup],
    costs: Mapping[str, int],
    approvals: Mapping[str, int],
    budget: int,
    order: Sequence[str],
) -> dict[str, Any]:
    """MES with the budget-increase completion, then greedy; see the module docstring."""
    voters = sum(g.size for g in groups)
    if voters == 0:
        return {"mes": [], "completion": [], "rounds": [], "steps": 0, "money_each": None}
    start = RATIONAL(budget, voters)
    step = RATIONAL(budget, STEPS_PER_BUDGET * voters)
    approved = [p for p in order if approvals[p] > 0]
    supporters = supporters_of(groups, order)
    chosen: tuple[list[str], list[dict[str, Any]], int] = ([], [], 0)
    steps = 0
    while True:
        funded, rounds = equal_shares_run(supporters, costs, order, start + steps * step)
        spent = sum(costs[p] for p in funded)
        if spent > budget:
            break  # keep the previous step's outcome (the first run never overspends)
        chosen = (funded, rounds, steps)
        if all(p in funded or costs[p] + spent > budget for p in approved):
            break  # no approved project fits any more
        if steps == MAX_RAISES:
            break
        steps += 1
    mes, mes_rounds, steps = chosen
    return {
        "mes": mes,
        "completion": greedy(costs, approvals, budget, order, funded=mes),
        "rounds": mes_rounds,
        "steps": steps,
        "money_each": fraction_text(start + steps * step),
    }


class Budget(Method):
    """Participatory budget: approve projects whose total cost fits the budget.

    Settings: ``budget`` (whole minor currency units, required); ``rule`` ("equal_shares",
    the default, or "greedy"); ``min_share`` (default "0.7": a ballot must spend at least
    this share of the budget, as in Decidim); ``min_projects`` and ``max_projects``
    (optional). Every option needs a ``cost`` >= 1. Ballot: ``{"projects": [option ids]}``.
    """

    name = "budget"
    label = "Participatory budget"
    kind = "budget"

    def _clean_settings(self, raw: dict[str, Any], options: Sequence[Option]) -> dict:
        for option in options:
            if not is_int(option.cost) or (option.cost or 0) < 1:
                raise InvalidSettings(
                    "Project %(option)r needs a cost: a whole number of minor currency "
                    "units >= 1, not %(cost)r.",
                    option=option.id,
                    cost=option.cost,
                )
        budget = int_setting(raw, "budget", None, minimum=1)
        rule = raw.get("rule", "equal_shares")
        if rule not in RULES:
            raise InvalidSettings(
                "The setting rule must be one of %(rules)s.", rules=", ".join(RULES)
            )
        min_share = parse_fraction(raw.get("min_share", "0.7"), "min_share")
        if not 0 <= min_share <= 1:
            raise InvalidSettings(
                "The setting min_share must be from 0 to 1; got %(min_share)s.",
                min_share=min_share,
            )
        settings: dict[str, Any] = {
            "budget": budget,
            "rule": rule,
            "min_share": fraction_text(min_share),
            "min_projects": None,
            "max_projects": None,
        }
        if raw.get("min_projects") is not None:
            settings["min_projects"] = int_setting(raw, "min_projects", None, minimum=0)
        if raw.get("max_projects") is not None:
            settings["max_projects"] = int_setting(raw, "max_projects", None, minimum=1)
        low, high = settings["min_projects"], settings["max_projects"]
        if low is not None and high is not None and low > high:
            raise InvalidSettings(
                "min_projects (%(low)s) is more than max_projects (%(high)s).", low=low, high=high
            )
        if low is not None and low > len(options):
            raise InvalidSettings(
                "min_projects (%(low)s) is more than the %(count)s projects.",
                low=low,
                count=len(options),
            )
        affordable = sum(o.cost or 0 for o in options if (o.cost or 0) <= budget)
        if affordable < min_share * budget:
            raise InvalidSettings(
                "No ballot can spend min_share (%(min_share)s) of the budget: the projects that "
                "fit cost %(affordable)s together. Lower min_share or add projects.",
                min_share=min_share,
                affordable=affordable,
            )
        return settings

    def clean_ballot(
        self, raw: Mapping[str, Any], options: Sequence[Option], settings: Mapping[str, Any]
    ) -> dict:
        ballot = check_ballot_keys(raw, ("projects",), required=("projects",))
        projects = check_id_list(ballot["projects"], option_ids(options), "projects")
        costs = {o.id: o.cost or 0 for o in options}
        spent = sum(costs[p] for p in projects)
        budget = settings["budget"]
        if spent > budget:
            raise InvalidBallot(
                "These projects cost %(spent)s but the budget is %(budget)s; "
                "drop projects worth at least %(over)s.",
                spent=spent,
                budget=budget,
                over=spent - budget,
            )
        floor = Fraction(settings["min_share"]) * budget
        if spent < floor:
            raise InvalidBallot(
                "These projects cost %(spent)s; a ballot must spend at least "
                "%(min_share)s of the budget (%(floor)s). Add projects.",
                spent=spent,
                min_share=settings["min_share"],
                floor=math.ceil(floor),
            )
        low, high = settings["min_projects"], settings["max_projects"]
        if low is not None and len(projects) < low:
            raise InvalidBallot(
                "Choose at least %(low)s projects; this ballot has %(count)s.",
                low=low,
                count=len(projects),
            )
        if high is not None and len(projects) > high:
            raise InvalidBallot(
                "Choose at most %(high)s projects; this ballot has %(count)s.",
                high=high,
                count=len(projects),
            )
        return {"projects": projects}

    def tally(
        self, options: Sequence[Option], ballots: Ballots, settings: Mapping[str, Any]
    ) -> dict:
        budget, rule = settings["budget"], settings["rule"]
        order = [o.id for o in options]
        costs = {o.id: o.cost or 0 for o in options}
        approvals = dict.fromkeys(order, 0)
        merged: dict[frozenset[str], int] = {}
        for ballot, weight in ballots:
            key = frozenset(ballot["projects"])
            merged[key] = merged.get(key, 0) + weight
            for project in key:
                approvals[project] += weight
        if rule == "greedy":
            result = common_result(
                ballots, "budget greedy: most approval weight first, ties by option order"
            )
            winners = greedy(costs, approvals, budget, order)
            details: dict[str, Any] = {}
        else:
            result = common_result(
                ballots,
                "budget equal_shares: Method of Equal Shares, cost utilities, voter budgets "
                "raised in 1% steps, completed by greedy; ties by option order",
            )
            groups = [VoterGroup(approved, size, RATIONAL(0)) for approved, size in merged.items()]
            details = equal_shares(groups, costs, approvals, budget, order)
            winners = details["mes"] + details["completion"]
        total = sum(costs[p] for p in winners)
        result.update(
            winners=winners,
            passed=bool(winners),
            counts=approvals,
            budget=budget,
            total_cost=total,
            unspent=budget - total,
            **details,
        )
        return result
