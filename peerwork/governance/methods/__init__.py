"""Decision methods other than ranked choice, and participatory-budget rules.

Pure Python: the governance app stores settings and ballots as the JSON these return and
asks `tally` for a result. `docs/governance-methods.md` states each rule.
"""

from __future__ import annotations

from .approval import Approval
from .base import InvalidBallot, InvalidSettings, Method, Option
from .budget import Budget
from .consent import Consent
from .dots import Dots
from .majority import Majority, Supermajority
from .quadratic import Quadratic
from .score import Score
from .time_poll import TimePoll

_METHODS: dict[str, Method] = {
    method.name: method
    for method in (
        Consent(),
        Majority(),
        Supermajority(),
        Approval(),
        Score(),
        Dots(),
        Quadratic(),
        TimePoll(),
        Budget(),
    )
}
METHOD_NAMES: tuple[str, ...] = tuple(_METHODS)


def get_method(name: str) -> Method:
    """The method called `name`; an unknown name is an InvalidSettings naming the known ones."""
    try:
        return _METHODS[name]
    except (KeyError, TypeError):
        raise InvalidSettings(
            "Unknown decision method %(name)r; choose one of: %(known)s.",
            name=name,
            known=", ".join(METHOD_NAMES),
        ) from None


__all__ = [
    "METHOD_NAMES",
    "InvalidBallot",
    "InvalidSettings",
    "Method",
    "Option",
    "get_method",
]
