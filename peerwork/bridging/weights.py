"""How a milestone counts an idea's supporters when the space asks for it (decision 0058).

1. Coordinated groups: the members of one standing group who supported the idea share one
   support between them (each weighs 1/m for m of them), when the policy discounts groups.
2. Bridged counting: each supporter is on a side of the viewpoint axis (the sign of their
   rater factor) when they have at least `min_ratings` signals and sit at least
   `side_threshold_percent` of the space's spread (the root mean square of the placed
   people's factors) from the middle; the others are in the middle. With the weights after
   step 1, the larger side counts at most `side_ratio` times everyone else (the other side
   and the middle): when it has more, each of its supports weighs cap / its weight.

The count is the sum of the weights; each support below 1 is listed with how much it lost
and why.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .policy_schema import BridgingPolicy


@dataclass
class Weighed:
    user_id: int
    weight: float = 1.0
    #: -1, 0 (the middle or not placed) or 1
    side: int = 0
    factor: float | None = None
    group: int | None = None
    #: ("coordinated", {...}) and ("one_viewpoint", {...}) with the numbers behind them
    reasons: list[tuple[str, dict[str, float]]] = field(default_factory=list)

    @property
    def discount(self) -> float:
        return 1.0 - self.weight


def side_of(factor: float | None, ratings: int, policy: BridgingPolicy, scale: float) -> int:
    """-1 or 1 for a person at least `side_threshold_percent` of `scale` (the root mean
    square of the placed people's factors) from the middle; 0 for the middle."""
    if factor is None or ratings < policy.min_ratings or scale <= 0:
        return 0
    if abs(factor) < scale * policy.side_threshold_percent / 100:
        return 0
    return 1 if factor > 0 else -1


def weigh(
    supporters: list[int],
    *,
    positions: dict[int, tuple[float, int]],
    groups: dict[int, int],
    policy: BridgingPolicy,
    scale: float = 1.0,
) -> list[Weighed]:
    """Each supporter's weight. `positions`: user id -> (rater factor, signals); `groups`:
    user id -> the standing coordinated group they belong to."""
    weighed = []
    for user_id in sorted(supporters):
        factor, ratings = positions.get(user_id, (None, 0))
        weighed.append(
            Weighed(
                user_id,
                side=side_of(factor, ratings, policy, scale),
                factor=factor,
                group=groups.get(user_id),
            )
        )
    if policy.coordination.is_discounted:
        together: dict[int, list[Weighed]] = {}
        for one in weighed:
            if one.group is not None:
                together.setdefault(one.group, []).append(one)
        for group, members in together.items():
            if len(members) < 2:
                continue
            for one in members:
                one.weight = 1.0 / len(members)
                one.reasons.append(("coordinated", {"group": group, "members": len(members)}))
    if policy.milestone_counting == "bridged":
        by_side = {side: sum(o.weight for o in weighed if o.side == side) for side in (-1, 0, 1)}
        larger = 1 if by_side[1] >= by_side[-1] else -1
        rest = by_side[-larger] + by_side[0]
        cap = policy.side_ratio * rest
        if by_side[larger] > cap:
            scale = cap / by_side[larger]
            for one in weighed:
                if one.side == larger:
                    one.weight *= scale
                    one.reasons.append(
                        (
                            "one_viewpoint",
                            {
                                "side": round(by_side[larger], 3),
                                "rest": round(rest, 3),
                                "ratio": policy.side_ratio,
                            },
                        )
                    )
    return weighed


def counted(weighed: list[Weighed]) -> float:
    return round(sum(one.weight for one in weighed), 6)
