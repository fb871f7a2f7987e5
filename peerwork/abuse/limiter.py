"""Rate limits and sign-in throttling, counted in the database (docs/decisions/0060-*.md).

Each limit is a bucket: a kind of action ("edit"), whom it counts ("newbie": one new account,
"user": one established account, "ip": one address, for new accounts and people not signed
in, "ip-all": one address, for everyone) and a number per period, as in MediaWiki's
`$wgRateLimits`, whose figures are the defaults. A hit adds one to each bucket that applies with
one atomic UPSERT and reads the new count back (`RETURNING`); over the limit, it raises
RateLimited. The hit runs inside the action's transaction, so a refused or failed action
counts nothing and concurrent hits queue on the row: exactly N of any number succeed.

Sign-ins count attempts, not failures, in the same way: an attempt is counted before the
password is checked (so a hundred parallel guesses get exactly five checks), and a successful
one clears its account's counters and takes its own attempt back from the address's, leaving
the address's count of failures (an attack on other accounts) as it was.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from peerwork.core.errors import RateLimited
from peerwork.core.policy import is_site_admin, signed_in

from .models import Counter
from .policy_schema import field_name

#: MediaWiki's DefaultSettings.php figures: `$wgRateLimits['edit']` (ip, newbie: 8 per 60 s;
#: user: 90 per 60 s). MediaWiki limits no comments or supports; they take the edit figures.
#: Sign-ups: MediaWiki's `$wgAccountCreationThrottle` is off by default (a count of 0), and
#: so is peerwork's: a steward turns it on in settings (Wikimedia's wikis use 6 per address
#: per day: `PEERWORK_RATE_LIMITS = {"signup": {"ip": [6, 86400]}}`). API tokens have no
#: MediaWiki counterpart: 10 an hour per account and per address.
DEFAULTS: dict[str, dict[str, tuple[int, int]]] = {
    "edit": {"ip": (8, 60), "newbie": (8, 60), "user": (90, 60)},
    "comment": {"ip": (8, 60), "newbie": (8, 60), "user": (90, 60)},
    "support": {"ip": (8, 60), "newbie": (8, 60), "user": (90, 60)},
    "signup": {},
    "token": {"ip": (10, 3600), "newbie": (10, 3600), "user": (10, 3600)},
}
#: Kinds counted per space, whose figures a space's policy may change.
SPACE_KINDS = ("edit", "comment", "support")
BUCKETS = ("newbie", "user", "ip", "ip-all")
#: MediaWiki's `$wgPasswordAttemptThrottle`: 5 per 300 s and 150 per 48 hours, per account and
#: per address.
LOGIN_THROTTLE: tuple[tuple[int, int], ...] = ((5, 300), (150, 48 * 3600))

_UPSERT = """
INSERT INTO abuse_counter (bucket, count, resets_at) VALUES (%s, 1, %s)
ON CONFLICT (bucket) DO UPDATE SET
    count = CASE WHEN abuse_counter.resets_at <= %s THEN 1 ELSE abuse_counter.count + 1 END,
    resets_at = CASE WHEN abuse_counter.resets_at <= %s
        THEN excluded.resets_at ELSE abuse_counter.resets_at END
RETURNING count, resets_at
"""


def _now() -> int:
    return int(time.time())


def bump(bucket: str, seconds: int, now: int | None = None) -> tuple[int, int]:
    """Add one to `bucket` (a new period if its last one ended); (count, resets_at)."""
    now = _now() if now is None else now
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT, [bucket, now + seconds, now, now])
        count, resets_at = cursor.fetchone()
    return int(count), int(resets_at)


def duration(seconds: int) -> str:
    """'42 seconds', '4 minutes', '3 hours', '2 days': rounded up, so nobody comes back early."""
    seconds = max(1, int(seconds))
    if seconds < 60:
        return ngettext("%(n)d second", "%(n)d seconds", seconds) % {"n": seconds}
    minutes = math.ceil(seconds / 60)
    if minutes < 120:
        return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
    hours = math.ceil(seconds / 3600)
    if hours < 48:
        return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}
    days = math.ceil(seconds / 86400)
    return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}


def _limit_sentence(kind: str, count: int, seconds: int) -> str:
    period = duration(seconds)
    sentences = {
        "edit": _("You may save at most %(count)d edits in %(period)s."),
        "comment": _("You may post at most %(count)d comments in %(period)s."),
        "support": _("You may support at most %(count)d ideas in %(period)s."),
        "signup": _("At most %(count)d accounts may be created from one address in %(period)s."),
        "token": _("You may create at most %(count)d API tokens in %(period)s."),
    }
    return sentences.get(kind, _("You may do this at most %(count)d times in %(period)s.")) % {
        "count": count,
        "period": period,
    }


def refusal(kind: str, count: int, seconds: int, wait: int) -> RateLimited:
    message = " ".join(
        [
            _limit_sentence(kind, count, seconds),
            _("Try again in %(wait)s.") % {"wait": duration(wait)},
        ]
    )
    return RateLimited(message, retry_after=max(1, wait), limit=count, seconds=seconds, kind=kind)


@dataclass(frozen=True)
class Applied:
    """One limit that applies to one hit: its bucket, number and period."""

    bucket: str
    scope: str
    count: int
    seconds: int


def site_limits(kind: str) -> dict[str, tuple[int, int]]:
    """The site's figures for `kind`: the defaults, as settings.PEERWORK_RATE_LIMITS changes them
    (`{"edit": {"user": [30, 60]}}`; a count of 0 removes that bucket)."""
    figures = dict(DEFAULTS.get(kind, {}))
    for bucket, pair in (getattr(settings, "PEERWORK_RATE_LIMITS", {}) or {}).get(kind, {}).items():
        figures[bucket] = (int(pair[0]), int(pair[1]))
    return {bucket: pair for bucket, pair in figures.items() if pair[0] > 0}


def limits_for(kind: str, space: Any = None) -> dict[str, tuple[int, int]]:
    """The figures in force for `kind` in `space`: the space's policy over the site's."""
    figures = site_limits(kind)
    if space is not None and kind in SPACE_KINDS:
        section = (space.policy or {}).get("limits", {})
        for bucket in ("newbie", "user", "ip"):
            per_minute = section.get(field_name(kind, bucket), 0)
            if per_minute:
                figures[bucket] = (int(per_minute), 60)
    return figures


def is_exempt(user: Any, space: Any) -> bool:
    """Site administrators, and in a space its stewards and bot accounts (members too if the
    space's policy says so): MediaWiki gives `noratelimit` to sysops and bots."""
    if not signed_in(user):
        return False
    if is_site_admin(user):
        return True
    if space is None:
        return False
    from peerwork.spaces.selectors import is_bot, space_role

    role = space_role(user, space)
    exempt = (space.policy or {}).get("limits", {}).get("exempt", "steward")
    if role == "steward" or (exempt == "member" and role == "member"):
        return True
    return role is not None and is_bot(user, space)


def is_newbie(user: Any, space: Any) -> bool:
    """Not yet autoconfirmed in the space (MediaWiki's "newbie"); without a space, an account
    younger than settings.PEERWORK_NEW_ACCOUNT_SECONDS."""
    if space is not None:
        from peerwork.reputation.privileges import has_privilege

        return not has_privilege(user, space, "autoconfirmed")
    from django.utils import timezone

    age = (timezone.now() - user.date_joined).total_seconds()
    return age < getattr(settings, "PEERWORK_NEW_ACCOUNT_SECONDS", 4 * 86400)


def applied(kind: str, *, user: Any, space: Any, address: str | None) -> list[Applied]:
    """The limits one hit counts against, with the bucket each is kept in."""
    figures = limits_for(kind, space)
    if not figures:
        return []
    where = f"s{space.pk}" if space is not None and kind in SPACE_KINDS else "site"
    wanted: list[tuple[str, str]] = []
    if signed_in(user):
        newbie = is_newbie(user, space)
        wanted.append(("newbie" if newbie else "user", f"u{user.pk}"))
        if address and newbie:
            wanted.append(("ip", f"a{address}"))
    elif address:
        wanted.append(("ip", f"a{address}"))
    if address:
        wanted.append(("ip-all", f"a{address}"))
    return [
        Applied(f"{kind}:{bucket}:{who}:{where}:{figures[bucket][1]}", bucket, *figures[bucket])
        for bucket, who in wanted
        if bucket in figures
    ]


class DatabaseLimiter:
    def enabled(self) -> bool:
        return bool(getattr(settings, "PEERWORK_RATE_LIMITS_ON", True))

    def hit(self, kind: str, *, user: Any, space: Any, address: str | None) -> None:
        if not self.enabled() or is_exempt(user, space):
            return
        limits = applied(kind, user=user, space=space, address=address)
        if not limits:
            return
        now = _now()
        with transaction.atomic():  # a refusal takes back every bucket this hit counted
            for limit in limits:
                count, resets_at = bump(limit.bucket, limit.seconds, now)
                if count > limit.count:
                    raise refusal(kind, limit.count, limit.seconds, resets_at - now)

    # --- sign-in -------------------------------------------------------------------------

    def _login_buckets(self, username: str, address: str | None) -> list[tuple[str, str, int, int]]:
        name = username.strip().casefold()[:150]
        buckets = [(f"login:account:{name}", "account", n, s) for n, s in LOGIN_THROTTLE]
        if address:
            buckets += [(f"login:address:{address}", "address", n, s) for n, s in LOGIN_THROTTLE]
        return [(f"{key}:{s}", scope, n, s) for key, scope, n, s in buckets]

    def login_attempt(self, *, username: str, address: str | None) -> None:
        if not self.enabled():
            return
        now = _now()
        with transaction.atomic():
            for bucket, scope, limit, seconds in self._login_buckets(username, address):
                count, resets_at = bump(bucket, seconds, now)
                if count > limit:
                    wait = duration(resets_at - now)
                    if scope == "account":
                        message = _(
                            "Too many failed sign-ins for this account. Try again in %(wait)s."
                        )
                    else:
                        message = _(
                            "Too many failed sign-ins from your address. Try again in %(wait)s."
                        )
                    raise RateLimited(
                        message % {"wait": wait},
                        retry_after=max(1, resets_at - now),
                        limit=limit,
                        seconds=seconds,
                        kind="login",
                    )

    def login_succeeded(self, *, username: str, address: str | None) -> None:
        if not self.enabled():
            return
        now = _now()
        with transaction.atomic():
            for bucket, scope, _limit, _seconds in self._login_buckets(username, address):
                rows = Counter.objects.filter(bucket=bucket)
                if scope == "account":
                    rows.delete()
                else:
                    from django.db.models import F

                    rows.filter(count__gt=0, resets_at__gt=now).update(count=F("count") - 1)


LIMITER = DatabaseLimiter()


def counters_purge(now: int | None = None) -> int:
    """Delete the counters whose period ended (they count from one again anyway)."""
    deleted, _details = Counter.objects.filter(
        resets_at__lte=_now() if now is None else now
    ).delete()
    return deleted
