"""The two errors of the tabulation engine: bad rules or input, and a ballot the rules refuse."""

from __future__ import annotations


class TallyError(ValueError):
    """Rules, options, seats or a method that cannot be counted; the message says how to fix it."""


class InvalidBallot(TallyError):
    """A ranking the rules refuse at entry (unknown option, refused overvote or duplicate, ...)."""
