"""The features of one edit, as ORES and Revert Risk read an edit (docs/decisions/0059).

Pure functions of the texts and the editor's standing, so training on history and scoring at
save time compute exactly the same numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

#: The order of the model's columns; a stored model names the order it was trained with.
NAMES = (
    "chars_added",
    "chars_removed",
    "longest_repeat",
    "uppercase_share",
    "markup_added",
    "references_added",
    "references_removed",
    "links_added",
    "links_removed",
    "bad_words",
    "is_new_account",
    "edit_count",
    "summary_is_empty",
    "blanked_share",
)
#: An account younger than this (days) is a new one (MediaWiki's autoconfirmed age).
NEW_ACCOUNT_DAYS = 4

#: A small list of English and Spanish words vandals write (whole words, any case).
BAD_WORDS = frozenset(
    """
    idiot idiots stupid dumb moron loser sucks suck crap shit shitty fuck fucking fucked
    ass asshole bitch bastard damn dick penis poop gay lol lmao haha hahaha xd boobs sex
    porn nazi retard pendejo pendeja idiota idiotas estupido estúpido estupida estúpida
    tonto tonta mierda puta puto joder jodido cabron cabrón gilipollas imbecil imbécil
    caca culo pene marica maricon maricón zorra coño verga chinga chingada jaja jajaja
    """.split()
)
_WORD = re.compile(r"\w+", re.UNICODE)
_LINK = re.compile(r"https?://", re.I)
_REFERENCE = re.compile(r"<ref[\s>/]|\[\^", re.I)
_MARKUP = re.compile(r"\[\[|\{\{|^\s*(?:=+|#{1,6}\s)", re.M)


@dataclass(frozen=True)
class Edit:
    """What the features are read from."""

    previous: str
    text: str
    added: str
    removed: str
    summary: str
    account_age_days: float
    edit_count: int


def longest_repeat(text: str) -> int:
    """The longest run of one character repeated (spaces aside)."""
    best = run = 0
    last = ""
    for char in text:
        if char == last and not char.isspace():
            run += 1
        else:
            run, last = 1, char
        best = max(best, run)
    return best


def uppercase_share(text: str) -> float:
    letters = [char for char in text if char.isalpha()]
    if len(letters) < 8:
        return 0.0
    return sum(char.isupper() for char in letters) / len(letters)


def bad_word_hits(text: str) -> int:
    return sum(1 for word in _WORD.findall(text.lower()) if word in BAD_WORDS)


def vector(edit: Edit) -> list[float]:
    previous_size = len(edit.previous)
    blanked = 0.0
    if previous_size:
        blanked = max(0.0, min(1.0, 1 - len(edit.text) / previous_size))
    return [
        float(len(edit.added)),
        float(len(edit.removed)),
        float(longest_repeat(edit.added)),
        uppercase_share(edit.added),
        float(len(_MARKUP.findall(edit.added))),
        float(len(_REFERENCE.findall(edit.added))),
        float(len(_REFERENCE.findall(edit.removed))),
        float(len(_LINK.findall(edit.added))),
        float(len(_LINK.findall(edit.removed))),
        float(bad_word_hits(edit.added)),
        1.0 if edit.account_age_days < NEW_ACCOUNT_DAYS else 0.0,
        float(edit.edit_count),
        0.0 if edit.summary.strip() else 1.0,
        blanked,
    ]


def in_words(name: str, value: float) -> str:
    """A feature's value as a patroller reads it: "removes 92% of the page", "new account"."""
    count = int(value)
    if name == "chars_added":
        return ngettext("adds %(n)d character", "adds %(n)d characters", count) % {"n": count}
    if name == "chars_removed":
        return ngettext("removes %(n)d character", "removes %(n)d characters", count) % {"n": count}
    if name == "longest_repeat":
        return _("repeats one character %(n)d times") % {"n": count}
    if name == "uppercase_share":
        return _("%(n)d%% capital letters") % {"n": round(value * 100)}
    if name == "markup_added":
        return ngettext("adds %(n)d piece of markup", "adds %(n)d pieces of markup", count) % {
            "n": count
        }
    if name == "references_added":
        return ngettext("adds %(n)d reference", "adds %(n)d references", count) % {"n": count}
    if name == "references_removed":
        return ngettext("removes %(n)d reference", "removes %(n)d references", count) % {"n": count}
    if name == "links_added":
        return ngettext("adds %(n)d link", "adds %(n)d links", count) % {"n": count}
    if name == "links_removed":
        return ngettext("removes %(n)d link", "removes %(n)d links", count) % {"n": count}
    if name == "bad_words":
        return ngettext("%(n)d offensive word", "%(n)d offensive words", count) % {"n": count}
    if name == "is_new_account":
        return _("new account") if value else _("established account")
    if name == "edit_count":
        return ngettext(
            "%(n)d earlier edit in the space", "%(n)d earlier edits in the space", count
        ) % {"n": count}
    if name == "summary_is_empty":
        return _("no edit summary") if value else _("has an edit summary")
    if name == "blanked_share":
        return _("removes %(n)d%% of the page") % {"n": round(value * 100)}
    raise ValueError(f"unknown feature {name!r}")
