"""Times as a person reads them: in their own time zone, in their language's format, and naming
that zone, so "4:30 p.m." is never a guess ("Dec. 7, 2026, 4:30 p.m. (Europe/Madrid)").

Ending with the zone also keeps a sentence from ending in a doubled period: English formats end
"a.m." and "p.m." with one of their own."""

from __future__ import annotations

from datetime import datetime

from django.utils import formats, timezone
from django.utils.translation import gettext as _


def zone_name() -> str:
    """The time zone the reader's times are shown and read in."""
    return timezone.get_current_timezone_name()


def format_when(when: datetime) -> str:
    if timezone.is_naive(when):
        when = timezone.make_aware(when, timezone.get_current_timezone())
    local = formats.date_format(timezone.localtime(when), "DATETIME_FORMAT")
    return _("%(time)s (%(zone)s)") % {"time": local, "zone": zone_name()}
