"""Regular expressions a steward writes, made safe to run on anyone's text.

Python's `re` backtracks, and a pattern such as `(a+)+$` takes exponential time on a short
text, while `buy.*cheap.*pills` takes seconds on ten thousand characters. Two fences:

1. Before a filter is saved, `check` refuses what is known to explode: patterns longer than
   MAX_PATTERN_CHARS, a repeat inside a repeat (`(a+)+`, `(a*b?)*`), alternatives inside a repeat
   (`(a|ab)*`), back-references, and more than MAX_OPEN_REPEATS unbounded repeats.
2. Every match runs in a separate, isolated Python process (`python -I -S`, no Django, no
   network) that is killed after `settings.PEERWORK_FILTER_TIMEOUT` seconds (1 by default), on
   text cut to MAX_TEXT_CHARS. A pattern that runs out of time counts as not matched and is
   logged, so no steward's pattern can hang a save. All of a contribution's patterns run in
   one process (one start, about 20-80 ms), and only in spaces whose enabled filters have any.
"""

from __future__ import annotations

import json
import logging
import re
import subprocess  # noqa: S404  (a fixed command: this interpreter and the script below)
import sys
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from peerwork.core.errors import Invalid

from .models import MAX_PATTERN_CHARS

logger = logging.getLogger("peerwork.moderation")

#: The most characters of a text a pattern is run on.
MAX_TEXT_CHARS = 20_000
MAX_OPEN_REPEATS = 4
FLAGS = re.IGNORECASE | re.UNICODE

_REPEATS = {sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT, sre_parse.POSSESSIVE_REPEAT}
_UNBOUNDED = sre_parse.MAXREPEAT


def _walk(parsed: Any, inside_repeat: bool, counts: dict[str, int], field: str) -> None:
    for op, value in parsed:
        if op in _REPEATS:
            low, high, sub = value
            is_open = high == _UNBOUNDED or high > 100
            if is_open:
                counts["open"] += 1
            if inside_repeat and (is_open or high > 1):
                raise Invalid(
                    _("A repeat inside a repeat, such as (a+)+, can take forever; simplify it."),
                    field=field,
                )
            _walk(sub, inside_repeat or is_open or high > 1, counts, field)
        elif op == sre_parse.BRANCH:
            if inside_repeat:
                raise Invalid(
                    _(
                        "Alternatives inside a repeat, such as (a|ab)*, can take forever; use a "
                        "character class or list the words outside the repeat."
                    ),
                    field=field,
                )
            for branch in value[1]:
                _walk(branch, inside_repeat, counts, field)
        elif op in {sre_parse.GROUPREF, sre_parse.GROUPREF_EXISTS}:
            raise Invalid(_("Back-references are not allowed in a filter."), field=field)
        elif op == sre_parse.SUBPATTERN:
            _walk(value[-1], inside_repeat, counts, field)
        elif op in {sre_parse.ASSERT, sre_parse.ASSERT_NOT}:
            _walk(value[1], inside_repeat, counts, field)
        elif op == sre_parse.ATOMIC_GROUP:
            _walk(value, inside_repeat, counts, field)


def check(pattern: str, *, field: str) -> str:
    """The pattern, or Invalid saying what is wrong with it (nothing is saved then)."""
    if len(pattern) > MAX_PATTERN_CHARS:
        raise Invalid(
            _("A pattern may be at most %(limit)d characters long.") % {"limit": MAX_PATTERN_CHARS},
            field=field,
        )
    try:
        parsed = sre_parse.parse(pattern, FLAGS)
    except (re.error, RecursionError, OverflowError) as error:
        raise Invalid(
            _("This is not a regular expression: %(error)s") % {"error": str(error)}, field=field
        ) from None
    counts = {"open": 0}
    _walk(parsed, False, counts, field)
    if counts["open"] > MAX_OPEN_REPEATS:
        raise Invalid(
            _("A pattern may hold at most %(limit)d open-ended repeats (*, + or {n,}).")
            % {"limit": MAX_OPEN_REPEATS},
            field=field,
        )
    return pattern


#: Run in the child: read {"jobs": [[pattern, text], ...]} from stdin, print a match list.
_CHILD = """
import json, re, sys
jobs = json.load(sys.stdin)["jobs"]
out = []
for pattern, text in jobs:
    found = re.search(pattern, text, re.IGNORECASE | re.UNICODE)
    out.append(found.group(0)[:200] if found else None)
json.dump(out, sys.stdout)
"""


def timeout() -> float:
    return float(getattr(settings, "PEERWORK_FILTER_TIMEOUT", 1.0))


def search_many(jobs: list[tuple[str, str]]) -> list[str | None] | None:
    """For each (pattern, text): the matched words, or None. None for the whole batch when it
    ran out of time or failed (every pattern of it then counts as not matched)."""
    if not jobs:
        return []
    payload = json.dumps({"jobs": [[p, t[:MAX_TEXT_CHARS]] for p, t in jobs]})
    try:
        done = subprocess.run(  # noqa: S603  (our interpreter, our script, data on stdin)
            [sys.executable, "-I", "-S", "-c", _CHILD],
            input=payload,
            capture_output=True,
            text=True,
            timeout=timeout(),
            check=True,
        )
        answer = json.loads(done.stdout)
    except subprocess.TimeoutExpired:
        logger.warning("filter patterns ran out of time: %s", [p for p, _t in jobs])
        return None
    except (subprocess.CalledProcessError, ValueError, OSError):
        logger.exception("filter patterns failed")
        return None
    return [item if isinstance(item, str) else None for item in answer]
