"""The spam classifier: multinomial naive Bayes over the words of comments, learned from the
moderators' decisions (Decidim-AI's approach), offline.

A comment a moderator removed as spam is spam; one released or dismissed is not. Each space
with at least MIN_DECISIONS decisions has its own model; others use the site-wide one, learned
from every space's decisions; with fewer decisions than that anywhere, the classifier says
nothing (cold start). The learned numbers are stored as JSON (models.SpamModel) and the screen
scores with NumPy, so nothing is unpickled and scikit-learn runs only in the training job.
"""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peerwork.core import jobs, screening

from .models import QueueItem, SpamModel

#: Fewer decisions than this (in the space, else on the whole site): no opinion.
MIN_DECISIONS = 20
#: Hold a comment whose probability of being spam reaches this.
THRESHOLD = 0.9
#: Words of English and Spanish (accents folded): two letters or more.
TOKEN = r"(?u)\b\w\w+\b"
_TOKEN_RE = re.compile(TOKEN)


def _labelled(space_id: int | None) -> list[tuple[str, int]]:
    items = QueueItem.objects.filter(comment__isnull=False, is_spam__isnull=False)
    if space_id is not None:
        items = items.filter(space_id=space_id)
    return [
        (text, int(bool(spam)))
        for text, spam in items.order_by("pk").values_list("comment__text", "is_spam")
    ]


def _fit(samples: list[tuple[str, int]]) -> dict[str, Any] | None:
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.naive_bayes import MultinomialNB

    labels = [label for _text, label in samples]
    if len(set(labels)) < 2:
        return None  # one class only: nothing to tell apart
    vectorizer = CountVectorizer(token_pattern=TOKEN, strip_accents="unicode", lowercase=True)
    counts = vectorizer.fit_transform([text for text, _label in samples])
    model = MultinomialNB(alpha=1.0).fit(counts, labels)
    ham, spam = (list(model.classes_).index(c) for c in (0, 1))
    return {
        "vocabulary": vectorizer.get_feature_names_out().tolist(),
        "ham": model.feature_log_prob_[ham].round(6).tolist(),
        "spam": model.feature_log_prob_[spam].round(6).tolist(),
        "prior": [float(model.class_log_prior_[ham]), float(model.class_log_prior_[spam])],
    }


@transaction.atomic
def train(*, space_id: int | None) -> SpamModel | None:
    """Learn the space's model (and the site-wide one) from the decisions so far."""
    trained = None
    for scope in [space_id, None] if space_id is not None else [None]:
        samples = _labelled(scope)
        SpamModel.objects.select_for_update().filter(**{"space_id": scope}).first()
        if len(samples) < MIN_DECISIONS:
            SpamModel.objects.filter(**{"space_id": scope}).delete()
            continue
        weights = _fit(samples)
        if weights is None:
            SpamModel.objects.filter(**{"space_id": scope}).delete()
            continue
        lookup: dict[str, Any] = {"space_id": scope}  # None: the site-wide model
        row, _created = SpamModel.objects.update_or_create(
            **lookup,
            defaults={
                "decisions": len(samples),
                "weights": weights,
                "trained_at": timezone.now(),
            },
        )
        if scope == space_id:
            trained = row
    return trained


@jobs.job("moderation.train_spam")
def train_job(*, space_id: int | None = None) -> None:
    train(space_id=space_id)


def _fold(text: str) -> list[str]:
    import unicodedata

    folded = unicodedata.normalize("NFKD", text.lower())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return _TOKEN_RE.findall(folded)


def score(weights: dict[str, Any], text: str) -> tuple[float, list[str]]:
    """The probability that `text` is spam, and the words that weighed most towards it."""
    index = {word: i for i, word in enumerate(weights["vocabulary"])}
    counts: dict[int, int] = {}
    for word in _fold(text):
        if word in index:
            counts[index[word]] = counts.get(index[word], 0) + 1
    if not counts:
        return 0.0, []
    ids = np.fromiter(counts.keys(), dtype=np.int64)
    times = np.fromiter(counts.values(), dtype=np.float64)
    spam = np.asarray(weights["spam"])[ids]
    ham = np.asarray(weights["ham"])[ids]
    log_spam = weights["prior"][1] + float(times @ spam)
    log_ham = weights["prior"][0] + float(times @ ham)
    top = max(log_spam, log_ham)
    p_spam = math.exp(log_spam - top) / (math.exp(log_spam - top) + math.exp(log_ham - top))
    lean = (spam - ham) * times
    order = np.argsort(-lean)
    words = [weights["vocabulary"][ids[i]] for i in order[:5] if lean[i] > 0]
    return p_spam, words


def model_for(space: Any) -> SpamModel | None:
    found = {
        row.space_id: row
        for row in SpamModel.objects.filter(space_id__in=[space.pk])
        | SpamModel.objects.filter(space__isnull=True)
    }
    return found.get(space.pk) or found.get(None)


def spam_screen(contribution: screening.Contribution) -> screening.Finding | None:
    """Hold a comment the classifier finds likely spam, naming the words that weighed most."""
    if contribution.kind != "discussions.comment" or contribution.space is None:
        return None
    model = model_for(contribution.space)
    if model is None:
        return None
    probability, words = score(model.weights, contribution.added or contribution.text)
    if probability < THRESHOLD:
        return None
    return screening.Finding(
        screen="spam",
        action="hold",
        reason=_("It looks like spam (%(percent)d%%; words: %(words)s); a moderator will look.")
        % {"percent": int(probability * 100), "words": ", ".join(words)},
        tag="spam?",
        score=round(probability, 4),
        data={"words": words, "decisions": model.decisions},
    )
