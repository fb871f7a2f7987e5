"""The two errors of the tabulation engine: bad rules or input, and a ballot the rules refuse."""

from __future__ import annotations

from typing import Any


class TallyError(ValueError):
    """Rules, options, seats or a method that cannot be counted; the message says how to fix it.

    The message is a template with `%(name)s` placeholders and its params: str() is the English
    text, and the app translates `template` and fills in `params` (the engine needs no Django).
    """

    def __init__(self, template: str, /, **params: Any) -> None:
        super().__init__(template % params)
        self.template = template
        self.params = params


class InvalidBallot(TallyError):
    """A ranking the rules refuse at entry (unknown option, refused overvote or duplicate, ...)."""
