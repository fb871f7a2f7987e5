"""Ballots, the entry check, and reading a ballot under the rules once, before any round.

How a ranking reads (which options it names, in which order, and why it stops) depends only
on the rules, never on which options are still continuing; so each distinct ranking is read
once and identical readings are counted as one group, which is what makes 100,000 ballots
quick to count.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import chain
from operator import itemgetter

from .errors import InvalidBallot, TallyError
from .rules import RankedRules

#: Why a ballot stopped counting; the report counts inactive votes under these names.
OVERVOTE = "overvote"
SKIPPED = "skipped_ranks"
DUPLICATE = "duplicate"
NO_MORE = "no_more_choices"
STOPS = (OVERVOTE, SKIPPED, DUPLICATE, NO_MORE)

Ranking = tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Ballot:
    """One cast ranking: one tuple per rank, rank 1 first; weight counts identical ballots."""

    ranking: Ranking
    weight: int | Decimal = 1


@dataclass(frozen=True)
class Reading:
    """A ranking as the rules read it: the options it can give its vote to, then why it stops."""

    choices: tuple[str, ...]
    stop: str


def read_ranking(ranking: Ranking, known: frozenset[str], rules: RankedRules) -> Reading:
    """Walk the ranks as a tabulator does; raise InvalidBallot where the rules refuse."""
    _check_shape(ranking)
    try:
        fits = known.issuperset(chain.from_iterable(ranking))
    except TypeError:
        fits = False
    if not fits:
        option = next(option for rank in ranking for option in rank if option not in known)
        raise InvalidBallot(
            "%(option)r is not one of the options; rank only %(known)s",
            option=option,
            known=", ".join(sorted(known)),
        )
    if set(map(len, ranking)) == {1}:
        # The common ballot: one option per rank, no gap; only a repeat needs the long walk.
        plain = tuple(map(itemgetter(0), ranking))
        if len(set(plain)) == len(plain):
            return Reading(plain, NO_MORE)
    choices: list[str] = []
    seen: set[str] = set()
    blanks = 0
    limit = rules.max_skipped_ranks
    for rank in ranking:
        if not rank:
            blanks += 1
            continue
        if limit is not None and blanks > limit:
            return Reading(tuple(choices), SKIPPED)
        blanks = 0
        if len(rank) > 1 and len(set(rank)) > 1:
            if rules.overvote_rule == "reject":
                raise InvalidBallot(
                    "one rank holds %(count)s options (%(options)s); give each rank one option",
                    count=len(set(rank)),
                    options=", ".join(rank),
                )
            if rules.overvote_rule == "exhaust_immediately":
                return Reading(tuple(choices), OVERVOTE)
            continue
        option = rank[0]
        if option in seen:
            if rules.duplicates == "reject":
                raise InvalidBallot(
                    "'%(option)s' is ranked twice; rank each option once", option=option
                )
            if rules.duplicates == "exhaust":
                return Reading(tuple(choices), DUPLICATE)
            continue
        seen.add(option)
        choices.append(option)
    return Reading(tuple(choices), NO_MORE)


def check_ranking(ranking: Ranking, options: Sequence[str], rules: RankedRules) -> None:
    """Refuse at entry a ranking the count would refuse or cut short by a voter's slip.

    Raises InvalidBallot for an empty ballot, an unknown option, an overvote or a duplicate
    the rules refuse, and more consecutive skipped ranks than allowed before a later mark.
    """
    reading = read_ranking(ranking, frozenset(options), rules)
    if not any(rank for rank in ranking):
        raise InvalidBallot("the ballot ranks no option; rank at least one")
    if reading.stop == SKIPPED:
        allowed = rules.max_skipped_ranks
        raise InvalidBallot(
            ("more than %(allowed)s rank in a row left empty before a later choice; close the gap")
            if allowed == 1
            else (
                "more than %(allowed)s ranks in a row left empty before a later choice; "
                "close the gap"
            ),
            allowed=allowed,
        )


def _check_shape(ranking: object) -> None:
    """Ranks are tuples; that their contents are option ids is checked against the options."""
    if type(ranking) is not tuple or not set(map(type, ranking)) <= {tuple}:
        raise InvalidBallot(
            "a ranking is a tuple of ranks, each a tuple of option ids: (('a',), ('b', 'c'), ())"
        )


def group_ballots(
    ballots: Iterable[Ballot], options: Sequence[str], rules: RankedRules
) -> tuple[dict[Reading, Decimal], int]:
    """Identical readings summed into one weight each, and the number of ballots read."""
    known = frozenset(options)
    by_ranking: dict[Ranking, Decimal] = {}
    count = 0
    for ballot in ballots:
        if type(ballot) is not Ballot and not isinstance(ballot, Ballot):
            raise TallyError("expected a Ballot, got %(type)s", type=type(ballot).__name__)
        weight = ballot.weight
        if type(weight) is not int and (
            isinstance(weight, bool)
            or not isinstance(weight, int | Decimal)
            or (isinstance(weight, Decimal) and not weight.is_finite())
        ):
            raise TallyError(
                "a ballot's weight must be a number 0 or more, not %(weight)r", weight=weight
            )
        if weight < 0:
            raise TallyError(
                "a ballot's weight must be a number 0 or more, not %(weight)r", weight=weight
            )
        count += 1
        ranking = ballot.ranking
        by_ranking[ranking] = by_ranking.get(ranking, Decimal(0)) + weight
    groups: dict[Reading, Decimal] = {}
    for ranking, weight in by_ranking.items():
        reading = read_ranking(ranking, known, rules)
        groups[reading] = groups.get(reading, Decimal(0)) + weight
    return groups, count
