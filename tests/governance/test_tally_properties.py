"""Whatever the ballots and rules, a count loses no vote and fills its seats.

Every round's continuing and elected votes, inactive votes and residual surplus add up to the
votes cast; inactive votes only grow; an option that leaves never comes back; the winners are
as many as the seats; and the count does not depend on the order of the ballots.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from peerwork.governance.tally import Ballot, RankedRules, tabulate

OPTIONS = ["a", "b", "c", "d", "e"]

rank = st.one_of(
    st.sampled_from(OPTIONS).map(lambda option: (option,)),
    st.just(()),
    st.lists(st.sampled_from(OPTIONS), min_size=2, max_size=3, unique=True).map(tuple),
)
ballot = st.builds(
    Ballot,
    st.lists(rank, min_size=0, max_size=6).map(tuple),
    st.integers(min_value=0, max_value=50),
)
rules = st.builds(
    RankedRules,
    overvote_rule=st.sampled_from(["exhaust_immediately", "always_skip_to_next_rank"]),
    max_skipped_ranks=st.sampled_from([0, 1, 2, None]),
    duplicates=st.sampled_from(["skip", "exhaust"]),
    tie_break=st.sampled_from(["previous_round_counts", "option_order", "random"]),
    random_seed=st.just("seed"),
    batch_elimination=st.booleans(),
    threshold=st.sampled_from(["droop", "hare"]),
    threshold_whole=st.booleans(),
    surplus=st.sampled_from(["weighted_inclusive_gregory", "gregory"]),
    decimal_places=st.integers(min_value=0, max_value=6),
)


@settings(max_examples=300, deadline=None)
@given(
    ballots=st.lists(ballot, min_size=1, max_size=25),
    rules=rules,
    method=st.sampled_from(["irv", "stv"]),
    seats=st.integers(min_value=1, max_value=4),
)
def test_runoff_counts_lose_no_vote(ballots, rules, method, seats):
    seats = 1 if method == "irv" else seats
    report = tabulate(method, OPTIONS, ballots, seats=seats, rules=rules)
    cast = sum((Decimal(one.weight) for one in ballots), Decimal(0))
    inactive = Decimal(-1)
    gone: set[str] = set()
    for one in report.rounds:
        total = sum(one.tally.values(), Decimal(0)) + sum(one.exhausted.values(), Decimal(0))
        assert total + one.residual_surplus == cast, f"round {one.number}"
        exhausted = sum(one.exhausted.values(), Decimal(0))
        assert exhausted >= inactive
        inactive = exhausted
        assert not gone & set(one.tally)
        gone.update(one.eliminated)
        for source, moved in one.transfers.items():
            if source in one.eliminated:
                assert sum(moved.values(), Decimal(0)) == one.tally[source]
    assert len(report.winners) == seats == len(set(report.winners))
    again = tabulate(method, OPTIONS, list(reversed(ballots)), seats=seats, rules=rules)
    assert again.to_dict() == report.to_dict()


@settings(max_examples=200, deadline=None)
@given(
    ballots=st.lists(ballot, min_size=1, max_size=25),
    rules=rules,
    method=st.sampled_from(["schulze", "ranked-pairs"]),
    seats=st.integers(min_value=1, max_value=5),
)
def test_condorcet_orders_are_complete_and_beat_what_follows(ballots, rules, method, seats):
    report = tabulate(method, OPTIONS, ballots, seats=seats, rules=rules)
    assert len(report.winners) == seats == len(set(report.winners))
    d = report.pairwise
    assert d is not None
    first = report.winners[0]
    condorcet = [a for a in OPTIONS if all(d[a][b] > d[b][a] for b in OPTIONS if b != a)]
    if condorcet:
        assert first == condorcet[0]
    again = tabulate(method, OPTIONS, list(reversed(ballots)), seats=seats, rules=rules)
    assert again.to_dict() == report.to_dict()
