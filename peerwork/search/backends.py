"""One search interface, two engines: SQLite FTS5 and PostgreSQL full-text search.

Both keep their index over the `SearchDocument` table (see models.py), so writes are the same
ORM upsert on both; only PostgreSQL also computes its tsvector. Reads differ:

- SQLite: `search_fts MATCH <query we build>`, ranked by `bm25(search_fts, 10.0, 1.0)` (a title
  hit weighs ten body hits), snippets by `snippet()`.
- PostgreSQL: `websearch_to_tsquery('peerwork_search', <query we rebuild>)`, ranked by `ts_rank`
  with title weight A and body weight D, snippets by `ts_headline`. 'peerwork_search' is the
  'simple' configuration plus unaccent: no stemming and no stop words, because pages are in
  several languages and because then both engines find the same pages for the same words.

User text never reaches either query language. `parse_query` reads the small websearch syntax
(words, "quoted phrases", -excluded, OR) into words of letters and digits only, and each backend
writes its own query from those, so no input can be a syntax error.

Snippets are HTML: the engines mark hits with control characters (removed from indexed text),
the snippet is escaped, then the marks become <mark> tags. Nothing else in a snippet is markup.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import Case, F, IntegerField, Q, TextField, Value, When
from django.db.models.functions import Length, Replace

from .models import SearchDocument

#: Hit marks inside raw snippets; `index.py` removes them from the text it indexes.
START, STOP = "\x02", "\x03"
#: PostgreSQL's parser takes anything from "<" to ">" for an HTML tag, and neither indexes it
#: nor shows it in headlines; it sees this stand-in for "<" instead, so it reads such text
#: as words, like FTS5 does, and snippets show it (escaped).
LESS_THAN = "\x04"
POSTGRES_CONFIG = "peerwork_search"
_WORD_RE = re.compile(r"[^\W_]+")
_CHUNK_RE = re.compile(r'(-?)"([^"]*)"?|(\S+)')


@dataclass(frozen=True)
class Hit:
    page_id: int
    rank: float
    #: HTML: escaped text with <mark> around the words that matched.
    snippet: str


@dataclass(frozen=True)
class Match:
    """One document of any kind that matched; `snippets` makes its text for display."""

    document_id: int
    kind: str
    object_id: int
    space_id: int | None
    rank: float


@dataclass(frozen=True)
class Document:
    kind: str
    object_id: int
    space_id: int | None
    title: str
    text: str
    #: Pages only.
    namespace: int | None = None


@dataclass(frozen=True)
class Clause:
    """One word, or a phrase of several; `negated` for -word / -"a phrase"."""

    words: tuple[str, ...]
    negated: bool = False


def parse_query(text: str) -> list[list[Clause]]:
    """The websearch syntax as groups joined by OR, each group's clauses joined by AND.

    Groups with no positive clause are dropped (neither engine can search for "everything
    except"), so a query of only exclusions finds nothing on both.
    """
    groups: list[list[Clause]] = [[]]
    for match in _CHUNK_RE.finditer(text):
        negated_phrase, phrase, bare = match.groups()
        if phrase is not None:
            words, negated = _WORD_RE.findall(phrase), bool(negated_phrase)
        else:
            if bare.lower() == "or":
                groups.append([])
                continue
            negated = bare.startswith("-")
            words = _WORD_RE.findall(bare)
        if words:
            groups[-1].append(Clause(tuple(word.lower() for word in words), negated))
    return [group for group in groups if any(not clause.negated for clause in group)]


def query_words(text: str) -> list[str]:
    """The words of an autocomplete prefix; the last one is matched as a prefix."""
    return [word.lower() for word in _WORD_RE.findall(text)]


def snippet_html(raw: str) -> str:
    raw = raw.replace(LESS_THAN, "<")
    return html.escape(raw).replace(START, "<mark>").replace(STOP, "</mark>")


class SearchBackend(Protocol):
    def index(self, document: Document) -> None:
        """Store (or replace) what search knows of one object."""

    def index_many(self, documents: Iterable[Document]) -> int:
        """`index` for many objects at once; returns how many."""

    def remove(self, kind: str, object_id: int) -> None: ...

    def remove_kind(self, kind: str, space_id: int | None = None) -> int:
        """Forget every document of a kind (in one space, given `space_id`)."""

    def search(
        self,
        space_ids: Sequence[int],
        query: str,
        *,
        namespace: int | None = None,
        limit: int,
        offset: int = 0,
    ) -> list[Hit]:
        """Pages, best first. `query` is user text in the websearch syntax; it never raises."""

    def complete(self, space_ids: Sequence[int], prefix: str, limit: int) -> list[int]:
        """Page ids whose titles hold the words in order, the last as a prefix; best first."""

    def match(self, space_ids: Sequence[int], query: str, *, limit: int) -> list[Match]:
        """Documents of every kind in those spaces or in none (people), best first."""

    def snippets(self, document_ids: Sequence[int], query: str) -> dict[int, str]:
        """HTML snippets of the body around the matches, by document id."""


class _DocumentTable:
    """Writes, the same on both engines: an upsert of SearchDocument rows."""

    batch_size = 500

    def index(self, document: Document) -> None:
        self.index_many([document])

    def index_many(self, documents: Iterable[Document]) -> int:
        rows = [
            SearchDocument(
                kind=document.kind,
                object_id=document.object_id,
                space_id=document.space_id,
                namespace=document.namespace,
                title=document.title,
                body=document.text,
            )
            for document in documents
        ]
        for start in range(0, len(rows), self.batch_size):
            batch = rows[start : start + self.batch_size]
            SearchDocument.objects.bulk_create(
                batch,
                update_conflicts=True,
                unique_fields=["kind", "object_id"],
                update_fields=["space", "namespace", "title", "body"],
            )
            self._after_write(batch)
        return len(rows)

    def _after_write(self, rows: list[SearchDocument]) -> None:
        pass

    def remove(self, kind: str, object_id: int) -> None:
        SearchDocument.objects.filter(kind=kind, object_id=object_id).delete()

    def remove_kind(self, kind: str, space_id: int | None = None) -> int:
        documents = SearchDocument.objects.filter(kind=kind)
        if space_id is not None:
            documents = documents.filter(space_id=space_id)
        return documents.delete()[0]


class SqliteFts5Backend(_DocumentTable):
    """FTS5 external-content table `search_fts` over search_searchdocument, rowid = document id.

    External content keeps the text once (FTS5 reads title and body back from the document
    table for snippets), and the triggers keep the index exact through updates, cascades and
    test flushes.
    """

    # Filters read the document's short leading columns (kind, object id, space) by rowid and
    # join wiki_page on the object id, a cheap lookup per match. The space ids come as one
    # JSON array, so any number of them is one parameter.
    SEARCH_SQL = (
        "SELECT d.id, d.object_id, -bm25(search_fts, 10.0, 1.0) "
        "FROM search_fts AS f JOIN search_searchdocument AS d ON d.id = f.rowid "
        "JOIN wiki_page AS p ON p.id = d.object_id "
        "WHERE search_fts MATCH %s AND d.kind = 'page' AND p.is_deleted = 0 "
        "AND p.space_id IN (SELECT value FROM json_each(%s)) "
        "AND (%s IS NULL OR p.namespace = %s) "
        "ORDER BY bm25(search_fts, 10.0, 1.0), d.object_id LIMIT %s OFFSET %s"
    )
    MATCH_SQL = (
        "SELECT d.id, d.kind, d.object_id, d.space_id, -bm25(search_fts, 10.0, 1.0) "
        "FROM search_fts AS f JOIN search_searchdocument AS d ON d.id = f.rowid "
        "WHERE search_fts MATCH %s "
        "AND (d.space_id IS NULL OR d.space_id IN (SELECT value FROM json_each(%s))) "
        "ORDER BY bm25(search_fts, 10.0, 1.0), d.id LIMIT %s"
    )
    # SQLite computes result columns before it sorts, so snippets (which re-read and tokenize
    # the text) are made in a second query, for the page of results only.
    SNIPPET_SQL = (
        "SELECT rowid, snippet(search_fts, 1, char(2), char(3), '…', 12) "
        "FROM search_fts WHERE search_fts MATCH %s AND rowid IN (SELECT value FROM json_each(%s))"
    )
    # bm25 over the title alone puts short titles first, and needs no read of the titles.
    COMPLETE_SQL = (
        "SELECT d.object_id FROM search_fts AS f "
        "JOIN search_searchdocument AS d ON d.id = f.rowid "
        "JOIN wiki_page AS p ON p.id = d.object_id "
        "WHERE search_fts MATCH %s AND d.kind = 'page' AND p.is_deleted = 0 "
        "AND p.space_id IN (SELECT value FROM json_each(%s)) "
        "ORDER BY bm25(search_fts, 1.0, 0.0), d.object_id LIMIT %s"
    )

    @staticmethod
    def _phrase(words: Sequence[str], prefix: bool = False) -> str:
        # Words are letters and digits only, so quoting cannot be escaped from.
        return '"' + " ".join(words) + '"' + (" *" if prefix else "")

    @classmethod
    def match_expression(cls, groups: list[list[Clause]]) -> str:
        parts = []
        for group in groups:
            positive = " AND ".join(cls._phrase(c.words) for c in group if not c.negated)
            negative = "".join(f" NOT {cls._phrase(c.words)}" for c in group if c.negated)
            parts.append(f"({positive}){negative}")
        return " OR ".join(parts)

    def search(
        self,
        space_ids: Sequence[int],
        query: str,
        *,
        namespace: int | None = None,
        limit: int,
        offset: int = 0,
    ) -> list[Hit]:
        groups = parse_query(query)
        if not groups or not space_ids:
            return []
        match = self.match_expression(groups)
        with connection.cursor() as cursor:
            cursor.execute(
                self.SEARCH_SQL,
                [match, json.dumps(list(space_ids)), namespace, namespace, limit, offset],
            )
            ranked = cursor.fetchall()
        if not ranked:
            return []
        snippets = self._snippets(match, [row[0] for row in ranked])
        return [
            Hit(page_id, rank, snippet_html(snippets.get(document_id) or ""))
            for document_id, page_id, rank in ranked
        ]

    def _snippets(self, match: str, document_ids: Sequence[int]) -> dict[int, str]:
        with connection.cursor() as cursor:
            cursor.execute(self.SNIPPET_SQL, [match, json.dumps(list(document_ids))])
            return dict(cursor.fetchall())

    def match(self, space_ids: Sequence[int], query: str, *, limit: int) -> list[Match]:
        groups = parse_query(query)
        if not groups:
            return []
        with connection.cursor() as cursor:
            cursor.execute(
                self.MATCH_SQL,
                [self.match_expression(groups), json.dumps(list(space_ids)), limit],
            )
            return [Match(*row) for row in cursor.fetchall()]

    def snippets(self, document_ids: Sequence[int], query: str) -> dict[int, str]:
        groups = parse_query(query)
        if not groups or not document_ids:
            return {}
        raw = self._snippets(self.match_expression(groups), document_ids)
        return {document_id: snippet_html(text or "") for document_id, text in raw.items()}

    def complete(self, space_ids: Sequence[int], prefix: str, limit: int) -> list[int]:
        words = query_words(prefix)
        if not words or not space_ids:
            return []
        match = "{title} : " + self._phrase(words, prefix=True)
        with connection.cursor() as cursor:
            cursor.execute(self.COMPLETE_SQL, [match, json.dumps(list(space_ids)), limit])
            return [row[0] for row in cursor.fetchall()]


def _as_words(column: str) -> Replace:
    return Replace(F(column), Value("<"), Value(LESS_THAN), output_field=TextField())


class PostgresBackend(_DocumentTable):
    """A weighted tsvector per document (title A, body D) under a GIN index."""

    #: ts_rank weights for D, C, B, A.
    WEIGHTS = [0.1, 0.2, 0.4, 1.0]

    def _after_write(self, rows: list[SearchDocument]) -> None:
        keys = Q(pk__in=[])
        for row in rows:
            keys |= Q(kind=row.kind, object_id=row.object_id)
        SearchDocument.objects.filter(keys).update(
            vector=SearchVector(_as_words("title"), weight="A", config=POSTGRES_CONFIG)
            + SearchVector(_as_words("body"), weight="D", config=POSTGRES_CONFIG),
            title_vector=SearchVector(_as_words("title"), config=POSTGRES_CONFIG),
        )

    @staticmethod
    def websearch_text(groups: list[list[Clause]]) -> str:
        """The parsed query written back in websearch syntax, from safe words only."""

        def clause(c: Clause) -> str:
            text = c.words[0] if len(c.words) == 1 else '"' + " ".join(c.words) + '"'
            return ("-" if c.negated else "") + text

        return " or ".join(" ".join(clause(c) for c in group) for group in groups)

    def _query(self, groups: list[list[Clause]]) -> SearchQuery:
        return SearchQuery(
            self.websearch_text(groups), search_type="websearch", config=POSTGRES_CONFIG
        )

    def search(
        self,
        space_ids: Sequence[int],
        query: str,
        *,
        namespace: int | None = None,
        limit: int,
        offset: int = 0,
    ) -> list[Hit]:
        groups = parse_query(query)
        if not groups or not space_ids:
            return []
        search_query = self._query(groups)
        documents = SearchDocument.objects.filter(
            kind="page", space_id__in=space_ids, vector=search_query
        )
        if namespace is not None:
            documents = documents.filter(namespace=namespace)
        ranked = list(
            documents.annotate(rank=SearchRank(F("vector"), search_query, weights=self.WEIGHTS))
            .order_by("-rank", "object_id")
            .values_list("pk", "object_id", "rank")[offset : offset + limit]
        )
        snippets = self._snippets(search_query, [row[0] for row in ranked])
        return [
            Hit(page_id, float(rank), snippets.get(document_id, ""))
            for document_id, page_id, rank in ranked
        ]

    def _snippets(self, search_query: SearchQuery, document_ids: Sequence[int]) -> dict[int, str]:
        # Headlines re-read the text, so only for the page of results, not every match.
        if not document_ids:
            return {}
        rows = (
            SearchDocument.objects.filter(pk__in=document_ids)
            .annotate(
                snippet=SearchHeadline(
                    _as_words("body"),
                    search_query,
                    config=POSTGRES_CONFIG,
                    start_sel=START,
                    stop_sel=STOP,
                    max_words=20,
                    min_words=8,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                )
            )
            .values_list("pk", "snippet")
        )
        return {document_id: snippet_html(text or "") for document_id, text in rows}

    def match(self, space_ids: Sequence[int], query: str, *, limit: int) -> list[Match]:
        groups = parse_query(query)
        if not groups:
            return []
        search_query = self._query(groups)
        rows = (
            SearchDocument.objects.filter(
                Q(space_id__isnull=True) | Q(space_id__in=list(space_ids)), vector=search_query
            )
            .annotate(rank=SearchRank(F("vector"), search_query, weights=self.WEIGHTS))
            .order_by("-rank", "pk")
            .values_list("pk", "kind", "object_id", "space_id", "rank")[:limit]
        )
        return [
            Match(document_id, kind, object_id, space_id, float(rank))
            for document_id, kind, object_id, space_id, rank in rows
        ]

    def snippets(self, document_ids: Sequence[int], query: str) -> dict[int, str]:
        groups = parse_query(query)
        if not groups:
            return {}
        return self._snippets(self._query(groups), document_ids)

    def complete(self, space_ids: Sequence[int], prefix: str, limit: int) -> list[int]:
        words = query_words(prefix)
        if not words or not space_ids:
            return []
        # Words are letters and digits only, so they are safe inside to_tsquery's quotes.
        terms = [f"'{word}'" for word in words[:-1]] + [f"'{words[-1]}':*"]
        tsquery = SearchQuery(" <-> ".join(terms), search_type="raw", config=POSTGRES_CONFIG)
        starts = Case(
            When(title__istartswith=" ".join(words), then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        return list(
            SearchDocument.objects.filter(kind="page", space_id__in=space_ids, title_vector=tsquery)
            .annotate(starts=starts, length=Length("title"))
            .order_by("starts", "length", "title", "object_id")
            .values_list("object_id", flat=True)[:limit]
        )


_BACKENDS: dict[str, SearchBackend] = {
    "sqlite": SqliteFts5Backend(),
    "postgresql": PostgresBackend(),
}


def get_backend() -> SearchBackend:
    try:
        return _BACKENDS[connection.vendor]
    except KeyError:
        raise ImproperlyConfigured(
            f"Search supports SQLite and PostgreSQL, not {connection.vendor!r}."
        ) from None
