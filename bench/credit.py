"""Timing of a credit computation over 100,000 contributions: run `python bench/credit.py`.

Run on SQLite:      PEERWORK_DATA_DIR=/tmp/pwbench-credit .venv/bin/python bench/credit.py
Run on PostgreSQL:  DATABASE_URL=postgres://postgres@127.0.0.1:5432/peerwork_bench \\
                    .venv/bin/python bench/credit.py

It writes one space's contributions in bulk (not through the API or the actions, which would
take far longer than what is measured): --people people, and --contributions split among wiki
revisions (70 %), supports (12 %), comments (12 %), ideas (3 %) and tasks (3 %), with links
between pages. A second run on the same database reuses them. Then it times, each the best of
--repeat runs: reading the graph from the database, the walk (PageRank with a seed), everyone's
score, and the explanation of the person with most credit; and prints the graph's size and the
peak memory of the process. It is a command, not a test: it prints numbers and asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerwork.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402

from peerwork.accounts import actions as accounts  # noqa: E402
from peerwork.accounts.models import User  # noqa: E402
from peerwork.credit import compute  # noqa: E402
from peerwork.credit.graph import build_graph  # noqa: E402
from peerwork.credit.policy_schema import credit_policy  # noqa: E402
from peerwork.credit.rank import pagerank  # noqa: E402
from peerwork.discussions.models import Comment  # noqa: E402
from peerwork.ideas.models import Idea, Support  # noqa: E402
from peerwork.spaces import actions as spaces  # noqa: E402
from peerwork.spaces.models import Space  # noqa: E402
from peerwork.tasks.models import Task  # noqa: E402
from peerwork.wiki.models import Content, Link, Page, Revision  # noqa: E402

SEED = 20261207
SLUG = "credit-bench"
BATCH = 5_000


def _people(count: int) -> list[User]:
    have = list(User.objects.filter(username__startswith="cb-").order_by("pk"))
    if len(have) >= count:
        return have[:count]
    User.objects.bulk_create(
        User(username=f"cb-{i:06d}", password="!") for i in range(len(have), count)
    )
    return list(User.objects.filter(username__startswith="cb-").order_by("pk"))[:count]


def corpus(people_count: int, contributions: int) -> tuple[Space, int]:
    """The bench space and how many contributions it holds (made on the first run)."""
    space = Space.objects.filter(slug=SLUG).first()
    if space is not None:
        return space, _count(space)
    rng = random.Random(SEED)
    owner = accounts.user_signup(username="cb-owner", password="a bench password 1")
    space = spaces.space_create(user=owner, slug=SLUG, name="Credit bench")
    people = _people(people_count)
    start = datetime.now(tz=UTC) - timedelta(days=331)

    def when(i: int, n: int) -> datetime:
        return start + timedelta(days=330 * i / max(n, 1))

    revisions = contributions * 70 // 100
    supports = comments = contributions * 12 // 100
    ideas = tasks = contributions * 3 // 100
    pages_count = max(1, revisions // 30)
    with transaction.atomic():
        content = Content.objects.create(text="x", size=1, sha1="cb" + "0" * 38)
        Page.objects.bulk_create(
            (
                Page(space=space, title=f"Page {i}", created_at=when(0, 1))
                for i in range(pages_count)
            ),
            batch_size=BATCH,
        )
        pages = list(Page.objects.filter(space=space).values_list("pk", flat=True))
        Revision.objects.bulk_create(
            (
                Revision(
                    page_id=pages[i % pages_count],
                    content=content,
                    author=rng.choice(people),
                    created_at=when(i, revisions),
                    size=1000,
                    size_delta=rng.randint(-200, 2000),
                    sha1="0" * 40,
                    reviewed_by=rng.choice(people) if rng.random() < 0.2 else None,
                )
                for i in range(revisions)
            ),
            batch_size=BATCH,
        )
        Link.objects.bulk_create(
            (
                Link(
                    space=space,
                    from_page_id=pages[i],
                    namespace=0,
                    title=f"Page {rng.randrange(pages_count)}",
                )
                for i in range(pages_count)
            ),
            batch_size=BATCH,
            ignore_conflicts=True,
        )
        Idea.objects.bulk_create(
            (
                Idea(
                    space=space,
                    title=f"Idea {i}",
                    status="open",
                    created_by=rng.choice(people),
                    created_at=when(i, ideas),
                    updated_at=when(i, ideas),
                    published_at=when(i, ideas),
                )
                for i in range(ideas)
            ),
            batch_size=BATCH,
        )
        idea_ids = list(Idea.objects.filter(space=space).values_list("pk", flat=True))
        pairs = {(rng.choice(idea_ids), rng.choice(people).pk) for _ in range(supports)}
        Support.objects.bulk_create(
            (
                Support(idea_id=idea, user_id=user, created_at=when(i, len(pairs)))
                for i, (idea, user) in enumerate(sorted(pairs))
            ),
            batch_size=BATCH,
        )
        Task.objects.bulk_create(
            (
                Task(space=space, title=f"Task {i}", created_by=rng.choice(people))
                for i in range(tasks)
            ),
            batch_size=BATCH,
        )
        Comment.objects.bulk_create(
            (
                Comment(
                    space=space,
                    target_type="wiki.page",
                    target_id=str(pages[i % pages_count]),
                    author=rng.choice(people),
                    text="c",
                    html="<p>c</p>",
                    created_at=when(i, comments),
                )
                for i in range(comments)
            ),
            batch_size=BATCH,
        )
    return space, _count(space)


def _count(space: Space) -> int:
    return (
        Revision.objects.filter(page__space=space).count()
        + Support.objects.filter(idea__space=space).count()
        + Comment.objects.filter(space=space).count()
        + Idea.objects.filter(space=space).count()
        + Task.objects.filter(space=space).count()
    )


def best(step: Callable[[], Any], repeat: int) -> tuple[Any, float]:
    times, result = [], None
    for _ in range(repeat):
        began = time.perf_counter()
        result = step()
        times.append(time.perf_counter() - began)
    return result, min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=2_000)
    parser.add_argument("--contributions", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    began = time.perf_counter()
    space, contributions = corpus(args.people, args.contributions)
    print(f"corpus: {contributions} contributions ready in {time.perf_counter() - began:.1f} s")
    policy = credit_policy(space)
    period = compute.period_ending(space)
    when = compute._when("recent", period, policy)
    graph, read = best(
        lambda: build_graph(space, policy=policy, end=period.end, when=when), args.repeat
    )
    print(f"graph: {len(graph)} nodes, {len(graph.sources)} edges")
    ranking, walk = best(lambda: pagerank(graph, alpha=policy.jump_percent / 100), args.repeat)
    scores, scored = best(ranking.person_scores, args.repeat)
    result = compute.Credit("recent", period, ranking, scores)
    top = max(scores, key=lambda user: (scores[user], -user))
    parts, explained = best(lambda: result.parts(top), args.repeat)
    whole, total = best(
        lambda: compute.credit(space, period=period, method="recent"), max(1, args.repeat - 2)
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"read the graph:      {read:.2f} s")
    print(f"PageRank (walk):     {walk:.2f} s")
    print(f"everyone's score:    {scored:.2f} s ({len(scores)} people)")
    print(f"explain the top one: {explained:.2f} s ({len(parts)} parts)")
    print(f"whole computation:   {total:.2f} s (read, walk, scores)")
    print(f"peak memory:         {peak:.0f} MB")
    del whole


if __name__ == "__main__":
    main()
