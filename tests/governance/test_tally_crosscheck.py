"""The engine agrees with two independent libraries on many random profiles.

pyrankvote counts IRV and STV (Droop quota votes/(seats+1) in floating point, hopeless
candidates dropped together; a transfer spreads the votes moved evenly over the ballots
moved, which is our weighted inclusive Gregory only while those ballots all have one value);
votelib counts Schulze (winning votes) and ranked pairs (margins) from its own pairwise
matrix. Each library settles ties its own way, so each case takes the first profile of its
seeds where no tie decides anything (and, for STV, no ballot of mixed value moves again).
"""

from __future__ import annotations

import random

import pyrankvote
import pytest
from votelib.convert import RankedToCondorcetVotes
from votelib.evaluate.condorcet import RankedPairs, Schulze

from peerwork.governance.tally import Ballot, RankedRules, Report, tabulate

OPTIONS = ["a", "b", "c", "d", "e", "f"]
PROFILES = 150


def _profile(seed: int, full: bool) -> dict[tuple[str, ...], int]:
    """A few distinct rankings, each cast by a random number of voters (so ties are rare)."""
    chance = random.Random(seed)
    options = OPTIONS[: chance.randint(3, len(OPTIONS))]
    profile: dict[tuple[str, ...], int] = {}
    for _ in range(chance.randint(4, 14)):
        order = chance.sample(options, len(options))
        if not full:
            order = order[: chance.randint(1, len(options))]
        profile[tuple(order)] = profile.get(tuple(order), 0) + chance.randint(1, 400)
    return profile


def _ballots(profile: dict[tuple[str, ...], int]) -> list[Ballot]:
    return [Ballot(tuple((option,) for option in order), count) for order, count in profile.items()]


def _options(profile: dict[tuple[str, ...], int]) -> list[str]:
    seen = {option for order in profile for option in order}
    return [option for option in OPTIONS if option in seen]


def _tied(report: Report) -> bool:
    """True when equal counts could have decided a round (two continuing options level, or one
    exactly at the threshold, where the libraries' quotas differ by the smallest unit)."""
    elected: set[str] = set()
    for one in report.rounds:
        votes = [votes for option, votes in one.tally.items() if option not in elected]
        if len(set(votes)) < len(votes) or one.threshold in votes:
            return True
        elected.update(one.elected)
    return bool(report.tie_breaks) or any(one.tie_breaks for one in report.rounds)


def _pyrankvote(profile: dict[tuple[str, ...], int], seats: int) -> list[str]:
    candidates = {name: pyrankvote.Candidate(name) for name in _options(profile)}
    ballots = [
        pyrankvote.Ballot(ranked_candidates=[candidates[name] for name in order])
        for order, count in profile.items()
        for _ in range(count)
    ]
    if seats == 1:
        result = pyrankvote.instant_runoff_voting(list(candidates.values()), ballots)
    else:
        result = pyrankvote.single_transferable_vote(list(candidates.values()), ballots, seats)
    return [candidate.name for candidate in result.get_winners()]


@pytest.mark.parametrize("seed", range(PROFILES))
def test_instant_runoff_agrees_with_pyrankvote(seed):
    for attempt in range(30):
        profile = _profile(seed * 30 + attempt, full=False)
        report = tabulate("irv", _options(profile), _ballots(profile))
        if not _tied(report):
            break
    else:
        pytest.skip("no profile without ties among these seeds")
    assert report.winners == _pyrankvote(profile, 1)


def _mixed(report: Report) -> bool:
    """An option that received part of a surplus moves its ballots on again."""
    received: set[str] = set()
    for one in report.rounds:
        if any(option in received for option in one.eliminated) or any(
            option in received and one.transfers.get(option) for option in one.elected
        ):
            return True
        for source in one.elected:
            received.update(t for t, votes in one.transfers.get(source, {}).items() if votes)
    return False


@pytest.mark.parametrize("seed", range(PROFILES))
def test_stv_agrees_with_pyrankvote(seed):
    # pyrankvote's rules: quota votes/(seats+1) reached or passed, precise fractions, and
    # every hopeless option dropped at once.
    rules = RankedRules(
        threshold_whole=False, decimal_places=10, batch_elimination=True, max_skipped_ranks=None
    )
    for attempt in range(30):
        profile = _profile(100_000 + seed * 30 + attempt, full=False)
        options = _options(profile)
        if len(options) < 4:
            continue
        report = tabulate("stv", options, _ballots(profile), seats=2, rules=rules)
        if not _tied(report) and not _mixed(report):
            break
    else:
        pytest.skip("no profile without ties among these seeds")
    assert sorted(report.winners) == sorted(_pyrankvote(profile, 2))


def _votelib(profile: dict[tuple[str, ...], int], evaluator: object, seats: int) -> list[str]:
    pairwise = RankedToCondorcetVotes(unranked_at_bottom=True).convert(dict(profile))
    return list(evaluator.evaluate(pairwise, seats))  # type: ignore[attr-defined]


def _level_pair(report: Report) -> bool:
    """Some pair of options is level, which the methods may settle differently."""
    assert report.pairwise is not None
    d = report.pairwise
    return any(d[a][b] == d[b][a] for a in d for b in d[a])


@pytest.mark.parametrize("seed", range(PROFILES))
def test_schulze_agrees_with_votelib(seed):
    for attempt in range(30):
        profile = _profile(200_000 + seed * 30 + attempt, full=seed % 2 == 0)
        options = _options(profile)
        seats = min(3, len(options))
        report = tabulate("schulze", options, _ballots(profile), seats=seats)
        if not report.tie_breaks and not _level_pair(report):
            break
    else:
        pytest.skip("no profile without ties among these seeds")
    assert report.winners == _votelib(profile, Schulze(), seats)


@pytest.mark.parametrize("seed", range(PROFILES))
def test_ranked_pairs_agrees_with_votelib(seed):
    for attempt in range(30):
        profile = _profile(300_000 + seed * 30 + attempt, full=seed % 2 == 0)
        report = tabulate("ranked-pairs", _options(profile), _ballots(profile))
        if not report.tie_breaks and not _level_pair(report):
            break
    else:
        pytest.skip("no profile without ties among these seeds")
    assert report.winners == _votelib(profile, RankedPairs("margins"), 1)
