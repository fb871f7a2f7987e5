"""What search sees of a page: one row per searchable page, written only by `index.py`.

The same table serves both databases. On SQLite an FTS5 external-content table `search_fts`
indexes its title and body, kept in step by triggers on this table (migration 0001); on
PostgreSQL `vector` and `title_vector` hold tsvectors under GIN indexes.

Any later migration that alters this table on SQLite rebuilds it, which drops the triggers:
such a migration must create them again (see `0001_initial.SQLITE_TRIGGERS`) and then run
`INSERT INTO search_fts(search_fts) VALUES ('rebuild')`.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models


class SearchEntry(models.Model):
    page = models.OneToOneField(
        "wiki.Page", on_delete=models.CASCADE, primary_key=True, related_name="search_entry"
    )
    space = models.ForeignKey("spaces.Space", on_delete=models.CASCADE, related_name="+")
    namespace = models.IntegerField()
    title = models.CharField(max_length=255)
    body = models.TextField(blank=True)
    #: PostgreSQL only (plain, always-empty columns on SQLite): title A + body D, for search;
    #: the title alone, for autocomplete, whose prefix lookups would otherwise recheck every
    #: page whose body has a word with that prefix.
    vector = SearchVectorField(null=True, editable=False)
    title_vector = SearchVectorField(null=True, editable=False)

    def __str__(self) -> str:
        return f"search entry of page {self.page_id}"
