"""action=options and the `options` of meta=userinfo: a person's preferences as MediaWiki names
them (decision 0054).

Two of them are settings peerwork has on every account, and are read and written there, so one
setting is one value: `language` (the interface language) and `timecorrection` (the time zone).
The others MediaWiki's clients read (`date`, `editfont`, user scripts' `userjs-*` options...)
are kept in `User.preferences` when they differ from MediaWiki's default, through the same
`accounts.actions.user_update_profile` that the profile page and `PATCH /api/v1/me` use.
"""

from __future__ import annotations

import zoneinfo
from datetime import datetime
from typing import Any

from django.conf import settings

from peerwork.accounts.actions import MAX_PREFERENCE_VALUE, user_update_profile
from peerwork.core import policy
from peerwork.core.errors import Forbidden, Invalid, NotAuthenticated

from .. import auth
from ..context import Ctx
from ..errors import ApiError

#: MediaWiki 1.39's defaults for the options it registers (those of a stock installation).
DEFAULTS: dict[str, Any] = {
    "ccmeonemails": 0,
    "date": "default",
    "diffonly": 0,
    "disablemail": 0,
    "editfont": "monospace",
    "editondblclick": 0,
    "editsectiononrightclick": 0,
    "email-allow-new-users": 1,
    "enotifminoredits": 0,
    "enotifrevealaddr": 0,
    "enotifusertalkpages": 1,
    "enotifwatchlistpages": 1,
    "extendwatchlist": 1,
    "fancysig": 0,
    "forceeditsummary": 0,
    "gender": "unknown",
    "hideminor": 0,
    "hidepatrolled": 0,
    "hidecategorization": 1,
    "imagesize": 2,
    "minordefault": 0,
    "newpageshidepatrolled": 0,
    "nickname": "",
    "norollbackdiff": 0,
    "previewonfirst": 0,
    "previewontop": 1,
    "rcdays": 7,
    "rcenhancedfilters-disable": 0,
    "rclimit": 50,
    "search-match-redirect": True,
    "search-special-page": "Search",
    "searchlimit": 20,
    "showhiddencats": 0,
    "shownumberswatching": 1,
    "showrollbackconfirmation": 0,
    "skin": "vector",
    "thumbsize": 5,
    "underline": 2,
    "uselivepreview": 0,
    "usenewrc": 1,
    "watchcreations": 1,
    "watchdefault": 1,
    "watchdeletion": 0,
    "watchuploads": 1,
    "watchlistdays": 7,
    "watchlisthideanons": 0,
    "watchlisthidebots": 0,
    "watchlisthideliu": 0,
    "watchlisthideminor": 0,
    "watchlisthideown": 0,
    "watchlisthidepatrolled": 0,
    "watchlisthidecategorization": 1,
    "watchlistreloadautomatically": 0,
    "watchlistunwatchlinks": 0,
    "watchmoves": 0,
    "watchrollback": 0,
    "wlenhancedfilters-disable": 0,
    "wllimit": 250,
    "useeditwarning": 1,
    "prefershttps": 1,
    "requireemail": 0,
    "timecorrection": "System|0",
    "language": "en",
    "variant": "en",
    **{f"searchNs{number}": int(number == 0) for number in range(16)},
}
#: The values MediaWiki's preference forms offer, for the options that offer a choice.
CHOICES: dict[str, tuple[str, ...]] = {
    "date": ("default", "dmy", "mdy", "ymd", "ISO 8601"),
    "editfont": ("monospace", "sans-serif", "serif"),
    "gender": ("male", "female", "unknown"),
    "language": tuple(code for code, _name in settings.LANGUAGES),
}
#: Options whose value is an account field of peerwork's, not an entry of `preferences`.
MAPPED = {"language", "timecorrection"}
RESET_KINDS = (
    "registered",
    "registered-multiselect",
    "registered-checkmatrix",
    "userjs",
    "special",
    "unused",
    "all",
)
NOT_VALID = "not a valid preference."
NOT_AN_OPTION = "The value you specified is not a valid option."


def _time_correction(time_zone: str) -> str:
    """A time zone as MediaWiki's `timecorrection`: `ZoneInfo|<minutes east of UTC>|<zone>`."""
    if not time_zone or time_zone == "UTC":
        return "System|0"
    try:
        offset = datetime.now(zoneinfo.ZoneInfo(time_zone)).utcoffset()
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return "System|0"
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    return f"ZoneInfo|{minutes}|{time_zone}"


def _zone_of(value: str) -> str | None:
    """The time zone a `timecorrection` names, or None when it names none peerwork keeps (a
    bare offset other than zero has no zone, so its clock rules are unknown)."""
    parts = value.split("|")
    if parts[0] == "System":
        return "UTC"
    if parts[0] == "ZoneInfo" and len(parts) == 3 and parts[2] in zoneinfo.available_timezones():
        return parts[2]
    if parts[0] == "Offset" and len(parts) == 2 and parts[1].strip() in ("0", "+0", "-0"):
        return "UTC"
    return None


def options_of(user: Any) -> dict[str, Any]:
    """Everything `uiprop=options` shows: MediaWiki's defaults, then the person's own."""
    options = dict(DEFAULTS)
    if not policy.signed_in(user):
        return options
    options["language"] = user.language or settings.LANGUAGE_CODE.split("-")[0]
    options["timecorrection"] = _time_correction(user.time_zone)
    options.update(user.preferences or {})
    return options


def _kind(name: str) -> str:
    if name.startswith("userjs-"):
        return "userjs"
    if name in DEFAULTS:
        return "registered"
    return "unused"


def _invalid_reason(name: str, value: str) -> str | None:
    """Why `name=value` cannot be set (MediaWiki's validation message), or None if it can."""
    kind = _kind(name)
    if kind == "unused":
        return NOT_VALID
    if len(value) > MAX_PREFERENCE_VALUE:
        return "Value too long (no more than 64 KiB allowed)."
    if name in CHOICES and value not in CHOICES[name]:
        return NOT_AN_OPTION
    if name == "timecorrection" and _zone_of(value) is None:
        return NOT_AN_OPTION
    return None


def _requested(ctx: Ctx) -> list[tuple[str, str | None]]:
    """The changes asked for, in MediaWiki's order: `change` first, then `optionname`; a
    name with no value asks for its default."""
    params = ctx.params
    changes: list[tuple[str, str | None]] = []
    for item in params.values("change"):
        name, equals, value = item.partition("=")
        changes.append((name, value if equals else None))
    if params.has("optionname"):
        changes.append((params.text("optionname"), params.text("optionvalue")))
    return changes


def action_options(ctx: Ctx) -> dict[str, Any]:
    params = ctx.params
    if not policy.signed_in(ctx.user):
        raise ApiError("notloggedin", "Anonymous users cannot change preferences.")
    auth.check_csrf(ctx)
    auth.require_write_scope(ctx)
    reset = params.flag("reset")
    kinds = params.choices("resetkinds", RESET_KINDS, ctx, default=["all"])
    changes = _requested(ctx)
    if not changes and not (reset and kinds):
        raise ApiError("nochanges", "No changes were requested.")
    person = ctx.user
    language, time_zone = person.language, person.time_zone
    preferences = dict(person.preferences or {})
    if reset:
        if "all" in kinds or {"registered", "registered-multiselect"} & set(kinds):
            language, time_zone = "", "UTC"
            preferences = {k: v for k, v in preferences.items() if _kind(k) != "registered"}
        if "all" in kinds or "userjs" in kinds:
            preferences = {k: v for k, v in preferences.items() if _kind(k) != "userjs"}
    for name, value in changes:
        reason = _invalid_reason(name, value or "")
        if value is not None and reason is not None:
            ctx.warn("options", f'Validation error for "{name}": {reason}')
            continue
        if name == "language":
            language = value or ""
        elif name == "timecorrection":
            time_zone = _zone_of(value) if value else "UTC"
        elif value is None or (name in DEFAULTS and str(DEFAULTS[name]) == value):
            preferences.pop(name, None)  # back to MediaWiki's default: nothing to keep
        elif _kind(name) != "unused":
            preferences[name] = value
    fields = {"language": language, "time_zone": time_zone, "preferences": preferences}
    try:
        user_update_profile(user=ctx.user, person=person, **fields)
    except (Forbidden, NotAuthenticated):
        raise ApiError(
            "permissiondenied", "You don't have permission to edit preferences."
        ) from None
    except Invalid as error:
        raise ApiError("badvalue", error.detail) from None
    return {"options": "success"}
