"""One door for the checks a contribution passes before it is published.

Edit risk, a steward's filters and the spam classifier each judge a contribution (a wiki
edit, a comment, an idea...) and answer with a verdict; the action that saves it asks
`screen()` once and acts on the strictest answer. Screens register from their app's
`apps.py`, so core knows none of them and an app that lands later plugs in the same way:

    screening.register("risk", risk_screen)           # in RiskConfig.ready()

    verdict = screening.screen(Contribution(kind="wiki.edit", space=space, user=user, ...))
    if verdict.action == "refuse": raise Refused(verdict)       # nothing is saved
    if verdict.action == "hold": ...save it unpublished, for a patroller to release...

Order of strictness: publish < tag < warn < hold < refuse < block. `warn` asks the person
to confirm (MediaWiki's AbuseFilter warns once; saving again with `confirmed=True` goes on).
`block` refuses and blocks the person for a while: the screen that says so also does it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

logger = logging.getLogger("peerwork.screening")

ACTIONS = ("publish", "tag", "warn", "hold", "refuse", "block")
_RANK = {name: rank for rank, name in enumerate(ACTIONS)}


@dataclass(frozen=True)
class Contribution:
    """What a person is about to publish, as the screens see it (nothing is saved yet)."""

    #: "wiki.edit", "discussions.comment", "ideas.idea", ...
    kind: str
    space: Any
    user: Any
    #: The text this contribution adds (for an edit: the lines added), and the whole new text.
    added: str = ""
    text: str = ""
    removed: str = ""
    title: str = ""
    summary: str = ""
    #: The person has seen a warning about this contribution and saves it anyway.
    confirmed: bool = False
    #: Anything else a kind knows (the page, the previous text...): screens read what they need.
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Finding:
    """One screen's answer, with the reason a person (or a steward) reads."""

    screen: str
    action: str
    reason: str
    #: A tag to apply (for `tag`, and alongside any other action), and free data for the log.
    tag: str = ""
    score: float | None = None
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Verdict:
    action: str
    findings: tuple[Finding, ...] = ()

    @property
    def reasons(self) -> list[str]:
        return [f.reason for f in self.findings if f.action != "publish" and f.reason]

    @property
    def tags(self) -> list[str]:
        return sorted({f.tag for f in self.findings if f.tag})

    def as_log(self) -> list[dict[str, Any]]:
        """The findings as plain data, for the activity log and the API."""
        return [
            {
                "screen": f.screen,
                "action": f.action,
                "reason": str(f.reason),
                "tag": f.tag,
                "score": f.score,
                **({"data": f.data} if f.data else {}),
            }
            for f in self.findings
        ]


PUBLISH = Verdict("publish")

Screen = Callable[[Contribution], "Finding | None"]
_SCREENS: dict[str, Screen] = {}


def register(name: str, screen: Screen) -> None:
    """Add a screen; it returns a Finding, or None when it has nothing to say."""
    _SCREENS[name] = screen


def registered() -> dict[str, Screen]:
    return dict(_SCREENS)


#: How a screen puts one item of the data it stored into words. The data is kept as numbers and
#: names; the words are made when a page is read, in the reader's language, not the author's.
_WORDS: dict[str, Callable[[dict[str, Any]], str]] = {}


def register_words(name: str, words: Callable[[dict[str, Any]], str]) -> None:
    _WORDS[name] = words


def in_words(name: str, item: dict[str, Any]) -> str:
    """One stored item of screen `name` in the active language; the words stored with it when
    the screen that made it is gone or its data is older than its words."""
    words = _WORDS.get(name)
    if words is not None:
        try:
            return words(item)
        except (KeyError, TypeError, ValueError):
            pass
    return str(item.get("words") or item.get("feature", ""))


def stricter(a: str, b: str) -> str:
    return a if _RANK[a] >= _RANK[b] else b


def screen(contribution: Contribution) -> Verdict:
    """Ask every screen; the verdict is the strictest action, with every finding kept.

    A warning the person already confirmed no longer stops them. A screen that fails is
    logged and ignored: a broken model must not stop the whole commons from saving.
    """
    findings: list[Finding] = []
    action = "publish"
    for name, check in list(_SCREENS.items()):
        try:
            finding = check(contribution)
        except Exception:
            logger.exception("screen %s failed on a %s", name, contribution.kind)
            continue
        if finding is None:
            continue
        if finding.action not in _RANK:
            raise ValueError(f"screen {name!r} answered unknown action {finding.action!r}")
        findings.append(finding)
        effective = finding.action
        if effective == "warn" and contribution.confirmed:
            effective = "publish"
        action = stricter(action, effective)
    return Verdict(action, tuple(findings))


__all__ = [
    "ACTIONS",
    "Contribution",
    "Finding",
    "Verdict",
    "PUBLISH",
    "register",
    "registered",
    "screen",
    "stricter",
]
