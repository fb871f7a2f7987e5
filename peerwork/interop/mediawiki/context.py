"""One API request: its parameters, viewer, space and output format (formatversion 1 or 2)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from django.http import HttpRequest

from peerwork.spaces.models import Space
from peerwork.wiki.titles import title_text

from .errors import bad_integer, bad_timestamp, bad_value, missing_param

MULTI_SEPARATOR = "\x1f"


class Params:
    """The request's parameters, GET and POST together (POST wins), read the way MediaWiki
    reads them: a boolean is true when present, whatever its value."""

    def __init__(self, data: dict[str, str]) -> None:
        self.data = data

    def has(self, name: str) -> bool:
        return name in self.data

    def flag(self, name: str) -> bool:
        return name in self.data

    def text(self, name: str, default: str | None = None, *, required: bool = False) -> Any:
        value = self.data.get(name)
        if value is None:
            if required:
                raise missing_param(name)
            return default
        return value

    def required(self, name: str) -> str:
        value = self.data.get(name)
        if value is None or value == "":
            raise missing_param(name)
        return value

    def values(self, name: str) -> list[str]:
        raw = self.data.get(name)
        if raw is None or raw == "":
            return []
        if raw.startswith(MULTI_SEPARATOR):
            return [part for part in raw[1:].split(MULTI_SEPARATOR)]
        return raw.split("|")

    def choices(
        self, name: str, allowed: Any, ctx: Ctx, *, default: list[str] | None = None
    ) -> list[str]:
        """A multi-value parameter; unknown values are dropped with a warning, as MediaWiki does."""
        if not self.has(name):
            return list(default or [])
        chosen: list[str] = []
        for value in self.values(name):
            if value == "*" and "*" not in allowed:
                chosen.extend(v for v in allowed if v not in chosen)
            elif value in allowed:
                if value not in chosen:
                    chosen.append(value)
            else:
                ctx.warn(name, f'Unrecognized value for parameter "{name}": {value}')
        return chosen

    def choice(self, name: str, allowed: Any, default: str | None = None) -> Any:
        value = self.data.get(name)
        if value is None or (value == "" and "" not in allowed):
            return default
        if value not in allowed:
            raise bad_value(name, value)
        return value

    def integer(self, name: str, default: int | None = None, *, minimum: int | None = None) -> Any:
        value = self.data.get(name)
        if value is None or value == "":
            return default
        if not re.fullmatch(r"[+-]?\d{1,18}", value.strip()):
            raise bad_integer(name, value)
        number = int(value)
        if minimum is not None and number < minimum:
            raise _below_minimum(name, value, minimum)
        return number

    def integers(self, name: str) -> list[int]:
        numbers = []
        for value in self.values(name):
            if not re.fullmatch(r"[+-]?\d{1,18}", value.strip()):
                raise bad_integer(name, value)
            numbers.append(int(value))
        return numbers

    def limit(self, name: str, ctx: Ctx, *, default: int, maximum: int) -> int:
        value = self.data.get(name)
        if value is None or value == "":
            return default
        if value == "max":
            return maximum
        number = self.integer(name)
        if number < 1:
            raise _below_minimum(name, value, 1)
        if number > maximum:
            ctx.warn(name, f'"{name}" may not be over {maximum} (set to {number}) for you.')
            return maximum
        return int(number)

    def timestamp(self, name: str) -> datetime | None:
        value = self.data.get(name)
        if value is None or value == "":
            return None
        parsed = parse_timestamp(value)
        if parsed is None:
            raise bad_timestamp(name, value)
        return parsed


def _below_minimum(name: str, value: str, minimum: int) -> Exception:
    from .errors import ApiError

    return ApiError(
        "badinteger", f'Invalid value "{value}" for integer parameter "{name}": below {minimum}.'
    )


def parse_timestamp(value: str) -> datetime | None:
    """MediaWiki's accepted forms: YYYYMMDDHHMMSS, ISO 8601, and `now`."""
    value = value.strip()
    if value == "now":
        return datetime.now(UTC)
    try:
        if re.fullmatch(r"\d{14}", value):
            return datetime.strptime(value, "%Y%m%d%H%M%S").replace(tzinfo=UTC)
        if re.fullmatch(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:?\d\d)?", value):
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
            if parsed.tzinfo is None:
                parsed = parsed.replace(tzinfo=UTC)
            return parsed.astimezone(UTC)
    except (ValueError, OverflowError):
        return None
    return None


INFINITE_EXPIRIES = frozenset({"infinite", "indefinite", "infinity", "never"})
_RELATIVE_RE = re.compile(
    r"\+?\s*(\d{1,6})\s*(second|sec|minute|min|hour|day|week|fortnight|month|year)s?",
    re.IGNORECASE,
)
_UNIT_SECONDS = {
    "second": 1,
    "sec": 1,
    "minute": 60,
    "min": 60,
    "hour": 3600,
    "day": 86400,
    "week": 7 * 86400,
    "fortnight": 14 * 86400,
    "month": 30 * 86400,
    "year": 365 * 86400,
}


class ExpiryError(ValueError):
    pass


def parse_expiry(value: str, *, now: datetime | None = None) -> datetime | None:
    """A MediaWiki expiry: `infinite` (and its synonyms) is None; a timestamp in any of the
    API's forms; or a relative time such as `1 week`, `2 days 3 hours`, `+6 months` (months of
    30 days, years of 365, as a duration rather than a calendar date). Raises ExpiryError for
    anything else. Whether it lies in the future is the caller's question."""
    text = (value or "").strip()
    if text == "" or text.lower() in INFINITE_EXPIRIES:
        return None
    moment = parse_timestamp(text)
    if moment is not None and text != "now":
        return moment
    start = now or datetime.now(UTC)
    rest = text
    total = 0
    while rest:
        match = _RELATIVE_RE.match(rest)
        if match is None:
            raise ExpiryError(value)
        total += int(match.group(1)) * _UNIT_SECONDS[match.group(2).lower()]
        rest = rest[match.end() :].lstrip(" ,")
    try:
        return start + timedelta(seconds=total)
    except OverflowError:
        raise ExpiryError(value) from None


def expiry_text(moment: datetime | None) -> str:
    """How the API writes an expiry: `infinite`, or an ISO 8601 timestamp."""
    return "infinite" if moment is None else iso(moment)


def iso(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def compact(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%d%H%M%S")


def whole_second_after(moment: datetime) -> datetime:
    return moment.replace(microsecond=0) + timedelta(seconds=1)


def user_name(name: str) -> str:
    """A username as MediaWiki writes it: a capital first, spaces for underscores (peerwork's
    are unique whatever their case, and `user_by_username` reads the spaces back)."""
    name = name.replace("_", " ")
    return name[:1].upper() + name[1:] if name else name


def full_title(namespace: int, title: str) -> str:
    return title_text(namespace, title)


@dataclass
class Ctx:
    request: HttpRequest
    params: Params
    #: None while the viewer may not see the space (only the sign-in modules answer then).
    space: Space | None
    slug: str
    formatversion: int = 1
    warnings: dict[str, list[str]] = field(default_factory=dict)

    @property
    def user(self) -> Any:
        return self.request.user

    @property
    def fv2(self) -> bool:
        return self.formatversion == 2

    def warn(self, module: str, text: str) -> None:
        self.warnings.setdefault(module, []).append(text)

    def set_flag(self, target: dict[str, Any], key: str, value: bool) -> None:
        """fv1: the key is present ("") when true, absent when false; fv2: a JSON boolean."""
        if self.fv2:
            target[key] = bool(value)
        elif value:
            target[key] = ""

    def flag_value(self) -> Any:
        return True if self.fv2 else ""

    @property
    def content_key(self) -> str:
        return "content" if self.fv2 else "*"

    def text_node(self, text: str) -> Any:
        """A string that formatversion 1 wraps as {"*": text}."""
        return text if self.fv2 else {"*": text}
