"""Who wrote each token of each revision: a cache derived from the revisions, rebuildable."""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class RevisionAuthorship(models.Model):
    """One revision's token origins, run-length packed, and each person's share of its text.

    The tokens' text is not stored: it is re-derived from the revision's text by the method's
    tokenizer (`method.tokenize`), so a row is a few numbers per run of one origin.
    """

    revision = models.OneToOneField(
        "wiki.Revision", on_delete=models.CASCADE, primary_key=True, related_name="authorship"
    )
    page = models.ForeignKey("wiki.Page", on_delete=models.CASCADE, related_name="+")
    #: [[origin revision id, how many tokens in a row], ...] in text order.
    origins = models.JSONField(default=list)
    token_count = models.PositiveIntegerField()
    #: [{"user": id or null, "name": str, "tokens": n}, ...], most tokens first.
    shares = models.JSONField(default=list)
    #: Which method made the row (`method.METHOD`).
    method = models.CharField(max_length=32)

    class Meta:
        indexes = [models.Index(fields=["page", "revision"], name="authorship_page_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(token_count__gte=0), name="authorship_token_count_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"authorship of {self.revision_id}"
