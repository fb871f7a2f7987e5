"""Search documents of every kind, keyed by (kind, object id), in place of one entry per page.

The page entries move across as documents of kind "page" (same title, body and vectors), so
page search, title autocomplete and the MediaWiki API answer as before without a rebuild.
The other kinds fill in with `peerwork.manage search_rebuild` and then as they change.

SQLite: the FTS5 table `search_fts` is made again over the new table (rowid = document id),
with its triggers; the old one and its triggers go first, as the old table does.
PostgreSQL: the text search configuration of 0001 stays; the GIN indexes move to the new table.
"""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

SQLITE_FTS = (
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "title, body, "
    "content='search_searchdocument', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2', prefix='2 3')"
)
_FTS_INSERT = "INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body);"
_FTS_DELETE = (
    "INSERT INTO search_fts(search_fts, rowid, title, body) "
    "VALUES ('delete', old.id, old.title, old.body);"
)
SQLITE_TRIGGERS = [
    "CREATE TRIGGER search_document_inserted AFTER INSERT ON search_searchdocument "
    f"BEGIN {_FTS_INSERT} END",
    "CREATE TRIGGER search_document_deleted AFTER DELETE ON search_searchdocument "
    f"BEGIN {_FTS_DELETE} END",
    "CREATE TRIGGER search_document_updated AFTER UPDATE ON search_searchdocument "
    f"BEGIN {_FTS_DELETE} {_FTS_INSERT} END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_document_inserted",
    "DROP TRIGGER IF EXISTS search_document_deleted",
    "DROP TRIGGER IF EXISTS search_document_updated",
    "DROP TABLE IF EXISTS search_fts",
]
POSTGRES_CREATE = [
    "CREATE INDEX search_document_vector_gin ON search_searchdocument USING gin (vector)",
    "CREATE INDEX search_document_title_vector_gin "
    "ON search_searchdocument USING gin (title_vector)",
]
POSTGRES_DROP = [
    "DROP INDEX IF EXISTS search_document_vector_gin",
    "DROP INDEX IF EXISTS search_document_title_vector_gin",
]
COPY_PAGES = (
    "INSERT INTO search_searchdocument "
    "(kind, object_id, space_id, namespace, title, body, vector, title_vector) "
    "SELECT 'page', page_id, space_id, namespace, title, body, vector, title_vector "
    "FROM search_searchentry"
)
COPY_PAGES_BACK = (
    "INSERT INTO search_searchentry "
    "(page_id, space_id, namespace, title, body, vector, title_vector) "
    "SELECT d.object_id, d.space_id, d.namespace, d.title, d.body, d.vector, d.title_vector "
    "FROM search_searchdocument AS d JOIN wiki_page AS p ON p.id = d.object_id "
    "WHERE d.kind = 'page'"
)

# The index of 0001, over search_searchentry (rowid = page id).
OLD_SQLITE = [
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "title, body, "
    "content='search_searchentry', content_rowid='page_id', "
    "tokenize='unicode61 remove_diacritics 2', prefix='2 3')",
    "CREATE TRIGGER search_entry_inserted AFTER INSERT ON search_searchentry BEGIN "
    "INSERT INTO search_fts(rowid, title, body) VALUES (new.page_id, new.title, new.body); END",
    "CREATE TRIGGER search_entry_deleted AFTER DELETE ON search_searchentry BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title, body) "
    "VALUES ('delete', old.page_id, old.title, old.body); END",
    "CREATE TRIGGER search_entry_updated AFTER UPDATE ON search_searchentry BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title, body) "
    "VALUES ('delete', old.page_id, old.title, old.body); "
    "INSERT INTO search_fts(rowid, title, body) VALUES (new.page_id, new.title, new.body); END",
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
]
OLD_SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_entry_inserted",
    "DROP TRIGGER IF EXISTS search_entry_deleted",
    "DROP TRIGGER IF EXISTS search_entry_updated",
    "DROP TABLE IF EXISTS search_fts",
]
OLD_POSTGRES = [
    "CREATE INDEX IF NOT EXISTS search_entry_vector_gin "
    "ON search_searchentry USING gin (vector)",
    "CREATE INDEX IF NOT EXISTS search_entry_title_vector_gin "
    "ON search_searchentry USING gin (title_vector)",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


drop_old_index = _run({"sqlite": OLD_SQLITE_DROP})
restore_old_index = _run({"sqlite": OLD_SQLITE, "postgresql": OLD_POSTGRES})
create_index_and_copy = _run(
    {
        "sqlite": [SQLITE_FTS, *SQLITE_TRIGGERS, COPY_PAGES],
        "postgresql": [*POSTGRES_CREATE, COPY_PAGES],
    }
)
copy_back_and_drop_index = _run(
    {"sqlite": [COPY_PAGES_BACK, *SQLITE_DROP], "postgresql": [COPY_PAGES_BACK, *POSTGRES_DROP]}
)


class Migration(migrations.Migration):

    dependencies = [
        ("search", "0001_initial"),
        ("spaces", "0001_initial"),
        ("wiki", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(drop_old_index, restore_old_index),
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(max_length=16)),
                ("object_id", models.BigIntegerField()),
                ("space", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="spaces.space")),
                ("namespace", models.IntegerField(blank=True, null=True)),
                ("title", models.CharField(max_length=255)),
                ("body", models.TextField(blank=True)),
                ("vector", django.contrib.postgres.search.SearchVectorField(editable=False, null=True)),
                ("title_vector", django.contrib.postgres.search.SearchVectorField(editable=False, null=True)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("kind", "object_id"), name="search_document_unique")
                ],
            },
        ),
        migrations.RunPython(create_index_and_copy, copy_back_and_drop_index),
        migrations.DeleteModel(name="SearchEntry"),
    ]
