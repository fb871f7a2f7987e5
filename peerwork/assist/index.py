"""Keeping each object's vector current, and each space's matrix in memory for search.

- `event_recorded` (the activity recorder's hook) enqueues the job `assist.index_object` for
  an event whose target is a registered kind; the job runs after the commit, embeds the
  object's text if it changed, or drops the row when the object is no longer indexed.
- `reindex(space=None)` makes every row again (`peerwork assist reindex [--space SLUG]`).
- `space_index(space)` is the space's matrix, cached per process and per embedder, made
  again when the space's rows change (checked with one small query per search).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import TfidfVectorizer

from peerwork.activity.models import Event
from peerwork.core import jobs
from peerwork.core.markup import plain_text

from . import registry, text
from .models import Vector

#: Only the start of a long text is embedded and counted.
MAX_CHARS = 4000
MAX_WORDS = 600
#: Spaces whose matrix is kept in memory in one process.
KEPT_SPACES = 32


def event_recorded(event: Event) -> None:
    kind = registry.kind_of_target(event.target_type)
    if kind is not None and event.target_id.isdigit():
        jobs.enqueue("assist.index_object", kind=kind.name, object_id=int(event.target_id))


@jobs.job("assist.index_object")
def index_object_job(*, kind: str, object_id: int) -> None:
    found = registry.kind_named(kind)
    if found is not None:
        index_object(found, object_id)


def _document(kind: registry.Kind, obj: Any) -> tuple[str, str]:
    title, body = kind.text(obj)
    return title, plain_text(body[: MAX_CHARS * 2])[:MAX_CHARS] if body else ""


def _rows_for(kind: registry.Kind, objects: Iterable[Any], model: str) -> list[Vector]:
    """Unsaved rows for these objects under the embedder `model` (embedded in one batch)."""
    prepared = []
    for obj in objects:
        title, body = _document(kind, obj)
        full = f"{title}\n{body}"
        prepared.append((obj, title, full, text.text_hash(f"{model}\n{full}")))
    if not prepared:
        return []
    vectors: Any = (
        text.embed([full for _, _, full, _ in prepared])
        if model == text.WORDLLAMA
        else [None] * len(prepared)
    )
    now = timezone.now()
    return [
        Vector(
            space_id=obj.space_id,
            kind=kind.name,
            object_id=obj.pk,
            model=model,
            text_hash=digest,
            title_words=" ".join(text.words(title)),
            words=" ".join(text.words(full)[:MAX_WORDS]),
            vector=vector.astype("<f4").tobytes() if vector is not None else b"",
            updated_at=now,
        )
        for (obj, _, full, digest), vector in zip(prepared, vectors, strict=True)
    ]


@transaction.atomic
def index_object(kind: registry.Kind, object_id: int) -> Vector | None:
    """Embed the object again if its text changed; drop its rows when it is not indexed."""
    obj = kind.objects().filter(pk=object_id).select_related("space").first()
    if obj is None:
        Vector.objects.filter(kind=kind.name, object_id=object_id).delete()
        return None
    model = text.embedder_name()
    title, body = _document(kind, obj)
    digest = text.text_hash(f"{model}\n{title}\n{body}")
    current = Vector.objects.filter(kind=kind.name, object_id=object_id, model=model).first()
    if current is not None and current.text_hash == digest and current.space_id == obj.space_id:
        return current
    (row,) = _rows_for(kind, [obj], model)
    Vector.objects.filter(kind=kind.name, object_id=object_id).exclude(model=model).delete()
    saved, _ = Vector.objects.update_or_create(
        kind=kind.name,
        object_id=object_id,
        model=model,
        defaults={
            "space_id": row.space_id,
            "text_hash": row.text_hash,
            "title_words": row.title_words,
            "words": row.words,
            "vector": row.vector,
            "updated_at": row.updated_at,
        },
    )
    return saved


@transaction.atomic
def reindex(space: Any = None, kind_names: Iterable[str] | None = None) -> dict[str, int]:
    """Make the rows of every indexed object again (of one space, if given); by kind, how many."""
    model = text.embedder_name()
    wanted = set(kind_names) if kind_names else None
    counts: dict[str, int] = {}
    for kind in registry.kinds():
        if wanted is not None and kind.name not in wanted:
            continue
        old = Vector.objects.filter(kind=kind.name)
        objects = kind.objects().select_related("space").order_by("pk")
        if space is not None:
            old = old.filter(space=space)
            objects = objects.filter(space=space)
        old.delete()
        counts[kind.name] = 0
        batch: list[Any] = []
        for obj in objects.iterator(chunk_size=500):
            batch.append(obj)
            if len(batch) == 500:
                counts[kind.name] += len(Vector.objects.bulk_create(_rows_for(kind, batch, model)))
                batch = []
        counts[kind.name] += len(Vector.objects.bulk_create(_rows_for(kind, batch, model)))
    return counts


# ---- the space's matrix --------------------------------------------------------------------


@dataclass
class SpaceIndex:
    """Everything a search of one space reads, in the order of `kinds` and `ids`."""

    stamp: tuple[Any, ...]
    kinds: np.ndarray  # of kind names (object)
    #: the kinds as small integers (index into `kind_names`), for fast masks.
    kind_codes: np.ndarray
    kind_names: list[str]
    ids: np.ndarray  # int64
    #: unit rows from the embedder (wordllama: stored; tfidf: the SVD of `sparse`).
    dense: np.ndarray
    #: TF-IDF of the folded words, unit rows (the lexical half).
    sparse: Any
    title_words: list[frozenset[str]]
    vectorizer: Any
    fallback: text.TfidfEmbedder | None
    _vocabulary: Any = None

    def vocabulary(self) -> Any:
        if self._vocabulary is None:
            self._vocabulary = self.vectorizer.get_feature_names_out()
        return self._vocabulary

    def __len__(self) -> int:
        return len(self.ids)

    def position(self, kind: str, object_id: int) -> int | None:
        if kind not in self.kind_names:
            return None
        code = self.kind_names.index(kind)
        hits = np.flatnonzero((self.ids == object_id) & (self.kind_codes == code))
        return int(hits[0]) if len(hits) else None

    def embed_query(self, query: str) -> np.ndarray:
        if self.fallback is not None:
            return self.fallback.embed([" ".join(text.words(query))])[0]
        return text.embed([query])[0]

    def lexical_query(self, query: str) -> np.ndarray:
        """The query's TF-IDF row (dense, unit length) in this space's vocabulary: what the
        vectorizer's transform gives, built directly (sklearn's costs ~15 ms a call)."""
        vocabulary = self.vectorizer.vocabulary_
        counts: dict[int, int] = {}
        for word in text.words(query):
            column = vocabulary.get(word)
            if column is not None:
                counts[column] = counts.get(column, 0) + 1
        row = np.zeros(self.sparse.shape[1], dtype=np.float32)
        if counts and hasattr(self.vectorizer, "idf_"):
            columns = np.fromiter(counts, dtype=np.int64)
            tf = 1 + np.log(np.fromiter(counts.values(), dtype=np.float32))
            row[columns] = tf * self.vectorizer.idf_[columns]
            row /= np.linalg.norm(row) or 1.0
        return row

    def lexical_row(self, position: int) -> np.ndarray:
        return np.asarray(self.sparse[position].todense(), dtype=np.float32).ravel()


_cache: OrderedDict[tuple[int, str], SpaceIndex] = OrderedDict()
_cache_lock = threading.Lock()


def _stamp(space_id: int, model: str) -> tuple[Any, ...]:
    found = Vector.objects.filter(space_id=space_id, model=model).aggregate(
        count=Count("pk"), latest=Max("updated_at"), last=Max("pk")
    )
    return (found["count"], found["latest"], found["last"])


def space_index(space: Any) -> SpaceIndex:
    """The space's matrix under the embedder in use, made again only when its rows changed."""
    model = text.embedder_name()
    key = (space.pk, model)
    stamp = _stamp(space.pk, model)
    with _cache_lock:
        cached = _cache.get(key)
        if cached is not None and cached.stamp == stamp:
            _cache.move_to_end(key)
            return cached
    built = build_index(
        Vector.objects.filter(space_id=space.pk, model=model)
        .order_by("pk")
        .values_list("kind", "object_id", "title_words", "words", "vector"),
        model,
        stamp,
    )
    with _cache_lock:
        _cache[key] = built
        while len(_cache) > KEPT_SPACES:
            _cache.popitem(last=False)
    return built


def build_index(
    rows: Iterable[tuple[str, int, str, str, Any]], model: str, stamp: Any
) -> SpaceIndex:
    kinds, ids, titles, documents, blobs = [], [], [], [], []
    for kind, object_id, title_words, words, blob in rows:
        kinds.append(kind)
        ids.append(object_id)
        titles.append(frozenset(title_words.split()))
        documents.append(words)
        blobs.append(bytes(blob))
    vectorizer = TfidfVectorizer(analyzer=str.split, sublinear_tf=True, dtype=np.float32)
    if any(documents):
        sparse = vectorizer.fit_transform(documents)
    else:
        vectorizer.fit(["_"])
        sparse = csr_matrix((len(documents), 1), dtype=np.float32)
    fallback = None
    if model == text.WORDLLAMA and blobs:
        dense = np.frombuffer(b"".join(blobs), dtype="<f4").reshape(len(blobs), -1)
    else:
        fallback = text.TfidfEmbedder(documents, analyzer=str.split)
        dense = fallback.embed(documents) if documents else np.zeros((0, 1), dtype=np.float32)
    kind_names = sorted(set(kinds))
    code_of = {name: code for code, name in enumerate(kind_names)}
    return SpaceIndex(
        stamp=stamp,
        kinds=np.array(kinds, dtype=object),
        kind_codes=np.array([code_of[k] for k in kinds], dtype=np.int16),
        kind_names=kind_names,
        ids=np.array(ids, dtype=np.int64),
        dense=dense,
        sparse=sparse,
        title_words=titles,
        vectorizer=vectorizer,
        fallback=fallback,
    )


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()
