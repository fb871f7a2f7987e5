"""A space's own edit-risk model, trained on its history (docs/decisions/0059)."""

from __future__ import annotations

from django.db import models


class RiskModel(models.Model):
    """The fitted classifier of one space, pickled and signed with the site's secret key.

    Only this project's training writes the blob, and it is loaded only when its HMAC
    signature verifies, so a row written by anyone without the secret key is never unpickled.
    """

    space = models.OneToOneField("spaces.Space", on_delete=models.CASCADE, related_name="+")
    trained_at = models.DateTimeField()
    #: The feature names in column order, as trained (features.NAMES at the time).
    feature_names = models.JSONField(default=list)
    samples = models.PositiveIntegerField()
    positives = models.PositiveIntegerField()
    #: Precision and recall on the held-out fifth of the history, and the labels' sources.
    metrics = models.JSONField(default=dict)
    #: The typical value of each feature in edits that stayed (explanations compare to it).
    baseline = models.JSONField(default=list)
    blob = models.BinaryField()
    signature = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"risk model of space {self.space_id}"
