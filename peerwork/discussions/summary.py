"""Extractive summaries of long threads (docs/assist.md, "Summaries").

A summary is the thread's own most central sentences, in thread order, each naming its comment
and author: TextRank over TF-IDF cosine similarity between the sentences (Mihalcea & Tarau,
2004), computed here on the machine, in English and Spanish alike (accents folded, both
languages' common words left out). Like Discourse AI's summaries it is kept (the `Summary` row
says how many comments and which last comment it covered) and reads as outdated when the thread
has moved on: "Summary of 42 comments; 3 new since." Anyone who may read the thread may ask
for a new one. Threads under `MIN_COMMENTS` comments are offered none.

A removed comment's sentences never show, even from a summary made before it was removed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from peerwork.core import policy

from .attachments import attachment_for, key_of
from .models import Summary
from .selectors import ThreadEntry, comments_for

#: Threads shorter than this (comments not removed) get no summary.
MIN_COMMENTS = 10
DAMPING = 0.85
#: Sentences shorter than this many words are never chosen ("Thanks!", "+1").
MIN_WORDS = 4

# The common words of English and Spanish, left out of the similarity (accents folded).
STOP_WORDS = sorted(
    set(
        """a about after all also am an and any are as at be because been before but by can
        could did do does for from had has have he her here him his how i if in into is it its
        just me more most my no not now of on one only or other our out over she should so
        some such than that the their them then there these they this those to too up us very
        was we were what when where which who why will with would you your yes ok
        al algo algun alguna algunas alguno algunos ante antes aqui asi aun bien cada como con
        contra cual cuando de del desde donde dos el ella ellas ello ellos en entre era eran es
        esa esas ese eso esos esta estaba estado estan estar estas este esto estos fue fueron
        ha habia han hasta hay la las le les lo los mas me mi mis mucho muy nada ni no nos
        nosotros o otra otras otro otros para pero poco por porque que quien se sea segun ser
        si sido sin sobre solo son su sus tambien tanto te tiene tienen todo todos tu tus un
        una uno unos usted ya yo""".split()
    )
)

_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+(?=[\"'“‘(\[¿¡]*[A-ZÁÉÍÓÚÑÜ0-9])")
_MARKUP = re.compile(r"^\s{0,3}(?:[>#*+-]+|\d+[.)])\s+", re.MULTILINE)
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_WORD = re.compile(r"\w+", re.UNICODE)


def min_comments() -> int:
    return int(getattr(settings, "PEERWORK_SUMMARY_MIN_COMMENTS", MIN_COMMENTS))


def split_sentences(text: str) -> list[str]:
    """A comment's sentences: paragraphs and list items apart, then at . ! ? … before a capital
    (or Spanish ¿ ¡). Markdown quote, list and heading marks and link targets are dropped."""
    text = _LINK.sub(r"\1", _MARKUP.sub("", text.replace("\r", "")))
    sentences: list[str] = []
    for block in re.split(r"\n\s*\n|\n(?=\S)", text):
        block = " ".join(block.split())
        if block:
            sentences += [part.strip() for part in _SENTENCE_END.split(block) if part.strip()]
    return sentences


@dataclass(frozen=True)
class Sentence:
    comment: int
    author: int
    text: str


def _candidates(entries: Sequence[ThreadEntry]) -> list[Sentence]:
    return [
        Sentence(entry.id, entry.author.pk, sentence)
        for entry in entries
        # A held comment waits for a moderator: a summary everyone reads never quotes it.
        if not entry.is_deleted and not entry.is_held and entry.author is not None
        for sentence in split_sentences(entry.text)
    ]


def textrank(texts: Sequence[str], *, iterations: int = 100) -> list[float]:
    """Each text's centrality: PageRank over the graph of TF-IDF cosine similarities."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    n = len(texts)
    if n == 0:
        return []
    try:
        vectors = TfidfVectorizer(
            strip_accents="unicode", lowercase=True, stop_words=STOP_WORDS
        ).fit_transform(texts)
    except ValueError:  # nothing but common words
        return [1.0 / n] * n
    similarity = (vectors @ vectors.T).toarray()
    np.fill_diagonal(similarity, 0.0)
    totals = similarity.sum(axis=1, keepdims=True)
    # A sentence like no other links to all alike (as PageRank treats a page without links).
    transition = np.where(totals > 0, similarity / np.where(totals > 0, totals, 1), 1.0 / n)
    scores = np.full(n, 1.0 / n)
    for _step in range(iterations):
        updated = (1 - DAMPING) / n + DAMPING * transition.T @ scores
        if np.abs(updated - scores).sum() < 1e-9:
            scores = updated
            break
        scores = updated
    return [float(score) for score in scores]


def summarize(entries: Sequence[ThreadEntry], *, size: int | None = None) -> list[Sentence]:
    """The most central sentences of the thread, in thread order (`entries` are in it)."""
    sentences = _candidates(entries)
    if not sentences:
        return []
    scores = textrank([s.text for s in sentences])
    eligible = [i for i, s in enumerate(sentences) if len(_WORD.findall(s.text)) >= MIN_WORDS]
    if not eligible:
        eligible = list(range(len(sentences)))
    wanted = size or max(3, min(8, round(math.sqrt(len(sentences)))))
    chosen = sorted(eligible, key=lambda i: (-scores[i], i))[:wanted]
    return [sentences[i] for i in sorted(chosen)]


@dataclass
class SummaryState:
    """What the thread's summary panel shows."""

    offered: bool
    comment_count: int
    summary: Summary | None = None
    #: [{"comment", "author" (a User), "text", "anchor"}] without removed comments' sentences.
    sentences: list[dict[str, Any]] = field(default_factory=list)
    new_since: int = 0
    outdated: bool = False


def summary_state(
    *, user: Any, target: Any, entries: Sequence[ThreadEntry] | None = None
) -> SummaryState:
    """The summary of `target`'s thread as `user` sees it (`entries`: the thread, if read)."""
    policy.require(user, "discussion.view", target)
    if entries is None:
        entries = comments_for(user=user, target=target)
    shown = {entry.id: entry for entry in entries if not entry.is_deleted and not entry.is_held}
    count = len(shown)
    state = SummaryState(offered=count >= min_comments(), comment_count=count)
    # Asked whatever the length, so a page reads as many rows for a short thread as a long one.
    target_type, target_id = key_of(target)
    summary = Summary.objects.filter(target_type=target_type, target_id=target_id).first()
    if summary is None or not state.offered:
        return state
    state.summary = summary
    last_id = max(shown, default=0)
    state.new_since = sum(1 for pk in shown if pk > summary.last_comment_id)
    state.outdated = last_id != summary.last_comment_id or count != summary.comment_count
    state.sentences = [
        {
            "comment": sentence["comment"],
            "author": shown[sentence["comment"]].author,
            "text": sentence["text"],
            "anchor": f"comment-{sentence['comment']}",
        }
        for sentence in summary.sentences
        if sentence["comment"] in shown
    ]
    return state


@transaction.atomic
def summary_update(*, user: Any, target: Any) -> SummaryState:
    """Summarize `target`'s thread now (a thread of MIN_COMMENTS or more) and keep it.

    A cache of the thread, not a contribution: it records no event, and whoever may read the
    thread may refresh it, as anyone may ask Discourse to summarize a topic again.
    """
    policy.require(user, "discussion.view", target)
    entries = comments_for(user=user, target=target)
    shown = [entry for entry in entries if not entry.is_deleted and not entry.is_held]
    if len(shown) < min_comments():
        # Nothing to summarize yet: the answer says so (`offered` is false), as a read would.
        return summary_state(user=user, target=target, entries=entries)
    target_type, target_id = key_of(target)
    sentences = summarize(entries)
    Summary.objects.update_or_create(
        target_type=target_type,
        target_id=target_id,
        defaults={
            "space": attachment_for(target).space_of(target),
            "sentences": [
                {"comment": s.comment, "author": s.author, "text": s.text} for s in sentences
            ],
            "comment_count": len(shown),
            "last_comment_id": max(entry.id for entry in shown),
            "computed_at": timezone.now(),
        },
    )
    return summary_state(user=user, target=target, entries=entries)
