"""The search entry table, plus each database's own index over it.

SQLite: an FTS5 external-content table over search_searchentry (rowid = page id), kept in step by
triggers, so the text is stored once and a flush or cascade delete of entries cleans the index.
Queries filter by joining wiki_page on its rowid, which is far cheaper than reading columns
back from the content table.
PostgreSQL: an unaccenting 'simple' text search configuration and GIN indexes on the vectors.
"""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models



SQLITE_FTS = (
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "title, body, "
    "content='search_searchentry', content_rowid='page_id', "
    "tokenize='unicode61 remove_diacritics 2', prefix='2 3')"
)
_FTS_INSERT = (
    "INSERT INTO search_fts(rowid, title, body) VALUES (new.page_id, new.title, new.body);"
)
_FTS_DELETE = (
    "INSERT INTO search_fts(search_fts, rowid, title, body) "
    "VALUES ('delete', old.page_id, old.title, old.body);"
)
SQLITE_TRIGGERS = [
    "CREATE TRIGGER search_entry_inserted AFTER INSERT ON search_searchentry "
    f"BEGIN {_FTS_INSERT} END",
    "CREATE TRIGGER search_entry_deleted AFTER DELETE ON search_searchentry "
    f"BEGIN {_FTS_DELETE} END",
    "CREATE TRIGGER search_entry_updated AFTER UPDATE ON search_searchentry "
    f"BEGIN {_FTS_DELETE} {_FTS_INSERT} END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_entry_inserted",
    "DROP TRIGGER IF EXISTS search_entry_deleted",
    "DROP TRIGGER IF EXISTS search_entry_updated",
    "DROP TABLE IF EXISTS search_fts",
]

POSTGRES_CREATE = [
    # unaccent is a trusted extension (PostgreSQL 13+): a database owner may create it.
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE TEXT SEARCH CONFIGURATION peerwork_search (COPY = pg_catalog.simple)",
    "ALTER TEXT SEARCH CONFIGURATION peerwork_search "
    "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple",
    "CREATE INDEX search_entry_vector_gin ON search_searchentry USING gin (vector)",
    "CREATE INDEX search_entry_title_vector_gin ON search_searchentry USING gin (title_vector)",
]
POSTGRES_DROP = [
    "DROP INDEX IF EXISTS search_entry_vector_gin",
    "DROP INDEX IF EXISTS search_entry_title_vector_gin",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS peerwork_search",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


create_indexes = _run({"sqlite": [SQLITE_FTS, *SQLITE_TRIGGERS], "postgresql": POSTGRES_CREATE})
drop_indexes = _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP})


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('spaces', '0001_initial'),
        ('wiki', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchEntry',
            fields=[
                ('page', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='search_entry', serialize=False, to='wiki.page')),
                ('namespace', models.IntegerField()),
                ('title', models.CharField(max_length=255)),
                ('body', models.TextField(blank=True)),
                ('vector', django.contrib.postgres.search.SearchVectorField(editable=False, null=True)),
                ('title_vector', django.contrib.postgres.search.SearchVectorField(editable=False, null=True)),
                ('space', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='spaces.space')),
            ],
        ),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
