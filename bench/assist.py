"""Benchmarks of the assist service (peerwork/assist): one function per measure.

    PEERWORK_DATA_DIR=/tmp/pwbench .venv/bin/python bench/assist.py
    .venv/bin/python bench/assist.py --only embed --only query --objects 100000

Measures (add yours as `def measure_<name>(args) -> list[Row]` and list it in MEASURES):

- embed: embedding throughput of the embedder in use (texts/s), in batches as the reindex does.
- query: similar-item latency over N stored objects (median and p95 of 200 queries): the
  space's matrix built from N rows as `index.build_index` does after a change (timed once),
  then each query embedded and ranked (cosine over the matrix + TF-IDF over the words + title
  overlap of the best candidates), as `service.similar` does before it asks the read rules.
  Run for wordllama and for the TF-IDF fallback.
- opinion: an opinion map of 1,000 participants x 200 statements (bench/opinion_bench.py's
  planted camps; median of 3).
- risk: scoring one revision with its top-3 explanation (median over 5,000 generated edits)
  and training the model on 20,000 (bench/risk_bench.py's measures).

No database is needed: rows are generated in memory, as the table would hold them.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerwork.settings")

import django  # noqa: E402

django.setup()

from django.test import override_settings  # noqa: E402

from peerwork.assist import index, registry, service, text  # noqa: E402

Row = tuple[str, str, str]  # measure, value, unit

WORDS = (
    "water point park bench solar light repair library garden tree bike lane school street "
    "compost bin market bridge river map translation website poster concert choir budget "
    "agua punto parque banco luz arreglar biblioteca jardín árbol bicicleta carril escuela "
    "calle mercado puente río mapa traducción cartel concierto coro presupuesto vecinos plaza "
    "sombra verano invierno reunión taller energía paneles techo ruido tráfico seguridad"
).split()


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize()


def _texts(count: int, seed: int = 7) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    return [
        (_sentence(rng, rng.randint(3, 8)), _sentence(rng, rng.randint(15, 60)))
        for _ in range(count)
    ]


def measure_embed(args: argparse.Namespace) -> list[Row]:
    texts = [f"{t}\n{b}" for t, b in _texts(args.embed_texts)]
    text.embed(texts[:10])  # load the model outside the timing
    started = time.perf_counter()
    for start in range(0, len(texts), 500):
        text.embed(texts[start : start + 500])
    elapsed = time.perf_counter() - started
    return [
        (
            f"embed {len(texts)} texts ({text.embedder_name()})",
            f"{len(texts) / elapsed:,.0f}",
            "texts/s",
        )
    ]


def _rows(count: int, model: str) -> list[tuple[str, int, str, str, bytes]]:
    documents = _texts(count, seed=11)
    vectors = text.embed([f"{t}\n{b}" for t, b in documents]) if model == text.WORDLLAMA else None
    kinds = ["idea", "task", "challenge", "proposal", "page"]
    return [
        (
            kinds[i % len(kinds)],
            i + 1,
            " ".join(text.words(title)),
            " ".join(text.words(f"{title}\n{body}")),
            vectors[i].astype("<f4").tobytes() if vectors is not None else b"",
        )
        for i, (title, body) in enumerate(documents)
    ]


def _query_latency(args: argparse.Namespace, model: str) -> list[Row]:
    with override_settings(PEERWORK_ASSIST_EMBEDDER=model):
        rows = _rows(args.objects, model)
        started = time.perf_counter()
        built = index.build_index(rows, model, stamp=None)
        build_s = time.perf_counter() - started
        kinds = registry.kinds()
        queries = [title for title, _ in _texts(args.queries, seed=99)]
        times = []
        found = 0
        for query in queries:
            started = time.perf_counter()
            asked = service._Query(
                dense=built.embed_query(query),
                lexical=built.lexical_query(query),
                title_words=frozenset(text.words(query)),
                shown=service._shown_words(query),
            )
            ranked = service._rank(built, asked, kinds, None)
            times.append((time.perf_counter() - started) * 1000)
            found += bool(ranked)
    times.sort()
    p95 = times[int(len(times) * 0.95) - 1]
    name = f"{model}, {args.objects:,} objects"
    return [
        (f"build the space's matrix ({name})", f"{build_s:.2f}", "s"),
        (f"similar query median ({name})", f"{statistics.median(times):.1f}", "ms"),
        (f"similar query p95 ({name})", f"{p95:.1f}", "ms"),
        (f"queries with a match ({name})", f"{found}/{len(queries)}", ""),
    ]


def measure_query(args: argparse.Namespace) -> list[Row]:
    return _query_latency(args, text.WORDLLAMA) + _query_latency(args, text.TFIDF)


def measure_opinion(args: argparse.Namespace) -> list[Row]:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import opinion_bench

    seconds = opinion_bench.opinion_map_seconds(runs=3)
    return [("opinion map 1,000 x 200 (median of 3)", f"{seconds:.3f}", "s")]


def measure_risk(args: argparse.Namespace) -> list[Row]:
    from peerwork.risk import features, scoring, synthetic

    scorer = scoring.default_scorer()
    timings = []
    for edit, _label in synthetic.history(5000, seed=99):
        start = time.perf_counter()
        scorer.explain(features.vector(edit))
        timings.append((time.perf_counter() - start) * 1e6)
    data = synthetic.history(20000, seed=7)
    rows = [features.vector(edit) for edit, _ in data]
    start = time.perf_counter()
    scoring.fit(rows, [label for _, label in data])
    trained = time.perf_counter() - start
    return [
        ("risk scoring per revision (median of 5,000)", f"{statistics.median(timings):.0f}", "µs"),
        ("risk training on 20,000 revisions", f"{trained:.2f}", "s"),
    ]


MEASURES: dict[str, Callable[[argparse.Namespace], list[Row]]] = {
    "embed": measure_embed,
    "query": measure_query,
    "opinion": measure_opinion,
    "risk": measure_risk,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", choices=sorted(MEASURES), help="repeatable")
    parser.add_argument("--objects", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--embed-texts", type=int, default=5_000)
    args = parser.parse_args()
    rows: list[Row] = []
    for name in args.only or list(MEASURES):
        rows += MEASURES[name](args)
    width = max(len(r[0]) for r in rows)
    print(f"{'measure'.ljust(width)}  value")
    for measure, value, unit in rows:
        print(f"{measure.ljust(width)}  {value} {unit}".rstrip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
