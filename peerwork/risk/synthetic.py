"""A generated wiki history with known vandalism, seeded: the shipped default model learns
from it, and the tests measure precision and recall on a held-out part of it.

Vandalism: blanking, shouting, repeated characters, spam links, bad words (English and
Spanish), mostly by new accounts without a summary. Good edits: sentences, fixes, references
and links, mostly by established accounts; with some noise both ways (new people's good first
edits, an old account's outburst), so the model cannot lean on one feature.
"""

from __future__ import annotations

import random

from .features import Edit

WORDS = (
    "the commons grows when many people share what they know and check each other work "
    "community members write pages review changes and discuss proposals in the open "
    "la comunidad escribe páginas revisa cambios y discute propuestas en abierto "
    "el conocimiento compartido crece cuando muchas personas colaboran con cuidado"
).split()
BAD = ("idiot", "stupid", "sucks", "lol", "mierda", "idiota", "estúpido", "caca", "haha")
SPAM = ("https://cheap-pills.example", "http://win-money.example", "https://casino.example")


def _sentence(rng: random.Random, words: int | None = None) -> str:
    count = words or rng.randint(6, 16)
    text = " ".join(rng.choice(WORDS) for _ in range(count))
    return text[0].upper() + text[1:] + "."


def _page(rng: random.Random) -> str:
    paragraphs = []
    for index in range(rng.randint(2, 6)):
        if index and rng.random() < 0.4:
            paragraphs.append("== " + _sentence(rng, 2)[:-1] + " ==")
        paragraphs.append(" ".join(_sentence(rng) for _ in range(rng.randint(1, 4))))
    return "\n".join(paragraphs)


def _editor(rng: random.Random, *, vandal: bool) -> tuple[float, int]:
    new = rng.random() < (0.75 if vandal else 0.2)
    if new:
        return rng.uniform(0, 3.5), rng.randint(0, 3)
    return rng.uniform(5, 900), rng.randint(4, 400)


def _good(rng: random.Random, previous: str) -> tuple[str, str]:
    lines = previous.split("\n")
    kind = rng.random()
    if kind < 0.45:
        lines.insert(rng.randint(0, len(lines)), _sentence(rng))
        summary = "add a sentence"
    elif kind < 0.65:
        at = rng.randrange(len(lines))
        lines[at] = lines[at].replace(rng.choice(WORDS), rng.choice(WORDS), 1)
        summary = "copyedit"
    elif kind < 0.8:
        at = rng.randrange(len(lines))
        lines[at] += f" <ref>{_sentence(rng, 4)}</ref>"
        summary = "add a reference"
    elif kind < 0.9:
        lines.append(
            f"See [[{rng.choice(WORDS).title()}]] and https://example.org/{rng.randint(1, 99)}"
        )
        summary = "see also"
    elif kind < 0.95:
        at = rng.randrange(len(lines))
        del lines[at]
        summary = "remove a repeated line"
    elif kind < 0.98:  # a real cleanup removes much of a page
        lines = lines[: max(1, len(lines) // 3)]
        summary = "trim to what the sources support"
    else:  # acronyms read as shouting
        lines.append("UNESCO NASA CERN OECD WHO " + _sentence(rng, 3))
        summary = "organizations"
    if rng.random() < 0.25:
        summary = ""
    return "\n".join(lines), summary


def _vandal(rng: random.Random, previous: str) -> tuple[str, str]:
    lines = previous.split("\n")
    kind = rng.randrange(8)
    if kind >= 6:  # subtle: a word changed, as a copyedit would (no feature can tell)
        at = rng.randrange(len(lines))
        lines[at] = lines[at].replace(rng.choice(WORDS), rng.choice(WORDS), 1)
        return "\n".join(lines), "" if rng.random() < 0.6 else "copyedit"
    if kind == 0:  # blanking
        text = rng.choice(["", _sentence(rng, 3), rng.choice(BAD)])
    elif kind == 1:  # shouting
        lines.insert(rng.randint(0, len(lines)), _sentence(rng).upper() + "!!!")
        text = "\n".join(lines)
    elif kind == 2:  # repeated characters
        lines.insert(rng.randint(0, len(lines)), rng.choice("aoxz!h") * rng.randint(12, 80))
        text = "\n".join(lines)
    elif kind == 3:  # spam links
        spam = " ".join(rng.choice(SPAM) for _ in range(rng.randint(1, 4)))
        lines.append(f"Buy now {spam}")
        text = "\n".join(lines)
    elif kind == 4:  # bad words
        at = rng.randrange(len(lines))
        lines[at] += " " + " ".join(rng.choice(BAD) for _ in range(rng.randint(1, 3)))
        text = "\n".join(lines)
    else:  # removes most of the page and writes nonsense
        keep = lines[: max(1, len(lines) // 4)]
        text = "\n".join([*keep, rng.choice(BAD).upper() + " " + "!" * rng.randint(3, 12)])
    summary = "" if rng.random() < 0.8 else rng.choice(["fix", "update", "arreglo"])
    return text, summary


def history(count: int, *, seed: int = 17, vandal_share: float = 0.25) -> list[tuple[Edit, int]]:
    """`count` edits, each with its label (1: reverted vandalism, 0: an edit that stayed)."""
    from peerwork.wiki.actions import lines_changed

    rng = random.Random(seed)  # noqa: S311  (a reproducible history, not a secret)
    rows = []
    for _ in range(count):
        previous = _page(rng)
        vandal = rng.random() < vandal_share
        text, summary = (_vandal if vandal else _good)(rng, previous)
        age, edits = _editor(rng, vandal=vandal)
        added, removed = lines_changed(previous, text)
        edit = Edit(previous, text, added, removed, summary, age, edits)
        rows.append((edit, 1 if vandal else 0))
    return rows
