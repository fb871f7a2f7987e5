"""One stored vector per indexed object and embedder (docs/decisions/0056-assist.md)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class Vector(models.Model):
    """What the assist service knows of one object: its embedding under `model`, and the
    folded words of its title and text (for the lexical half of the score and the reasons).

    A cache of the object's text: `peerwork assist reindex` makes every row again."""

    space = models.ForeignKey("spaces.Space", on_delete=models.CASCADE, related_name="+")
    #: the registered kind's name ("idea", "task", "page", ...).
    kind = models.CharField(max_length=32)
    object_id = models.PositiveBigIntegerField()
    #: the embedder that made `vector` ("wordllama", "tfidf").
    model = models.CharField(max_length=40)
    #: of the embedder's name and the text embedded: an unchanged text is not embedded again.
    text_hash = models.CharField(max_length=32)
    title_words = models.TextField(blank=True)
    words = models.TextField(blank=True)
    #: float32 little-endian, unit length; empty for "tfidf" (fitted per space at query time).
    vector = models.BinaryField(blank=True, default=b"")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "model"], name="assist_vector_once_per_model"
            )
        ]
        indexes = [models.Index(fields=["space", "model"], name="assist_vector_space_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} ({self.model})"
