"""The spam classifier learns from moderators' decisions: cold start says nothing; after 40
decisions a new spam comment is held (naming the words), an ordinary one is not."""

from __future__ import annotations

import random
from typing import Any

from peerwork.discussions import actions as discussions
from peerwork.discussions.models import Comment
from peerwork.moderation import actions, classifier
from peerwork.moderation.models import QueueItem, SpamModel

SPAM_WORDS = ["casino", "bonus", "viagra", "crypto", "gratis", "oferta", "ganar", "dinero", "click"]
HAM_WORDS = ["map", "river", "mapa", "río", "source", "fuente", "edit", "página", "thanks", "idea"]


def _text(rng: random.Random, words: list[str]) -> str:
    common = ["the", "a", "el", "la", "and", "y", "of", "de"]
    return " ".join(rng.choice(words + common) for _ in range(12))


def _decide_many(world: dict[str, Any], count: int) -> None:
    """`count` reported comments, half spam (removed as spam), half not (dismissed)."""
    rng = random.Random(7)
    for index in range(count):
        spam = index % 2 == 0
        comment = discussions.comment_post(
            user=world["bob"],
            target=world["page"],
            text=_text(rng, SPAM_WORDS if spam else HAM_WORDS),
        )
        actions.report_create(
            user=world["cara"], space=world["space"], comment=comment, reason="spam"
        )
        item = QueueItem.objects.get(comment=comment)
        actions.queue_decide(
            user=world["ada"],
            item=item,
            decision="remove" if spam else "dismiss",
            is_spam=spam,
        )


def test_cold_start_says_nothing(world: dict[str, Any]) -> None:
    _decide_many(world, classifier.MIN_DECISIONS - 1)
    assert classifier.train(space_id=world["space"].pk) is None
    assert not SpamModel.objects.exists()
    comment = discussions.comment_post(
        user=world["bob"], target=world["page"], text="casino bonus crypto gratis dinero"
    )
    assert not comment.is_held


def test_after_forty_decisions_spam_is_held_and_ham_is_not(world: dict[str, Any]) -> None:
    _decide_many(world, 40)
    model = classifier.train(space_id=world["space"].pk)
    assert model is not None and model.decisions == 40
    assert SpamModel.objects.filter(space__isnull=True).get().decisions == 40  # site-wide too
    spam = discussions.comment_post(
        user=world["cara"], target=world["page"], text="Gana dinero: casino bonus, click aquí"
    )
    ham = discussions.comment_post(
        user=world["cara"], target=world["page"], text="Thanks, I added the river to the map"
    )
    assert Comment.objects.get(pk=spam.pk).is_held is True
    assert Comment.objects.get(pk=ham.pk).is_held is False
    item = QueueItem.objects.get(comment=spam)
    finding = item.hold_reasons[0]
    assert finding["screen"] == "spam" and finding["score"] >= classifier.THRESHOLD
    assert set(finding["data"]["words"]) & {"casino", "bonus", "dinero", "click"}


def test_another_space_uses_the_site_wide_model(world: dict[str, Any], make_space: Any) -> None:
    _decide_many(world, 40)
    classifier.train(space_id=world["space"].pk)
    other = make_space(world["ada"], "other")
    assert classifier.model_for(other).space_id is None
    score, words = classifier.score(classifier.model_for(other).weights, "casino bonus gratis")
    assert score > 0.9 and words
