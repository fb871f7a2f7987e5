"""What every decision method shares: options, errors, the method interface and the checks.

Methods are pure: no Django, no database. The app stores the cleaned settings and ballots
(all JSON-able) and calls `tally` when a decision closes, so a result can be recomputed from
the stored rows at any time and gives the same answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, ClassVar

Ballots = Sequence[tuple[dict[str, Any], int]]


@dataclass(frozen=True)
class Option:
    """One choice on a ballot; `cost` (minor currency units) only for budgets."""

    id: str
    label: str
    cost: int | None = None


class Refusal(ValueError):
    """An error whose message is a template with `%(name)s` placeholders and its params.

    str() is the English text; the app translates `template` and fills in `params` itself,
    so these modules need no Django. A literal per cent sign in a template is written `%%`.
    """

    def __init__(self, template: str, /, **params: Any) -> None:
        super().__init__(template % params)
        self.template = template
        self.params = params


class InvalidBallot(Refusal):
    """A ballot that the method cannot count; the message says what to change."""


class InvalidSettings(Refusal):
    """Settings (or options) the method cannot run with; the message says what to change."""


class Method:
    """A decision method: validates settings and ballots, then tallies weighted ballots."""

    name: ClassVar[str]
    label: ClassVar[str]
    kind: ClassVar[str]  # "single" | "multi" | "consent" | "budget": the form the UI shows
    min_options: ClassVar[int] = 1

    def clean_settings(self, raw: Mapping[str, Any] | None, options: Sequence[Option]) -> dict:
        """Check the options and the settings; return the settings with defaults filled in."""
        check_options(options, minimum=self.min_options, method=self.name)
        raw = dict(raw or {})
        settings = self._clean_settings(raw, options)
        unknown = sorted(set(raw) - set(settings))
        if unknown:
            raise InvalidSettings(
                "%(method)s has no setting %(unknown)s; its settings are: %(known)s."
                if settings
                else "%(method)s has no setting %(unknown)s; its settings are: none.",
                method=self.name,
                unknown=", ".join(unknown),
                known=", ".join(sorted(settings)),
            )
        return settings

    def _clean_settings(self, raw: dict[str, Any], options: Sequence[Option]) -> dict:
        return {}

    def clean_ballot(
        self, raw: Mapping[str, Any], options: Sequence[Option], settings: Mapping[str, Any]
    ) -> dict:
        """Check one ballot against the options and settings; return its normal form."""
        raise NotImplementedError

    def tally(
        self, options: Sequence[Option], ballots: Ballots, settings: Mapping[str, Any]
    ) -> dict:
        """Count (cleaned ballot, weight) pairs; a weight of 3 counts like three ballots."""
        raise NotImplementedError


# --- checks shared by the methods ---------------------------------------------------------


def check_options(options: Sequence[Option], *, minimum: int, method: str) -> None:
    if len(options) < minimum:
        raise InvalidSettings(
            (
                "%(method)s needs at least %(minimum)s option; got %(count)s. "
                "Add options before opening the decision."
            )
            if minimum == 1
            else (
                "%(method)s needs at least %(minimum)s options; got %(count)s. "
                "Add options before opening the decision."
            ),
            method=method,
            minimum=minimum,
            count=len(options),
        )
    seen: set[str] = set()
    for option in options:
        if not isinstance(option, Option):
            raise InvalidSettings(
                "Options must be Option objects, not %(type)s.", type=type(option).__name__
            )
        if not isinstance(option.id, str) or not option.id:
            raise InvalidSettings("Every option needs a non-empty text id.")
        if option.id in seen:
            raise InvalidSettings(
                "Option id %(option)r is used twice; give each its own id.", option=option.id
            )
        seen.add(option.id)


def check_ballot_keys(raw: Any, allowed: Iterable[str], required: Iterable[str] = ()) -> dict:
    """The ballot is an object with only the given keys (and the required ones present)."""
    if not isinstance(raw, Mapping):
        raise InvalidBallot("A ballot must be an object, not %(type)s.", type=type(raw).__name__)
    allowed = set(allowed)
    extra = sorted(str(k) for k in raw if k not in allowed)
    if extra:
        raise InvalidBallot(
            "Unexpected field %(extra)s in the ballot; it may hold only: %(allowed)s.",
            extra=", ".join(extra),
            allowed=", ".join(sorted(allowed)),
        )
    missing = [k for k in required if k not in raw]
    if missing:
        raise InvalidBallot("The ballot lacks %(missing)s.", missing=", ".join(missing))
    return dict(raw)


def option_ids(options: Sequence[Option]) -> dict[str, int]:
    """Option id -> its position, the order that breaks every tie."""
    return {option.id: index for index, option in enumerate(options)}


def check_option_id(value: Any, known: Mapping[str, int]) -> str:
    if not isinstance(value, str):
        raise InvalidBallot("An option id must be text, not %(type)s.", type=type(value).__name__)
    if value not in known:
        raise InvalidBallot(
            "Unknown option %(option)r; choose among: %(known)s.",
            option=value,
            known=", ".join(known),
        )
    return value


def check_id_list(value: Any, known: Mapping[str, int], field: str) -> list[str]:
    """A list of distinct option ids, returned in option order."""
    if not isinstance(value, list | tuple):
        raise InvalidBallot(
            "%(field)s must be a list of option ids, not %(type)s.",
            field=field,
            type=type(value).__name__,
        )
    ids: set[str] = set()
    for item in value:
        option_id = check_option_id(item, known)
        if option_id in ids:
            raise InvalidBallot(
                "Option %(option)r is listed twice in %(field)s; list it once.",
                option=option_id,
                field=field,
            )
        ids.add(option_id)
    return sorted(ids, key=known.__getitem__)


def check_id_map(value: Any, known: Mapping[str, int], field: str) -> dict[str, Any]:
    """An object keyed by option ids (values checked by the caller), in option order."""
    if not isinstance(value, Mapping):
        raise InvalidBallot(
            "%(field)s must be an object from option id to value, not %(type)s.",
            field=field,
            type=type(value).__name__,
        )
    for key in value:
        check_option_id(key, known)
    return {key: value[key] for key in sorted(value, key=known.__getitem__)}


def is_int(value: Any) -> bool:
    """An int that is not a bool (JSON true would otherwise count as 1)."""
    return isinstance(value, int) and not isinstance(value, bool)


def int_setting(raw: Mapping[str, Any], key: str, default: int | None, *, minimum: int) -> int:
    value = raw.get(key, default)
    if value is None:
        raise InvalidSettings(
            "The setting %(key)s is required: give a whole number >= %(minimum)s.",
            key=key,
            minimum=minimum,
        )
    if not is_int(value):
        raise InvalidSettings(
            "The setting %(key)s must be a whole number, not %(value)r.", key=key, value=value
        )
    if value < minimum:
        raise InvalidSettings(
            "The setting %(key)s must be at least %(minimum)s; got %(value)s.",
            key=key,
            minimum=minimum,
            value=value,
        )
    return value


_FRACTION = re.compile(r"^\s*\d+\s*/\s*\d+\s*$|^\s*\d*\.?\d+\s*$")


def parse_fraction(value: Any, key: str) -> Fraction:
    """Accept "2/3", "0.6" or an int; floats are refused because 0.1 is not exact."""
    if is_int(value):
        return Fraction(value)
    if isinstance(value, str) and _FRACTION.match(value):
        try:
            return Fraction(value.replace(" ", ""))
        except ZeroDivisionError:
            pass
    raise InvalidSettings(
        'The setting %(key)s must be a fraction written as text such as "2/3" or "0.6"; '
        "got %(value)r.",
        key=key,
        value=value,
    )


def fraction_text(value: Fraction) -> str:
    """Exact and JSON-able: "3", "7/2"."""
    return str(value)


def check_weight(weight: Any) -> int:
    if not is_int(weight) or weight < 1:
        raise ValueError(f"A ballot's weight must be a whole number >= 1; got {weight!r}.")
    return weight


def common_result(ballots: Ballots, rule: str) -> dict[str, Any]:
    """The fields every result has; the caller adds winners, passed and its counts."""
    return {
        "rule": rule,
        "ballots": len(ballots),
        "weight": sum(check_weight(weight) for _, weight in ballots),
    }


def best_first(
    options: Sequence[Option], key: Mapping[str, Any], *, eligible: Iterable[str] | None = None
) -> list[str]:
    """Option ids by descending key, ties by option order."""
    order = option_ids(options)
    ids = list(order) if eligible is None else list(eligible)
    return sorted(ids, key=lambda i: (_negate(key[i]), order[i]))


def _negate(value: Any) -> Any:
    if isinstance(value, tuple):
        return tuple(-v for v in value)
    return -value
