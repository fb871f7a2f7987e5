"""A hand-annotated page history: 22 revisions, who saved each, and who wrote every token of
the last revision and of several in between.

The expectations were written by reading the texts, not by running the method: a token keeps
the editor who first typed it, through deletions, blanking, spam and reverts, reordered
paragraphs and sentences brought back after they were gone; a changed word alone belongs to
the editor who changed it; a copied sentence belongs to the person who copied it.
Tokens are the method's: lower-cased words and each punctuation mark on its own.
"""

from __future__ import annotations

ANTS = "Ants farm aphids."
STRONG = "Ants are strong."
BEES = "Bees live in hives."
HONEY = "They make honey."
HONEY_NECTAR = "They make honey from nectar."
WASPS = "Wasps build paper nests."
WASPS_GREY = "Wasps build grey paper nests."


def text(*paragraphs: str) -> str:
    return "\n\n".join(paragraphs)


#: (editor, text), in order: revision n is HISTORY[n - 1].
HISTORY: list[tuple[str, str]] = [
    ("ann", text(f"{BEES} {HONEY}")),  # 1
    ("bob", text(f"{BEES} {HONEY}", WASPS)),  # 2
    ("cy", text(f"{BEES} {HONEY_NECTAR}", WASPS)),  # 3: two words inside a sentence
    ("dee", text(f"{BEES} {HONEY_NECTAR}", WASPS, f"{ANTS} {STRONG}")),  # 4
    ("eve", ""),  # 5: the page blanked
    ("fin", text(f"{BEES} {HONEY_NECTAR}", WASPS, f"{ANTS} {STRONG}")),  # 6: revert of 5
    ("gus", text(f"{BEES} {HONEY_NECTAR}", WASPS, ANTS)),  # 7: a sentence deleted
    ("ann", text(f"{BEES} {HONEY_NECTAR}", WASPS_GREY, ANTS)),  # 8: one word added
    ("bob", text(ANTS, f"{BEES} {HONEY_NECTAR}", WASPS_GREY)),  # 9: paragraphs reordered
    ("eve", "BUY CHEAP PILLS NOW!!!"),  # 10: the text replaced by spam
    ("cy", text(ANTS, f"{BEES} {HONEY_NECTAR}", WASPS_GREY)),  # 11: revert of 10
    ("dee", text(ANTS, f"{BEES} {HONEY_NECTAR} Queens lay eggs.", WASPS_GREY)),  # 12
    # 13: the sentence deleted in 7 comes back, six revisions later
    ("fin", text(f"{ANTS} {STRONG}", f"{BEES} {HONEY_NECTAR} Queens lay eggs.", WASPS_GREY)),
    # 14: a copy of an existing sentence, as a paragraph of its own
    (
        "gus",
        text(f"{ANTS} {STRONG}", f"{BEES} {HONEY_NECTAR} Queens lay eggs.", WASPS_GREY, BEES),
    ),
    # 15: a paragraph deleted
    ("ann", text(f"{ANTS} {STRONG}", f"{BEES} {HONEY_NECTAR} Queens lay eggs.", BEES)),
    # 16: ... and put back by someone else
    (
        "bob",
        text(f"{ANTS} {STRONG}", f"{BEES} {HONEY_NECTAR} Queens lay eggs.", WASPS_GREY, BEES),
    ),
    (  # 17: one word inserted
        "cy",
        text(f"{ANTS} {STRONG}", f"{BEES} {HONEY_NECTAR} Queens lay many eggs.", WASPS_GREY, BEES),
    ),
    (  # 18: a vandal rewrites part of one sentence
        "eve",
        text(
            f"Ants are stupid lol. {STRONG}",
            f"{BEES} {HONEY_NECTAR} Queens lay many eggs.",
            WASPS_GREY,
            BEES,
        ),
    ),
    (  # 19: revert of 18
        "fin",
        text(f"{ANTS} {STRONG}", f"{BEES} {HONEY_NECTAR} Queens lay many eggs.", WASPS_GREY, BEES),
    ),
    (  # 20: two sentences swapped inside a paragraph
        "gus",
        text(f"{STRONG} {ANTS}", f"{BEES} {HONEY_NECTAR} Queens lay many eggs.", WASPS_GREY, BEES),
    ),
    # 21: the copied sentence removed again
    ("ann", text(f"{STRONG} {ANTS}", f"{BEES} {HONEY_NECTAR} Queens lay many eggs.", WASPS_GREY)),
    (  # 22: one word replaced
        "bob",
        text(
            f"{STRONG} {ANTS}",
            f"{BEES} {HONEY_NECTAR} Queens lay many eggs.",
            "Wasps build grey wooden nests.",
        ),
    ),
]


def by(editor: str, tokens: str) -> list[tuple[str, str]]:
    """`tokens` (space-separated, as the method splits them), all written by `editor`."""
    return [(token, editor) for token in tokens.split()]


#: Revision number -> every token of that revision, in order, with who wrote it.
EXPECTED: dict[int, list[tuple[str, str]]] = {
    3: by("ann", "bees live in hives . they make honey")
    + by("cy", "from nectar")
    + by("ann", ".")
    + by("bob", "wasps build paper nests ."),
    5: [],
    6: by("ann", "bees live in hives . they make honey")
    + by("cy", "from nectar")
    + by("ann", ".")
    + by("bob", "wasps build paper nests .")
    + by("dee", "ants farm aphids . ants are strong ."),
    9: by("dee", "ants farm aphids .")
    + by("ann", "bees live in hives . they make honey")
    + by("cy", "from nectar")
    + by("ann", ".")
    + by("bob", "wasps build")
    + by("ann", "grey")
    + by("bob", "paper nests ."),
    10: by("eve", "buy cheap pills now ! ! !"),
    11: by("dee", "ants farm aphids .")
    + by("ann", "bees live in hives . they make honey")
    + by("cy", "from nectar")
    + by("ann", ".")
    + by("bob", "wasps build")
    + by("ann", "grey")
    + by("bob", "paper nests ."),
    13: by("dee", "ants farm aphids . ants are strong .")
    + by("ann", "bees live in hives . they make honey")
    + by("cy", "from nectar")
    + by("ann", ".")
    + by("dee", "queens lay eggs .")
    + by("bob", "wasps build")
    + by("ann", "grey")
    + by("bob", "paper nests ."),
    14: by("dee", "ants farm aphids . ants are strong .")
    + by("ann", "bees live in hives . they make honey")
    + by("cy", "from nectar")
    + by("ann", ".")
    + by("dee", "queens lay eggs .")
    + by("bob", "wasps build")
    + by("ann", "grey")
    + by("bob", "paper nests .")
    + by("gus", "bees live in hives ."),
    16: by("dee", "ants farm aphids . ants are strong .")
    + by("ann", "bees live in hives . they make honey")
    + by("cy", "from nectar")
    + by("ann", ".")
    + by("dee", "queens lay eggs .")
    + by("bob", "wasps build")
    + by("ann", "grey")
    + by("bob", "paper nests .")
    + by("gus", "bees live in hives ."),
    18: by("dee", "ants")
    + by("eve", "are stupid lol")
    + by("dee", ". ants are strong .")
    + by("ann", "bees live in hives . they make honey")
    + by("cy", "from nectar")
    + by("ann", ".")
    + by("dee", "queens lay")
    + by("cy", "many")
    + by("dee", "eggs .")
    + by("bob", "wasps build")
    + by("ann", "grey")
    + by("bob", "paper nests .")
    + by("gus", "bees live in hives ."),
    22: by("dee", "ants are strong . ants farm aphids .")
    + by("ann", "bees live in hives . they make honey")
    + by("cy", "from nectar")
    + by("ann", ".")
    + by("dee", "queens lay")
    + by("cy", "many")
    + by("dee", "eggs .")
    + by("bob", "wasps build")
    + by("ann", "grey")
    + by("bob", "wooden")
    + by("bob", "nests ."),
}

#: Who wrote how many tokens of the last revision.
FINAL_SHARES = {"dee": 12, "ann": 10, "bob": 5, "cy": 3}
