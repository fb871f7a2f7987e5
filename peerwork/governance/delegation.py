"""Liquid delegation: whose ballot carries whose vote on one proposal (docs/governance.md).

Pure: the close, the live tally and "how my vote stands" all follow this one rule. The close
writes each ballot's weight and the people it carried; the dump publishes them (with the
delegations, names and times), so anyone can check the weights by this rule and recount.

The rule, exactly:
1. A person with a direct ballot votes for themself; their delegations are ignored for it.
2. Otherwise their delegation for the proposal is the live one whose topic is one of the
   proposal's topics, the proposal's first-listed topic winning when several match; failing
   that, their space-wide delegation (topic ""); failing that, they have none.
3. The vote follows delegations from person to person until it reaches someone with a direct
   ballot, whose ballot then carries it (weight + 1).
4. It is not cast when the chain reaches someone with neither ballot nor delegation, or comes
   back to a person already on it (a cycle: everyone on the loop who did not vote loses it;
   no one is picked to break it, so the result cannot depend on the order rows were read).
5. Only eligible people's votes are carried; the chain may pass through anyone.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Link:
    delegator: int
    delegate: int
    topic: str = ""


@dataclass
class Resolution:
    #: voter id -> the people (delegators) whose votes their ballot carries, in id order
    carried: dict[int, list[int]] = field(default_factory=dict)
    #: delegator id -> the chain of people the vote went through, ending at the voter
    via: dict[int, list[int]] = field(default_factory=dict)
    #: delegator id -> why the vote was not cast: "no_vote" or "cycle"
    lost: dict[int, str] = field(default_factory=dict)

    def weight(self, voter: int) -> int:
        return 1 + len(self.carried.get(voter, ()))


def choose(links: Iterable[Link], topics: Sequence[str]) -> dict[int, int]:
    """Each delegator's delegate for a proposal with these topics (rule 2)."""
    rank = {topic: index for index, topic in enumerate(topics)}
    best: dict[int, tuple[int, int]] = {}
    for link in links:
        if link.topic and link.topic not in rank:
            continue
        order = rank[link.topic] if link.topic else len(rank)
        if link.delegator not in best or order < best[link.delegator][0]:
            best[link.delegator] = (order, link.delegate)
    return {delegator: delegate for delegator, (_, delegate) in best.items()}


def resolve(
    *, voters: Iterable[int], eligible: Iterable[int], links: Iterable[Link], topics: Sequence[str]
) -> Resolution:
    voted = set(voters)
    to = choose(links, topics)
    result = Resolution()
    for person in sorted(set(eligible) - voted):
        if person not in to:
            continue
        chain = [person]
        seen = {person}
        current = to[person]
        while True:
            chain.append(current)
            if current in voted:
                result.carried.setdefault(current, []).append(person)
                result.via[person] = chain[1:]
                break
            if current in seen:
                result.lost[person] = "cycle"
                break
            if current not in to:
                result.lost[person] = "no_vote"
                break
            seen.add(current)
            current = to[current]
    return result
