"""Authorship of a 10,000-revision page: run `python bench/authorship.py`.

The history is seeded and realistic in kind: mostly small edits (a word changed, a sentence
added or removed), some paragraphs moved, added or dropped, and now and then a vandal who
blanks the page or replaces it with spam, reverted by the next editor. Twenty people edit.

Two measures:
- `method`: the WikiWho walk alone (`PageHistory.add` for each revision, in memory);
- `rebuild`: the same history stored as revisions in a fresh database under --data-dir, then
  `compute.rebuild` (read the texts, attribute, write one row per revision), and one more save
  attributed incrementally by the job's path (`compute.update_page`).

Peak memory is the process's maximum resident set size (getrusage), read after each measure;
with --tracemalloc the method's own peak allocation is traced too (slower).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import resource
import shutil
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

WORDS = (
    "river lake sea hill stone tree bird wind rain snow road town field cloud bridge mill "
    "forest valley harbour island meadow orchard quarry canal tower market garden well"
).split()
SPAM = "BUY CHEAP PILLS NOW!!! " * 20


def sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(5, 14))
    return " ".join(words).capitalize() + rng.choice([".", ".", ".", "!", "?"])


def paragraph(rng: random.Random) -> list[str]:
    return [sentence(rng) for _ in range(rng.randint(2, 5))]


def history(revisions: int, seed: int) -> list[tuple[str, str]]:
    """(editor, text) for each revision, oldest first."""
    rng = random.Random(seed)
    people = [f"person{n}" for n in range(20)]
    paragraphs = [paragraph(rng) for _ in range(12)]
    out: list[tuple[str, str]] = []
    vandalised = False
    while len(out) < revisions:
        editor = rng.choice(people)
        if vandalised:  # the next editor reverts the vandal
            vandalised = False
        else:
            roll = rng.random()
            if roll < 0.03:
                vandal = rng.choice(["", SPAM])
                out.append(("vandal", vandal))
                vandalised = True
                continue
            target = rng.randrange(len(paragraphs))
            if roll < 0.50:  # a word changed
                sentences = paragraphs[target]
                at = rng.randrange(len(sentences))
                words = sentences[at].split(" ")
                words[rng.randrange(len(words))] = rng.choice(WORDS)
                sentences[at] = " ".join(words)
            elif roll < 0.70:
                paragraphs[target].insert(rng.randrange(len(paragraphs[target]) + 1), sentence(rng))
            elif roll < 0.80 and len(paragraphs[target]) > 1:
                del paragraphs[target][rng.randrange(len(paragraphs[target]))]
            elif roll < 0.88 and len(paragraphs) > 1:  # a paragraph moved
                paragraphs.insert(rng.randrange(len(paragraphs)), paragraphs.pop(target))
            elif roll < 0.95 and len(paragraphs) < 30:
                paragraphs.insert(target, paragraph(rng))
            elif len(paragraphs) > 6:
                del paragraphs[target]
        out.append((editor, "\n\n".join(" ".join(p) for p in paragraphs)))
    return out


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_method(texts: list[tuple[str, str]], trace: bool) -> tuple[float, float | None]:
    from peerwork.authorship.method import PageHistory

    if trace:
        tracemalloc.start()
    state = PageHistory()
    start = time.perf_counter()
    for number, (editor, text) in enumerate(texts, start=1):
        state.add(number, text, editor)
    seconds = time.perf_counter() - start
    traced = None
    if trace:
        traced = tracemalloc.get_traced_memory()[1] / 1024 / 1024
        tracemalloc.stop()
    return seconds, traced


def bench_database(texts: list[tuple[str, str]], data_dir: Path) -> dict[str, float]:
    os.environ["PEERWORK_DATA_DIR"] = str(data_dir)
    os.environ["PEERWORK_JOBS"] = "inprocess"
    os.environ["PEERWORK_JOBS_THREADS"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerwork.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    call_command("migrate", interactive=False, verbosity=0)
    from peerwork.accounts import actions as accounts
    from peerwork.authorship import compute
    from peerwork.authorship.models import RevisionAuthorship
    from peerwork.spaces import actions as spaces
    from peerwork.wiki import actions as wiki
    from peerwork.wiki.models import Content, Page, Revision

    owner = accounts.user_signup(username="bench", password="bench password 1")
    space = spaces.space_create(user=owner, slug="bench", name="Bench")
    with transaction.atomic():
        first = wiki.page_save(
            user=owner, space=space, title="Long", text=texts[0][1], base_revision_id=None
        ).revision
        assert first is not None
        page = Page.objects.get(pk=first.page_id)
        parent = first
        contents: dict[str, Content] = {}
        for editor, text in texts[1:]:
            sha = hashlib.sha1(text.encode()).hexdigest()  # noqa: S324  (the text's key, as the wiki's)
            content = contents.get(sha) or Content.objects.filter(sha1=sha).first()
            if content is None:
                content = Content.objects.create(sha1=sha, text=text, size=len(text.encode()))
            contents[sha] = content
            parent = Revision.objects.create(
                page=page,
                parent=parent,
                content=content,
                author=None,
                author_name=editor,
                created_at=timezone.now(),
                size=content.size,
                size_delta=content.size - parent.size,
                sha1=sha,
            )
        page.current_revision = parent
        page.save(update_fields=["current_revision"])
    compute.forget_states()
    start = time.perf_counter()
    _pages, rows = compute.rebuild(page_id=page.pk)
    rebuilt = time.perf_counter() - start
    rss_after_rebuild = peak_rss_mb()
    stored = sum(
        len(str(origins))
        for origins in RevisionAuthorship.objects.values_list("origins", flat=True)
    )
    text_bytes = sum(len(t.encode()) for _e, t in texts)
    # One more save; its job runs at the commit, in this thread (PEERWORK_JOBS_THREADS=0),
    # continuing from the state the rebuild left: time that job alone.
    job_seconds: list[float] = []
    update_page = compute.update_page

    def timed(page_id: int) -> int:
        start = time.perf_counter()
        written = update_page(page_id)
        job_seconds.append(time.perf_counter() - start)
        return written

    compute.update_page = timed  # type: ignore[assignment]
    page.refresh_from_db()
    with transaction.atomic():
        result = wiki.page_save(
            user=owner,
            space=space,
            title="Long",
            text=texts[-1][1] + " One more sentence.",
            base_revision_id=page.current_revision_id,
        )
    compute.update_page = update_page  # type: ignore[assignment]
    assert result.revision is not None and len(job_seconds) == 1
    assert RevisionAuthorship.objects.filter(revision=result.revision).exists()
    incremental = job_seconds[0]
    return {
        "rows": rows,
        "rebuild_s": rebuilt,
        "rss_mb": rss_after_rebuild,
        "incremental_ms": incremental * 1000,
        "stored_mb": stored / 1024 / 1024,
        "text_mb": text_bytes / 1024 / 1024,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--revisions", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=20261207)
    parser.add_argument("--data-dir", default="/tmp/peerwork-bench-authorship")
    parser.add_argument("--tracemalloc", action="store_true", help="trace the method's peak")
    parser.add_argument("--method-only", action="store_true", help="skip the database measure")
    args = parser.parse_args()
    texts = history(args.revisions, args.seed)
    tokens = sum(len(t.split()) for _e, t in texts[-100:]) // 100
    print(
        f"history: {len(texts)} revisions, ~{tokens} words per revision at the end, "
        f"{sum(1 for e, _t in texts if e == 'vandal')} vandal edits (each reverted)"
    )
    seconds, traced = bench_method(texts, args.tracemalloc)
    rss = peak_rss_mb()
    print()
    print("| measure | revisions | seconds | revisions/s | peak RSS MB | traced peak MB |")
    print("|---|---:|---:|---:|---:|---:|")
    traced_cell = f"{traced:.0f}" if traced is not None else "-"
    print(
        f"| method (in memory) | {len(texts)} | {seconds:.1f} | {len(texts) / seconds:.0f} "
        f"| {rss:.0f} | {traced_cell} |"
    )
    if not args.method_only:
        data_dir = Path(args.data_dir)
        shutil.rmtree(data_dir, ignore_errors=True)
        data_dir.mkdir(parents=True)
        measured = bench_database(texts, data_dir)
        print(
            f"| rebuild (SQLite, read + attribute + write) | {measured['rows']:.0f} "
            f"| {measured['rebuild_s']:.1f} | {measured['rows'] / measured['rebuild_s']:.0f} "
            f"| {measured['rss_mb']:.0f} | - |"
        )
        print()
        print(
            f"one more save, attributed incrementally: {measured['incremental_ms']:.1f} ms; "
            f"stored origins {measured['stored_mb']:.1f} MB for {measured['text_mb']:.0f} MB "
            "of revision text"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
