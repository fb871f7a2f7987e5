"""The counting rules of a ranked count, each a documented choice (docs/governance-tally.md).

They are the choices a certified tabulator (RCTab) asks an election official to make, because
two honest counts of the same ballots can differ on each of them. A rule set is validated in
full when it is read, so a typo is an error before any ballot is counted, not a silent default.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import ROUND_DOWN, ROUND_UP, Decimal
from functools import cached_property
from typing import Any

from .errors import TallyError

OVERVOTE_RULES = ("exhaust_immediately", "always_skip_to_next_rank", "reject")
DUPLICATE_RULES = ("skip", "exhaust", "reject")
TIE_BREAKS = ("previous_round_counts", "random", "option_order")
THRESHOLDS = ("droop", "hare")
SURPLUS_RULES = ("weighted_inclusive_gregory", "gregory")
UNLIMITED = "unlimited"


@dataclass(frozen=True)
class RankedRules:
    """One rule set; `from_dict` reads and checks it, `to_dict` writes it back unchanged.

    overvote_rule: a rank holding two or more options either ends the ballot there
        ("exhaust_immediately"), is passed over ("always_skip_to_next_rank"), or is refused at
        entry and by the count ("reject").
    max_skipped_ranks: how many consecutive empty ranks a ballot may pass over before a later
        mark; more exhaust it there (0, 1, ... or "unlimited", stored as None).
    duplicates: an option ranked again after its first rank is passed over ("skip"), ends the
        ballot there ("exhaust"), or is refused ("reject").
    tie_break: how a tie for elimination or election is settled: "previous_round_counts" (the
        option with fewer votes in the latest earlier round where they differ loses), then
        "random" when a random_seed is given, else "option_order"; "random" (a SHA-256 draw
        from the published random_seed); "option_order" (the option listed later loses).
    batch_elimination: eliminate together every lowest option whose combined votes are fewer
        than the votes of the next option up (none of them could overtake it).
    threshold / threshold_whole: Droop (votes / (seats + 1)) or Hare (votes / seats); whole
        is floor(v/(s+1)) + 1 for Droop and ceil(v/s) for Hare; fractional truncates v/(s+1) to
        decimal_places and adds the smallest unit, or rounds v/s up to decimal_places.
    surplus: "weighted_inclusive_gregory" moves every ballot of an elected option at its
        current value times surplus / votes; "gregory" moves only the last parcel (the ballots
        that arrived in the latest transfer), at surplus / parcel value, at most their value.
    decimal_places: vote arithmetic keeps this many places and truncates (rounds toward zero)
        every division and product, so no transfer is ever larger than the votes it comes from.
    """

    overvote_rule: str = "exhaust_immediately"
    max_skipped_ranks: int | None = 1
    duplicates: str = "skip"
    tie_break: str = "previous_round_counts"
    random_seed: str | None = None
    batch_elimination: bool = False
    threshold: str = "droop"
    threshold_whole: bool = True
    surplus: str = "weighted_inclusive_gregory"
    decimal_places: int = 4

    def __post_init__(self) -> None:
        _choice("overvote_rule", self.overvote_rule, OVERVOTE_RULES)
        _choice("duplicates", self.duplicates, DUPLICATE_RULES)
        _choice("tie_break", self.tie_break, TIE_BREAKS)
        _choice("threshold", self.threshold, THRESHOLDS)
        _choice("surplus", self.surplus, SURPLUS_RULES)
        skipped = self.max_skipped_ranks
        if skipped is not None and (
            isinstance(skipped, bool) or not isinstance(skipped, int) or skipped < 0
        ):
            raise TallyError(
                "max_skipped_ranks must be a whole number 0 or more, or 'unlimited', not %(value)r",
                value=skipped,
            )
        for name in ("batch_elimination", "threshold_whole"):
            if not isinstance(getattr(self, name), bool):
                raise TallyError(
                    "%(name)s must be true or false, not %(value)r",
                    name=name,
                    value=getattr(self, name),
                )
        places = self.decimal_places
        if isinstance(places, bool) or not isinstance(places, int) or not 0 <= places <= 10:
            raise TallyError(
                "decimal_places must be a whole number from 0 to 10, not %(value)r", value=places
            )
        if self.random_seed is not None and (
            not isinstance(self.random_seed, str) or not self.random_seed.strip()
        ):
            raise TallyError("random_seed must be a non-empty text, published before the count")
        if self.tie_break == "random" and self.random_seed is None:
            raise TallyError(
                "tie_break 'random' needs a random_seed: publish one before the count and give "
                "it as random_seed"
            )

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> RankedRules:
        """Read a rule set; an unknown key or a wrong value raises TallyError naming it."""
        if data is None:
            return cls()
        if not isinstance(data, dict):
            raise TallyError(
                "rules must be an object of rule names to values, not %(value)r", value=data
            )
        known = {name for name in cls.__dataclass_fields__}
        for key in data:
            if key not in known:
                raise TallyError(
                    "unknown rule '%(key)s'; the rules are: %(known)s",
                    key=key,
                    known=", ".join(sorted(known)),
                )
        values = dict(data)
        if values.get("max_skipped_ranks") == UNLIMITED:
            values["max_skipped_ranks"] = None
        elif "max_skipped_ranks" in values and values["max_skipped_ranks"] is None:
            raise TallyError("max_skipped_ranks must be a whole number or 'unlimited', not null")
        return cls(**values)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        if self.max_skipped_ranks is None:
            data["max_skipped_ranks"] = UNLIMITED
        return data

    # Arithmetic: every value the count keeps has exactly `decimal_places` places.

    @cached_property
    def unit(self) -> Decimal:
        return Decimal(1).scaleb(-self.decimal_places)

    def down(self, value: Decimal) -> Decimal:
        """Truncate to decimal_places (toward zero), as RCTab does."""
        return value.quantize(self.unit, rounding=ROUND_DOWN)

    def up(self, value: Decimal) -> Decimal:
        return value.quantize(self.unit, rounding=ROUND_UP)

    def text(self, value: Decimal) -> str:
        return str(self.down(value))

    def quota(self, active: Decimal, seats: int) -> Decimal:
        """The votes an option needs to be elected, from the active votes of the first round."""
        if self.threshold == "hare":
            share = active / seats
            return (
                share.to_integral_value(rounding=ROUND_UP)
                if self.threshold_whole
                else self.up(share)
            )
        share = active / (seats + 1)
        if self.threshold_whole:
            return share.to_integral_value(rounding=ROUND_DOWN) + 1
        return self.down(share) + self.unit


def _choice(name: str, value: object, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise TallyError(
            "%(name)s must be one of %(allowed)s, not %(value)r",
            name=name,
            allowed=", ".join(allowed),
            value=value,
        )
