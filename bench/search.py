"""Benchmark of wiki search: builds N generated pages, then times searches and autocompletes.

Run on SQLite:      PEERWORK_DATA_DIR=/tmp/pwbench .venv/bin/python bench/search.py --pages 100000
Run on PostgreSQL:  DATABASE_URL=postgres://postgres@127.0.0.1:5432/peerwork_bench \\
                    .venv/bin/python bench/search.py --pages 100000

Pages are written straight into the wiki's tables in batches (bulk inserts, one transaction per
batch) and indexed through the backend's bulk path, `index_many`; a sample is also indexed one
by one through `index.page_changed`, the path every edit takes. A second run on the same
database reuses the pages already built. Latencies are of the selectors (index query, page
rows and permission checks), not of HTTP.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerwork.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from peerwork.accounts import actions as accounts  # noqa: E402
from peerwork.accounts.models import User  # noqa: E402
from peerwork.search import index, selectors  # noqa: E402
from peerwork.search.backends import Document, get_backend  # noqa: E402
from peerwork.spaces import actions as spaces  # noqa: E402
from peerwork.spaces.models import Space  # noqa: E402
from peerwork.wiki.models import Content, Page, Revision  # noqa: E402

BATCH = 2000
SYLLABLES = "ka lo mi ne su ra te vi po da ge fu ho ji ba ze ru ni sa to me la".split()


def vocabulary(rng: random.Random, size: int) -> list[str]:
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    ordered = sorted(words)
    rng.shuffle(ordered)  # frequency rank must not follow the alphabet (prefixes would skew)
    return ordered


class Words:
    """Words drawn with a Zipf-like frequency: a few very common ones and a long tail."""

    def __init__(self, rng: random.Random, words: list[str]) -> None:
        self.rng = rng
        self.words = words
        self.cumulative = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(words))))

    def take(self, count: int) -> list[str]:
        return self.rng.choices(self.words, cum_weights=self.cumulative, k=count)


def build(space: Space, pages: int, words_per_page: int, words: Words) -> None:
    existing = Page.objects.filter(space=space).count()
    if existing >= pages:
        print(f"reusing {existing} pages already built")
        return
    started = time.perf_counter()
    backend = get_backend()
    for start in range(existing, pages, BATCH):
        numbers = range(start, min(start + BATCH, pages))
        with transaction.atomic():
            texts = [f"{' '.join(words.take(words_per_page))} page {n}\n" for n in numbers]
            contents = Content.objects.bulk_create(
                [
                    Content(
                        sha1=hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest(),
                        text=text,
                        size=len(text.encode()),
                    )
                    for text in texts
                ]
            )
            page_rows = Page.objects.bulk_create(
                [
                    Page(space=space, title=" ".join(words.take(2)).capitalize() + f" {n}")
                    for n in numbers
                ]
            )
            now = timezone.now()
            revisions = Revision.objects.bulk_create(
                [
                    Revision(
                        page=page,
                        content=content,
                        author_name="bench",
                        created_at=now,
                        size=content.size,
                        size_delta=content.size,
                        sha1=content.sha1,
                    )
                    for page, content in zip(page_rows, contents, strict=True)
                ]
            )
            for page, revision in zip(page_rows, revisions, strict=True):
                page.current_revision = revision
            Page.objects.bulk_update(page_rows, ["current_revision"], batch_size=500)
            backend.index_many(
                Document("page", page.pk, space.pk, page.title, text, namespace=0)
                for page, text in zip(page_rows, texts, strict=True)
            )
        done = numbers[-1] + 1
        if done % 10000 < BATCH or done == pages:
            elapsed = time.perf_counter() - started
            print(f"  {done} pages, {elapsed:.0f} s", flush=True)
    elapsed = time.perf_counter() - started
    print(f"built {pages - existing} pages in {elapsed:.1f} s")


def time_page_changed(space: Space, sample: int) -> None:
    pages = list(
        Page.objects.filter(space=space)
        .select_related("current_revision__content")
        .order_by("?")[:sample]
    )
    started = time.perf_counter()
    with transaction.atomic():
        for page in pages:
            index.page_changed(page)
    per_page = (time.perf_counter() - started) / max(len(pages), 1) * 1000
    print(f"index.page_changed, one page at a time: {per_page:.2f} ms per page")


def percentiles(label: str, samples: list[float], counts: list[int]) -> None:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    print(
        f"{label}: p50 {cuts[49] * 1000:.1f} ms, p99 {cuts[98] * 1000:.1f} ms, "
        f"max {max(samples) * 1000:.1f} ms; results per query: median "
        f"{statistics.median(counts):.0f}"
    )


def measure(user: User, space: Space, words: Words, runs: int, rng: random.Random) -> None:
    queries = [" ".join(words.take(rng.randint(1, 3))) for _ in range(runs)]
    titles = list(Page.objects.filter(space=space).values_list("title", flat=True)[:5000])
    prefixes = []
    for _ in range(runs):
        title_words = rng.choice(titles).lower().split()
        chosen = rng.randrange(len(title_words) - 1)
        prefixes.append(title_words[chosen][: rng.randint(2, 5)])
    for label, space_arg in (("search in the space", space), ("search everywhere", None)):
        samples, counts = [], []
        for query in queries:
            started = time.perf_counter()
            results = selectors.search_pages(user=user, query=query, space=space_arg, limit=20)
            samples.append(time.perf_counter() - started)
            counts.append(len(results))
        percentiles(f"{label} ({runs} queries of 1-3 words)", samples, counts)
    samples, counts = [], []
    for prefix in prefixes:
        started = time.perf_counter()
        completions = selectors.complete_titles(user=user, prefix=prefix, space=space)
        samples.append(time.perf_counter() - started)
        counts.append(len(completions))
    percentiles(f"autocomplete ({runs} prefixes of 2-5 letters)", samples, counts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=100_000)
    parser.add_argument("--words", type=int, default=150, help="words per page")
    parser.add_argument("--vocabulary", type=int, default=30_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    rng = random.Random(42)  # noqa: S311 - not cryptographic
    words = Words(rng, vocabulary(rng, args.vocabulary))
    user = User.objects.filter(username="bench").first() or accounts.user_signup(
        username="bench", password="correct horse battery staple"
    )
    space = Space.objects.filter(slug="bench").first() or spaces.space_create(
        user=user, slug="bench", name="Bench", visibility="public", participation="anyone"
    )
    build(space, args.pages, args.words, words)
    time_page_changed(space, 500)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
    elif connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    measure(user, space, words, args.queries, rng)


if __name__ == "__main__":
    main()
