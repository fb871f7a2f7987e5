"""Periodic work of the rate limits: drop counters whose period ended.

A counter past `resets_at` already counts from one again at its next hit, so deleting it
changes no limit; without the purge, every address and account that ever wrote would keep a
row per bucket for ever."""

from __future__ import annotations

from peerwork.core import jobs

from .limiter import counters_purge


@jobs.job("abuse.counters_purge", every=3600)
def purge() -> int:
    return counters_purge()
