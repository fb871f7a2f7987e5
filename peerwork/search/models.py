"""What search sees: one document per searchable thing, written only by `index.py`.

A document is keyed by its kind ("page", "idea", "person", ...) and the id of the object it
stands for. It carries the space the object lives in (none for people), a title and plain
text (markup stripped), and, for pages, the namespace. The space and the object itself decide
who may find it: selectors ask the read policy about the objects behind every match, so a
document that lags a change for a moment still shows nobody what they may not see.

The same table serves both databases. On SQLite an FTS5 external-content table `search_fts`
(rowid = document id) indexes its title and body, kept in step by triggers on this table
(migration 0002); on PostgreSQL `vector` and `title_vector` hold tsvectors under GIN indexes.

Any later migration that alters this table on SQLite rebuilds it, which drops the triggers:
such a migration must create them again (see `0002_search_documents.SQLITE_TRIGGERS`) and then
run `INSERT INTO search_fts(search_fts) VALUES ('rebuild')`.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models


class SearchDocument(models.Model):
    kind = models.CharField(max_length=16)
    object_id = models.BigIntegerField()
    space = models.ForeignKey(
        "spaces.Space", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    #: Pages only: the wiki namespace, for namespace filters and title autocomplete.
    namespace = models.IntegerField(null=True, blank=True)
    title = models.CharField(max_length=255)
    body = models.TextField(blank=True)
    #: PostgreSQL only (plain, always-empty columns on SQLite): title A + body D, for search;
    #: the title alone, for autocomplete, whose prefix lookups would otherwise recheck every
    #: page whose body has a word with that prefix.
    vector = SearchVectorField(null=True, editable=False)
    title_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_unique")
        ]

    def __str__(self) -> str:
        return f"search document of {self.kind} {self.object_id}"
