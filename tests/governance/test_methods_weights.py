"""A ballot of weight w counts exactly like w copies of it, for every method.

Delegated votes arrive as weights, so a method that read a weight differently from the
copies it stands for would give a delegate more (or less) say than the people behind them.
The budget rules merge equal ballots before counting, so for them this test only checks the
merging; test_methods_budget compares them with pabutools run on one ballot per voter.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from peerwork.governance.methods import METHOD_NAMES, InvalidBallot, Option, get_method

OPTIONS = [Option(f"o{i}", f"Option {i}", cost=None) for i in range(4)]


def _raw_ballot(draw: st.DrawFn, name: str, options: list[Option], cfg: dict) -> dict:
    ids = [o.id for o in options]
    some = st.lists(st.sampled_from(ids), unique=True) if ids else st.just([])
    if name == "consent":
        position = draw(st.sampled_from(["consent", "stand_aside", "object"]))
        return {"position": position, "reason": draw(st.sampled_from(["r1", "r2", ""])) or "x"}
    if name in ("majority", "supermajority"):
        if draw(st.booleans()) and draw(st.booleans()):
            return {"abstain": True}
        return {"choice": draw(st.sampled_from(ids))}
    if name == "approval":
        return {"approve": draw(some)}
    if name == "score":
        chosen = draw(some)
        return {"scores": {i: draw(st.integers(0, cfg["max_score"])) for i in chosen}}
    if name == "dot":
        chosen = draw(some)
        return {"dots": {i: draw(st.integers(0, 4)) for i in chosen}}
    if name == "quadratic":
        chosen = draw(some)
        return {"votes": {i: draw(st.integers(-5, 5)) for i in chosen}}
    if name == "time_poll":
        chosen = draw(some)
        return {"slots": {i: draw(st.sampled_from(["yes", "maybe", "no"])) for i in chosen}}
    if name == "budget":
        return {"projects": draw(some)}
    raise AssertionError(name)


@st.composite
def elections(draw: st.DrawFn) -> tuple[Any, list[Option], dict, list[tuple[dict, int]]]:
    name = draw(st.sampled_from(METHOD_NAMES))
    method = get_method(name)
    count = draw(
        st.integers(method.min_options, max(method.min_options, 1 if name == "consent" else 4))
    )
    options = OPTIONS[:count]
    raw: dict[str, Any] = {}
    if name == "budget":
        options = [Option(o.id, o.label, draw(st.integers(1, 10))) for o in options]
        raw = {
            "budget": draw(st.integers(max(o.cost or 0 for o in options), 25)),
            "min_share": "0",
            "rule": draw(st.sampled_from(["greedy", "equal_shares"])),
        }
    elif name == "approval":
        raw = {"winners": draw(st.integers(1, count))}
    elif name == "supermajority":
        raw = {"fraction": draw(st.sampled_from(["2/3", "0.6", "3/4", "1"]))}
    cfg = method.clean_settings(raw, options)
    ballots = []
    for _ in range(draw(st.integers(0, 6))):
        try:
            ballot = method.clean_ballot(_raw_ballot(draw, name, options, cfg), options, cfg)
        except InvalidBallot:
            continue  # e.g. a budget ballot over the budget: not a ballot anyone can cast
        ballots.append((ballot, draw(st.integers(1, 4))))
    return method, options, cfg, ballots


def _without_ballot_count(result: dict) -> dict:
    return {k: v for k, v in result.items() if k != "ballots"}


@settings(max_examples=600, deadline=None)
@given(elections())
def test_a_weighted_ballot_counts_like_its_copies(election: Any) -> None:
    method, options, cfg, ballots = election
    weighted = method.tally(options, ballots, cfg)
    copies = [(ballot, 1) for ballot, weight in ballots for _ in range(weight)]
    expanded = method.tally(options, copies, cfg)
    assert _without_ballot_count(weighted) == _without_ballot_count(expanded)
    assert expanded["ballots"] == weighted["weight"] == expanded["weight"]
    # Nor does the order in which ballots arrive matter.
    assert method.tally(options, ballots[::-1], cfg) == weighted
    # Stored settings and ballots pass their checks again unchanged (the app may re-check).
    assert method.clean_settings(cfg, options) == cfg
    for ballot, _ in ballots:
        assert method.clean_ballot(ballot, options, cfg) == ballot
