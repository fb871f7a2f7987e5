"""Each counting rule changes the count it should: every test here fails if its rule is ignored."""

from __future__ import annotations

import hashlib
from decimal import Decimal

import pytest

from peerwork.governance.tally import (
    Ballot,
    InvalidBallot,
    RankedRules,
    TallyError,
    check_ranking,
    tabulate,
)


def ballots(*rows: tuple[int | Decimal, str]) -> list[Ballot]:
    """`(count, "a b c")`: one rank per word; `_` is a skipped rank, `a=b` an overvote."""
    made = []
    for count, text in rows:
        ranking = tuple(() if word == "_" else tuple(word.split("=")) for word in text.split())
        made.append(Ballot(ranking, count))
    return made


def first_round(method: str, options: list[str], cast: list[Ballot], **rules: object) -> dict:
    report = tabulate(method, options, cast, rules=RankedRules.from_dict(rules))
    return report.to_dict()["rounds"][0]


# Reading a ballot: overvotes, skipped ranks, duplicates.


def test_overvote_exhausts_or_is_skipped():
    cast = ballots((1, "a=b c"), (2, "a"), (2, "b"))
    exhaust = first_round("irv", ["a", "b", "c"], cast)
    assert exhaust["tally"]["c"] == "0.0000"
    assert exhaust["exhausted_by"] == {"overvote": "1.0000"}
    skip = first_round("irv", ["a", "b", "c"], cast, overvote_rule="always_skip_to_next_rank")
    assert skip["tally"]["c"] == "1.0000"
    assert skip["exhausted"] == "0.0000"


def test_overvote_reject_refuses_the_ballot_at_entry_and_in_the_count():
    rules = RankedRules(overvote_rule="reject")
    with pytest.raises(InvalidBallot, match="one rank holds 2 options"):
        check_ranking((("a", "b"),), ["a", "b"], rules)
    with pytest.raises(InvalidBallot):
        tabulate("irv", ["a", "b"], ballots((1, "a=b")), rules=rules)
    check_ranking((("a", "b"),), ["a", "b"], RankedRules())


@pytest.mark.parametrize(
    ("limit", "gap", "counted"),
    [(0, 1, False), (1, 1, True), (1, 2, False), ("unlimited", 3, True), (2, 2, True)],
)
def test_skipped_ranks_past_the_limit_exhaust(limit, gap, counted):
    cast = ballots((1, " ".join(["_"] * gap + ["c"])), (3, "a"), (2, "b"))
    tally = first_round("irv", ["a", "b", "c"], cast, max_skipped_ranks=limit)
    assert tally["tally"]["c"] == ("1.0000" if counted else "0.0000")
    rules = RankedRules.from_dict({"max_skipped_ranks": limit})
    ranking = tuple([()] * gap + [("c",)])
    if counted:
        check_ranking(ranking, ["a", "b", "c"], rules)
    else:
        assert tally["exhausted_by"] == {"skipped_ranks": "1.0000"}
        with pytest.raises(InvalidBallot, match="left empty"):
            check_ranking(ranking, ["a", "b", "c"], rules)


def test_trailing_empty_ranks_are_no_skip():
    rules = RankedRules(max_skipped_ranks=0)
    check_ranking((("a",), (), ()), ["a", "b"], rules)


def test_duplicate_is_skipped_or_exhausts():
    # c is eliminated first; its ballot ranks c twice, then b.
    cast = ballots((1, "c c b"), (3, "a"), (2, "b"))
    skip = tabulate("irv", ["a", "b", "c"], cast).to_dict()["rounds"]
    assert skip[0]["transfers"]["c"] == {"b": "1.0000"}
    exhaust = tabulate("irv", ["a", "b", "c"], cast, rules=RankedRules(duplicates="exhaust"))
    assert exhaust.to_dict()["rounds"][0]["transfers"]["c"] == {"exhausted": "1.0000"}
    assert exhaust.rounds[1].exhausted == {"duplicate": Decimal(1)}


def test_duplicate_reject_refuses_the_ballot():
    rules = RankedRules(duplicates="reject")
    with pytest.raises(InvalidBallot, match="ranked twice"):
        check_ranking((("a",), ("a",)), ["a", "b"], rules)
    check_ranking((("a",), ("a",)), ["a", "b"], RankedRules())


@pytest.mark.parametrize(
    ("ranking", "message"),
    [
        ((("z",),), "'z' is not one of the options"),
        (((), ()), "ranks no option"),
        ((), "ranks no option"),
        ([("a",)], "a ranking is a tuple of ranks"),
    ],
)
def test_check_ranking_refuses_what_no_count_can_use(ranking, message):
    with pytest.raises(InvalidBallot, match=message):
        check_ranking(ranking, ["a", "b"], RankedRules())


# Ties.

# Round 1: a 5, b 3, c 2, d 1; d's ballot goes to c, so b and c tie at 3 in round 2.
TIE = ballots((5, "a"), (3, "b"), (2, "c"), (1, "d c"))


def _round_two_loser(options: list[str], **rules: object) -> tuple[str, dict]:
    report = tabulate("irv", options, TIE, rules=RankedRules.from_dict(rules))
    second = report.rounds[1]
    assert second.tally["b"] == second.tally["c"] == 3
    return second.eliminated[0], second.tie_breaks[0]


def test_previous_round_counts_eliminate_the_option_behind_earlier():
    loser, record = _round_two_loser(["a", "b", "c", "d"])
    assert (loser, record["by"]) == ("c", "previous_round_counts")
    loser, _ = _round_two_loser(["a", "c", "b", "d"])
    assert loser == "c"


def test_option_order_eliminates_the_option_listed_later():
    assert _round_two_loser(["a", "b", "c", "d"], tie_break="option_order")[0] == "c"
    assert _round_two_loser(["a", "c", "b", "d"], tie_break="option_order")[0] == "b"


@pytest.mark.parametrize("seed", ["2026-election", "another", "x", "published seed 7"])
def test_random_tie_break_is_a_published_sha256_draw(seed):
    loser, record = _round_two_loser(["a", "b", "c", "d"], tie_break="random", random_seed=seed)

    def key(option: str) -> str:
        return hashlib.sha256(f"{seed}\nround 2 elimination\n{option}".encode()).hexdigest()

    assert record["by"] == "random"
    assert loser == min(["b", "c"], key=key)


def test_random_draws_differ_by_seed():
    losers = {
        _round_two_loser(["a", "b", "c", "d"], tie_break="random", random_seed=str(seed))[0]
        for seed in range(20)
    }
    assert losers == {"b", "c"}


def test_previous_round_counts_fall_back_to_the_draw_when_a_seed_is_given():
    # b and c are level in every round: the fallback decides.
    cast = ballots((5, "a"), (3, "b"), (3, "c"))
    without = tabulate("irv", ["a", "b", "c"], cast)
    assert without.rounds[0].tie_breaks[0]["by"] == "option_order"
    seeded = tabulate("irv", ["a", "b", "c"], cast, rules=RankedRules(random_seed="s"))
    assert seeded.rounds[0].tie_breaks[0]["by"] == "random"


def test_random_tie_break_needs_a_seed():
    with pytest.raises(TallyError, match="needs a random_seed"):
        RankedRules.from_dict({"tie_break": "random"})


def test_condorcet_ties_use_the_tie_break():
    # a and b beat each other equally and both beat c: the method leaves them tied.
    cast = ballots((2, "a b c"), (2, "b a c"))
    assert tabulate("schulze", ["a", "b", "c"], cast).winners == ["a"]
    assert tabulate("schulze", ["b", "a", "c"], cast).winners == ["b"]
    ordered = RankedRules(tie_break="option_order")
    assert tabulate("ranked-pairs", ["b", "a", "c"], cast, rules=ordered).winners == ["b"]
    assert tabulate("ranked-pairs", ["a", "b", "c"], cast, rules=ordered).winners == ["a"]


# Elimination.


def test_batch_elimination_drops_every_hopeless_option_at_once():
    cast = ballots((10, "a"), (8, "b"), (2, "c b"), (1, "d c"))
    single = tabulate("irv", list("abcd"), cast)
    assert single.rounds[0].eliminated == ["d"]
    batch = tabulate("irv", list("abcd"), cast, rules=RankedRules(batch_elimination=True))
    assert batch.rounds[0].eliminated == ["d", "c"]
    assert batch.rounds[1].tally == {"a": 10, "b": 10}


# Thresholds.


@pytest.mark.parametrize(
    ("threshold", "whole", "quota"),
    [
        ("droop", True, "34.0000"),
        ("droop", False, "33.3334"),
        ("hare", True, "50.0000"),
        ("hare", False, "50.0000"),
    ],
)
def test_quota_of_100_votes_for_2_seats(threshold, whole, quota):
    cast = ballots((40, "a"), (30, "b"), (20, "c"), (10, "d"))
    report = tabulate(
        "stv",
        list("abcd"),
        cast,
        seats=2,
        rules=RankedRules(threshold=threshold, threshold_whole=whole),
    )
    assert report.to_dict()["rounds"][0]["threshold"] == quota


def test_hare_fractional_rounds_up():
    rules = RankedRules(threshold="hare", threshold_whole=False, decimal_places=2)
    assert rules.quota(Decimal(100), 3) == Decimal("33.34")
    assert RankedRules(threshold="hare").quota(Decimal(100), 3) == 34


def test_droop_elects_where_hare_does_not():
    cast = ballots((34, "a"), (33, "b"), (33, "c"))
    droop = tabulate("stv", list("abc"), cast, seats=2)
    assert droop.rounds[0].elected == ["a"]
    hare = tabulate("stv", list("abc"), cast, seats=2, rules=RankedRules(threshold="hare"))
    assert hare.rounds[0].elected == []


def test_fractional_droop_elects_where_whole_does_not():
    cast = ballots((Decimal("33.3334"), "a"), (Decimal("33.3333"), "b"), (33, "c"))
    whole = tabulate("stv", list("abc"), cast, seats=2)
    assert whole.rounds[0].elected == []
    fractional = tabulate(
        "stv", list("abc"), cast, seats=2, rules=RankedRules(threshold_whole=False)
    )
    # 99.6667 votes: whole quota floor(33.2222) + 1 = 34, fractional 33.2222 + 0.0001
    assert fractional.rounds[0].threshold == Decimal("33.2223")
    assert fractional.rounds[0].elected == ["a", "b"]


# Surplus transfers: a is elected in round 2 with 40 votes (30 of its own, 10 from d);
# the quota is 34, so 6 votes move on.
SURPLUS = ballots((30, "a c"), (10, "d a b"), (25, "b"), (20, "c"), (15, "e"))


def test_weighted_inclusive_gregory_moves_every_ballot_at_a_fraction():
    report = tabulate("stv", list("abcde"), SURPLUS, seats=2)
    assert report.rounds[1].elected == ["a"]
    assert report.rounds[1].transfers["a"] == {"b": Decimal("1.5"), "c": Decimal("4.5")}
    assert report.rounds[2].tally["b"] == Decimal("26.5")
    assert report.rounds[2].tally["c"] == Decimal("24.5")


def test_gregory_moves_only_the_last_parcel():
    report = tabulate("stv", list("abcde"), SURPLUS, seats=2, rules=RankedRules(surplus="gregory"))
    assert report.rounds[1].transfers["a"] == {"b": Decimal(6)}
    assert report.rounds[2].tally["b"] == 31
    assert report.rounds[2].tally["c"] == 20


def test_decimal_places_truncate_the_surplus_fraction():
    # 6 / 40 = 0.15: one place truncates it to 0.1, so 3 and 1 move instead of 4.5 and 1.5.
    report = tabulate("stv", list("abcde"), SURPLUS, seats=2, rules=RankedRules(decimal_places=1))
    data = report.to_dict()
    assert data["rounds"][1]["transfers"]["a"] == {"b": "1.0", "c": "3.0"}
    assert data["rounds"][2]["tally"]["c"] == "23.0"
    assert data["rounds"][2]["residual_surplus"] == "2.0"
    zero = tabulate("stv", list("abcde"), SURPLUS, seats=2, rules=RankedRules(decimal_places=0))
    assert zero.to_dict()["rounds"][0]["tally"]["a"] == "30"


def test_stv_fills_the_last_seats_when_as_many_options_remain():
    cast = ballots((10, "a"), (9, "b"), (8, "c"), (1, "d"))
    report = tabulate("stv", list("abcd"), cast, seats=3)
    # Quota 8: a, b and c all reach it in round 1.
    assert report.rounds[0].elected == ["a", "b", "c"]
    assert report.winners == ["a", "b", "c"]
    below = ballots((10, "a"), (9, "b"), (5, "c"), (4, "d"))
    filled = tabulate("stv", list("abcd"), below, seats=3)
    # Quota 8: a and b are elected; then d goes, and c fills the last seat as the only one left.
    assert filled.winners == ["a", "b", "c"]
    assert any(one.eliminated == ["d"] for one in filled.rounds)


# The rule set itself.


def test_rules_round_trip_and_refuse_unknown_keys():
    data = {
        "overvote_rule": "always_skip_to_next_rank",
        "max_skipped_ranks": "unlimited",
        "duplicates": "exhaust",
        "tie_break": "random",
        "random_seed": "seed",
        "batch_elimination": True,
        "threshold": "hare",
        "threshold_whole": False,
        "surplus": "gregory",
        "decimal_places": 6,
    }
    assert RankedRules.from_dict(data).to_dict() == data
    assert RankedRules.from_dict({}).to_dict() == RankedRules().to_dict()
    with pytest.raises(TallyError, match="unknown rule 'overvote'"):
        RankedRules.from_dict({"overvote": "reject"})


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"overvote_rule": "skip"}, "overvote_rule must be one of"),
        ({"max_skipped_ranks": -1}, "max_skipped_ranks"),
        ({"max_skipped_ranks": None}, "max_skipped_ranks"),
        ({"decimal_places": 11}, "decimal_places"),
        ({"decimal_places": True}, "decimal_places"),
        ({"batch_elimination": "yes"}, "batch_elimination must be true or false"),
        ({"threshold": "imperiali"}, "threshold must be one of"),
        ({"surplus": "meek"}, "surplus must be one of"),
        ({"random_seed": ""}, "random_seed"),
        ([], "rules must be an object"),
    ],
)
def test_bad_rules_say_what_is_wrong(data, message):
    with pytest.raises(TallyError, match=message):
        RankedRules.from_dict(data)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("vote", ["a", "b"], 1), "unknown method 'vote'"),
        (("irv", ["a", "a"], 1), "listed twice"),
        (("irv", [], 1), "non-empty list"),
        (("stv", ["a", "b"], 3), "3 seats but only 2 options"),
        (("irv", ["a", "b", "c"], 2), "instant runoff fills one seat"),
        (("stv", ["a", "b"], 0), "seats must be"),
    ],
)
def test_tabulate_refuses_what_it_cannot_count(args, message):
    method, options, seats = args
    with pytest.raises(TallyError, match=message):
        tabulate(method, options, ballots((1, "a")), seats=seats)


def test_report_is_deterministic_and_json_ready():
    import json

    cast = ballots((5, "a b"), (4, "b c"), (3, "c a"), (1, "a=b c"))
    for method in ("irv", "stv", "schulze", "ranked-pairs"):
        seats = 1 if method == "irv" else 2
        one = tabulate(method, ["a", "b", "c"], cast, seats=seats).to_dict()
        two = tabulate(method, ["a", "b", "c"], list(reversed(cast)), seats=seats).to_dict()
        assert json.dumps(one) == json.dumps(two)
        assert one["method"] == method and one["winners"]
