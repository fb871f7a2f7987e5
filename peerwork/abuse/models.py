"""The counters behind rate limits and sign-in throttling (docs/decisions/0060-*.md).

One row per bucket: what is counted, for whom, in which space, over which period. A row counts
from the first hit until `resets_at` (Unix seconds), as MediaWiki's limiter counts from the
first hit until its cache key expires; the next hit after that starts again at one. Rows are
changed only by one atomic UPSERT (peerwork/abuse/limiter.py), so every process that shares
the database shares the counts, on SQLite and on PostgreSQL alike.
"""

from __future__ import annotations

from django.db import models


class Counter(models.Model):
    bucket = models.CharField(max_length=255, unique=True)
    count = models.PositiveIntegerField(default=0)
    resets_at = models.BigIntegerField(db_index=True)

    def __str__(self) -> str:
        return f"{self.bucket}: {self.count} until {self.resets_at}"
