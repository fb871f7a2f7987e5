"""Authorship's measure for the credit graph: a revision weighs what it wrote that is still
in its page's current text (the product's "what survived"), not what it once added.

Registered with `credit.weights` from this app's `ready()`, so the credit app knows nothing of
authorship. A revision whose page has no authorship row yet (its job has not run) keeps the
credit app's default weight, so a score never drops to nothing while a job is pending.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from peerwork.credit.weights import RevisionFacts, size_added_weight
from peerwork.wiki.models import Page

from .models import RevisionAuthorship

#: Surviving tokens per point of weight: about what the default gives 1,000 added bytes.
TOKENS_PER_POINT = 100.0


def surviving_tokens(page_ids: set[int]) -> tuple[dict[int, int], set[int]]:
    """Tokens of each origin revision in the current text of these pages, and the pages whose
    current revision has an authorship row (the others are not measured yet)."""
    current = dict(
        Page.objects.filter(pk__in=page_ids, current_revision__isnull=False).values_list(
            "current_revision_id", "pk"
        )
    )
    counts: dict[int, int] = defaultdict(int)
    measured: set[int] = set()
    rows = RevisionAuthorship.objects.filter(revision_id__in=current).values_list(
        "revision_id", "origins"
    )
    for revision_id, origins in rows.iterator():
        measured.add(current[revision_id])
        for origin, length in origins:
            counts[origin] += length
    return dict(counts), measured


def surviving_weight(revisions: Sequence[RevisionFacts]) -> dict[int, float]:
    counts, measured = surviving_tokens({rev.page_id for rev in revisions})
    fallback = size_added_weight([rev for rev in revisions if rev.page_id not in measured])
    weights = {
        rev.id: counts.get(rev.id, 0) / TOKENS_PER_POINT
        for rev in revisions
        if rev.page_id in measured
    }
    return {**fallback, **weights}
