"""Instant runoff and single transferable vote, round by round as RCTab counts them.

Each round: count the continuing options; elect every option at or over the threshold (IRV:
more than half of the continuing votes, recomputed each round; STV: the quota of the first
round's active votes, fixed); if there are no more continuing options than seats left, elect
them all; otherwise eliminate the lowest (or a batch). The ballots of an eliminated option move
whole to their next continuing choice; an elected option's surplus moves at a fraction (the
`surplus` rule), all of one round's winners at once, and what rounding leaves over the quota
is kept as residual surplus. After the last seat of a multi-seat count, one more round shows
where the last surpluses went.

Identical readings are one group with one weight, and only the groups of the option that
leaves the count are moved, so a round costs the ballots it moves, not all ballots.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import ROUND_DOWN, Decimal

from .ballots import STOPS, Reading
from .report import Round
from .rules import RankedRules
from .ties import break_tie

EXHAUSTED = "exhausted"
ZERO = Decimal(0)
ONE = Decimal(1)


def runoff(
    method: str,
    options: Sequence[str],
    groups: dict[Reading, Decimal],
    seats: int,
    rules: RankedRules,
) -> tuple[list[str], list[Round]]:
    """The winners in the order elected, and the rounds."""
    choices = [reading.choices for reading in groups]
    stops = [reading.stop for reading in groups]
    weights = list(groups.values())
    count = len(choices)
    transfer_value = [ONE] * count
    value = [weight if weight == int(weight) else rules.down(weight) for weight in weights]
    position = [0] * count
    arrived = [1] * count
    continuing = set(options)
    piles: dict[str, list[int]] = {option: [] for option in options}
    tally = dict.fromkeys(options, ZERO)
    exhausted = dict.fromkeys(STOPS, ZERO)
    held: dict[str, Decimal] = {}

    def place(group: int, start: int, round_number: int) -> str:
        ranked = choices[group]
        index = start
        while index < len(ranked) and ranked[index] not in continuing:
            index += 1
        if index < len(ranked):
            option = ranked[index]
            position[group] = index
            arrived[group] = round_number
            piles[option].append(group)
            tally[option] += value[group]
            return option
        exhausted[stops[group]] += value[group]
        return EXHAUSTED

    for group in range(count):
        place(group, 0, 1)

    winners: list[str] = []
    rounds: list[Round] = []
    history: list[dict[str, Decimal]] = []
    threshold: Decimal | None = None
    residual = ZERO
    number = 0
    order = {option: index for index, option in enumerate(options)}
    while True:
        number += 1
        standing = [option for option in options if option in continuing]
        snapshot = dict(tally)
        active = sum((tally[option] for option in standing), ZERO)
        if method == "irv":
            threshold = _majority(active, rules)
        elif number == 1:
            threshold = rules.quota(active, seats)
        assert threshold is not None
        counts = {
            option: held[option] if option in held else tally[option]
            for option in options
            if option in continuing or option in held
        }
        current = Round(
            number=number,
            tally=counts,
            threshold=threshold,
            exhausted={reason: votes for reason, votes in exhausted.items() if votes},
            residual_surplus=residual,
        )
        rounds.append(current)
        unfilled = seats - len(winners)
        if unfilled == 0:
            break
        if not standing:
            break
        by_votes = sorted(standing, key=lambda option: (-tally[option], order[option]))
        if len(standing) <= unfilled:
            elected = by_votes
        else:
            # A quota of 0 (no active votes) elects no one: the count eliminates instead.
            elected = [option for option in by_votes if 0 < tally[option] >= threshold]
            while len(elected) > unfilled:  # a safeguard: the quotas leave room for no more
                elected.remove(
                    _lowest(elected, tally, rules, options, history, number, current, "election")
                )
        if elected:
            current.elected = elected
            winners.extend(elected)
            continuing.difference_update(elected)
            for option in elected:
                votes = tally[option]
                moved = _transfer_surplus(
                    option,
                    votes,
                    threshold,
                    seats,
                    rules,
                    number,
                    piles[option],
                    arrived,
                    transfer_value,
                    weights,
                    value,
                    position,
                    place,
                )
                if seats > 1:
                    current.transfers[option] = _ordered(moved, order)
                kept = votes - sum(moved.values(), ZERO)
                if kept > threshold and seats > 1:
                    residual += kept - threshold
                    kept = threshold
                held[option] = kept
            if method == "irv" or seats == 1:
                break
        else:
            losers = _losers(standing, tally, unfilled, rules, options, history, number, current)
            current.eliminated = losers
            continuing.difference_update(losers)
            for option in losers:
                flows: dict[str, Decimal] = {}
                for group in piles[option]:
                    target = place(group, position[group] + 1, number + 1)
                    flows[target] = flows.get(target, ZERO) + value[group]
                current.transfers[option] = _ordered(flows, order)
                piles[option] = []
        history.append(snapshot)
    return winners, rounds


def _majority(active: Decimal, rules: RankedRules) -> Decimal:
    """More than half: the smallest count on the rules' grid above active / 2."""
    if rules.threshold_whole and active == active.to_integral_value():
        return (active / 2).to_integral_value(rounding=ROUND_DOWN) + 1
    return rules.down(active / 2) + rules.unit


def _transfer_surplus(
    option: str,
    votes: Decimal,
    threshold: Decimal,
    seats: int,
    rules: RankedRules,
    number: int,
    pile: list[int],
    arrived: list[int],
    transfer_value: list[Decimal],
    weights: list[Decimal],
    value: list[Decimal],
    position: list[int],
    place: Callable[[int, int, int], str],
) -> dict[str, Decimal]:
    """Move an elected option's surplus on; return the votes moved to each target."""
    surplus = votes - threshold
    if seats == 1 or surplus <= 0 or not pile:
        return {}
    if rules.surplus == "gregory":
        last = max(arrived[group] for group in pile)
        movers = [group for group in pile if arrived[group] == last]
    else:
        movers = list(pile)
    base = sum((value[group] for group in movers), ZERO)
    if base <= 0:
        return {}
    fraction = min(rules.down(surplus / base), ONE)
    moved: dict[str, Decimal] = {}
    for group in movers:
        transfer_value[group] = rules.down(transfer_value[group] * fraction)
        value[group] = rules.down(weights[group] * transfer_value[group])
        target = place(group, position[group] + 1, number + 1)
        moved[target] = moved.get(target, ZERO) + value[group]
    pile.clear()
    return moved


def _losers(
    standing: list[str],
    tally: dict[str, Decimal],
    unfilled: int,
    rules: RankedRules,
    options: Sequence[str],
    history: list[dict[str, Decimal]],
    number: int,
    current: Round,
) -> list[str]:
    """The options eliminated this round: a batch when the rules allow one, else the lowest."""
    order = {option: index for index, option in enumerate(options)}
    ascending = sorted(standing, key=lambda option: (tally[option], order[option]))
    if rules.batch_elimination:
        batch = 0
        total = ZERO
        for index in range(len(ascending) - 1):
            total += tally[ascending[index]]
            if total < tally[ascending[index + 1]] and len(standing) - (index + 1) >= unfilled:
                batch = index + 1
        if batch > 1:
            return ascending[:batch]
    return [_lowest(ascending, tally, rules, options, history, number, current, "elimination")]


def _lowest(
    among: list[str],
    tally: dict[str, Decimal],
    rules: RankedRules,
    options: Sequence[str],
    history: list[dict[str, Decimal]],
    number: int,
    current: Round,
    purpose: str,
) -> str:
    """The option with the fewest votes, a tie settled by the tie_break rule."""
    lowest = min(tally[option] for option in among)
    tied = [option for option in among if tally[option] == lowest]
    if len(tied) == 1:
        return tied[0]
    loser, record = break_tie(
        tied,
        lose=True,
        rules=rules,
        options=options,
        history=history,
        context=f"round {number} {purpose}",
    )
    current.tie_breaks.append(record)
    return loser


def _ordered(moved: dict[str, Decimal], order: dict[str, int]) -> dict[str, Decimal]:
    return dict(sorted(moved.items(), key=lambda item: order.get(item[0], len(order))))
