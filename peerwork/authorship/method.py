"""Who wrote each token of a page's text, by the WikiWho method (Flöck & Acosta, 2014).

The `wikiwho` package (its authors' own implementation, MIT) does the matching: a revision's
paragraphs are matched by hash against the paragraphs of *every* earlier revision, then its
sentences likewise, and only what is left is diffed token by token against the previous
revision. So a text blanked by a vandal and restored by a revert keeps its first authors,
and a sentence put back long after it was deleted keeps its first author too.

`PageHistory` walks one page's revisions in order, holding the package's state in memory:
each `add` costs one revision's analysis, not a replay of the history.

The package skips a revision it takes for vandalism (a big page cut to a stub; a flood of one
repeated word) so that it never pollutes the history; peerwork still has to show who wrote
that revision's text, so such a revision is attributed by a token diff against the last
revision the package accepted (its surviving tokens keep their origin, the rest are its own).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import groupby

from WikiWho.utils import iter_rev_tokens, split_into_paragraphs, split_into_sentences
from WikiWho.utils import split_into_tokens as _split_into_tokens
from WikiWho.wikiwho import Wikiwho

logger = logging.getLogger("peerwork.authorship")

#: Written beside each stored result, so a change of method can be told apart and rebuilt.
METHOD = "wikiwho-2"  # 2: a token the last revision deleted and this one restores keeps its origin


@dataclass(frozen=True)
class Attribution:
    """One revision's tokens (lower-cased, as the method compares them) and, for each, the
    id of the revision that first added it."""

    tokens: list[str]
    origins: list[int]


def tokenize(text: str) -> list[str]:
    """The method's tokens of `text`, in order (paragraphs, sentences, then words)."""
    tokens: list[str] = []
    for paragraph in split_into_paragraphs(text.lower()):
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        for sentence in split_into_sentences(paragraph):
            sentence = sentence.strip()
            if sentence:
                tokens.extend(_split_into_tokens(sentence))
    return tokens


class PageHistory:
    """The authorship state of one page, fed its revisions oldest first."""

    def __init__(self) -> None:
        self._wikiwho = Wikiwho("")
        self._previous = Attribution([], [])
        #: The attribution before `_previous`: what the last revision changed.
        self._before = Attribution([], [])
        self._trigrams: list[set[tuple[str, str, str]] | None] = [None, None]
        #: The id of the last revision added (None before the first).
        self.last_revision_id: int | None = None
        #: Who saved each revision added so far (the authors of the origins).
        self.editors: dict[int, str] = {}

    def add(self, revision_id: int, text: str, editor: str) -> Attribution:
        """Attribute revision `revision_id` (its full `text`, saved by `editor`)."""
        if self.last_revision_id is not None and revision_id <= self.last_revision_id:
            raise ValueError(
                f"revision {revision_id} comes after {self.last_revision_id}; add them in order"
            )
        self.last_revision_id = revision_id
        self.editors[revision_id] = editor
        entry = {"revid": revision_id, "*": text, "user": editor, "userid": 0, "timestamp": ""}
        try:
            self._wikiwho.analyse_article([entry])
        except Exception:  # the package's own failure on one text must not stop a page
            logger.exception("authorship: revision %s could not be analysed", revision_id)
        accepted = self._wikiwho.revisions.get(revision_id)
        if accepted is not None:
            words = list(iter_rev_tokens(accepted))
            attribution = Attribution(
                [word.value for word in words], [word.origin_rev_id for word in words]
            )
            attribution = self._reintroduced(revision_id, attribution)
            # The package's own words carry the origin on, so the revisions after this one
            # (a revert to it, an untouched sentence) inherit the origin taken back.
            for word, origin in zip(words, attribution.origins, strict=True):
                word.origin_rev_id = origin
            self._before, self._previous = self._previous, attribution
            # Each attribution's trigrams are made once, when first needed: the last one's
            # become the one-before-last's.
            self._trigrams = [self._trigrams[1], None]
            return attribution
        return self._by_diff(revision_id, text)

    def _reintroduced(self, revision_id: int, attribution: Attribution) -> Attribution:
        """Tokens the last revision deleted and this one puts back keep their first origin.

        The package matches a changed sentence word by word against the previous revision
        only, so a word a vandal removed and the next edit restores would count as new (the
        authors' own worked example, Finger Lakes revision 21, keeps its origin). A token is
        taken back only where this revision's text, around it, is the text before the last
        revision: the same token between the same neighbours, and absent from the last one.
        """
        before, previous = self._before, self._previous
        if not before.tokens or revision_id not in attribution.origins:
            return attribution
        # The common case costs set lookups, not two diffs: no new token stands between the
        # same neighbours as a token the last revision removed.
        had, has = self._trigrams
        if had is None:
            had = self._trigrams[0] = _trigrams(before.tokens)
        if has is None:
            has = self._trigrams[1] = _trigrams(previous.tokens)
        removed = had - has
        tokens = attribution.tokens
        padded = ["", *tokens, ""]
        if not any(
            (padded[at], padded[at + 1], padded[at + 2]) in removed
            for at, origin in enumerate(attribution.origins)
            if origin == revision_id
        ):
            return attribution
        origins = list(attribution.origins)
        matcher = SequenceMatcher(None, before.tokens, attribution.tokens, autojunk=False)
        kept = SequenceMatcher(None, previous.tokens, attribution.tokens, autojunk=False)
        in_previous = [False] * len(attribution.tokens)
        for block in kept.get_matching_blocks():
            for offset in range(block.size):
                in_previous[block.b + offset] = True
        for block in matcher.get_matching_blocks():
            for offset in range(block.size):
                at = block.b + offset
                if origins[at] == revision_id and not in_previous[at]:
                    origins[at] = before.origins[block.a + offset]
        return Attribution(attribution.tokens, origins)

    def _by_diff(self, revision_id: int, text: str) -> Attribution:
        tokens = tokenize(text)
        origins = [revision_id] * len(tokens)
        previous = self._previous
        matcher = SequenceMatcher(None, previous.tokens, tokens, autojunk=False)
        for block in matcher.get_matching_blocks():
            origins[block.b : block.b + block.size] = previous.origins[
                block.a : block.a + block.size
            ]
        return Attribution(tokens, origins)


def _trigrams(tokens: list[str]) -> set[tuple[str, str, str]]:
    """Each token with its neighbours ("" at the ends)."""
    padded = ["", *tokens, ""]
    return set(zip(padded, padded[1:], padded[2:], strict=False))


def token_spans(text: str, tokens: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """Where each token lies in `text`: the text to show and (start, end) per token.

    Tokens are lower-cased; they are found in order in the lower-cased text, which has the
    same offsets as the text itself unless lower-casing changed a character's length (then
    the lower-cased text is shown, so the offsets stay true).
    """
    lowered = text.lower()
    shown = text if len(lowered) == len(text) else lowered
    spans: list[tuple[int, int]] = []
    cursor = 0
    for token in tokens:
        start = lowered.find(token, cursor)
        if start < 0:  # cannot happen for the method's own tokens; keep going regardless
            spans.append((cursor, cursor))
            continue
        spans.append((start, start + len(token)))
        cursor = start + len(token)
    return shown, spans


def run_length(origins: list[int]) -> list[list[int]]:
    """[[origin, count], ...]: how the origins are stored (runs are long in real pages)."""
    return [[origin, sum(1 for _ in run)] for origin, run in groupby(origins)]


def expand(runs: list[list[int]]) -> list[int]:
    """The origin of each token again, from `run_length`'s runs."""
    return [origin for origin, count in runs for _ in range(count)]
