"""Benchmark of the knowledge commons against the production-grade server of `make run`.

Builds N pages x M revisions (plus a 10,000-revision page, a 1 MB page and a search corpus)
in a fresh data directory, starts `peerwork serve` (gunicorn, as `make run` does) and reports:
rendered page views per second (anonymous and signed in), saves per second with 1 and 4
writers (and the slowest save), history page latency, diff time for the 1 MB page, and
search latency p50/p99.

    .venv/bin/python bench/wiki.py                       # defaults: a quick run
    .venv/bin/python bench/wiki.py --search-pages 100000 # the full search corpus

It is a command, not a test: it prints numbers and asserts nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import os
import random
import shutil
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORDS = (
    "commons peer production wiki edit merge review people space page history river map "
    "budget road school water garden library bridge market council energy data open licence"
).split()


def words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def page_text(rng: random.Random, paragraphs: int = 12) -> str:
    parts = [f"# {words(rng, 3).title()}\n"]
    for n in range(paragraphs):
        parts.append(f"{words(rng, 40)} [[Page {rng.randrange(1000)}]] *{words(rng, 2)}*.\n")
        if n % 4 == 0:
            parts.append(f"\n## {words(rng, 2).title()}\n\n- {words(rng, 5)}\n- {words(rng, 5)}\n")
        parts.append("\n")
    return "".join(parts)


def setup_django(data_dir: Path) -> None:
    os.environ["PEERWORK_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerwork.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def build(args: argparse.Namespace) -> dict:
    from django.db import transaction

    from peerwork.accounts import actions as accounts
    from peerwork.spaces import actions as spaces
    from peerwork.wiki import actions as wiki

    rng = random.Random(42)
    owner = accounts.user_signup(username="bench", password="bench password 1")
    space = spaces.space_create(user=owner, slug="bench", name="Bench")
    _token, token = accounts.token_create(user=owner, person=owner, name="bench", scope="write")
    t0 = time.perf_counter()
    for p in range(args.pages):
        base = None
        for _r in range(args.revisions):
            result = wiki.page_save(
                user=owner,
                space=space,
                title=f"Page {p}",
                text=page_text(rng),
                base_revision_id=base,
                summary="bench",
            )
            base = result.revision.pk if result.revision else base
    built = time.perf_counter() - t0
    print(
        f"built {args.pages} pages x {args.revisions} revisions in {built:.1f} s "
        f"({args.pages * args.revisions / built:.0f} saves/s in-process)"
    )

    # A page with 10,000 revisions, written in bulk (its history is what is measured).
    from django.utils import timezone

    from peerwork.wiki.models import Content, Page, Revision

    t0 = time.perf_counter()
    with transaction.atomic():
        first = wiki.page_save(
            user=owner, space=space, title="Long history", text="start\n", base_revision_id=None
        ).revision
        page = Page.objects.get(pk=first.page_id)
        parent = first
        for n in range(args.history - 1):
            text = f"version {n}\n{words(rng, 20)}\n"
            sha = hashlib.sha1(text.encode()).hexdigest()
            content = Content.objects.create(sha1=sha, text=text, size=len(text.encode()))
            revision = Revision(
                page=page,
                parent=parent,
                content=content,
                author=owner,
                author_name="bench",
                created_at=timezone.now(),
                summary=f"edit {n}",
                size=content.size,
                size_delta=content.size - parent.size,
                sha1=sha,
                is_reviewed=True,
            )
            revision.save()
            parent = revision
        page.current_revision = parent
        page.save(update_fields=["current_revision"])
    print(f"built a {args.history}-revision page in {time.perf_counter() - t0:.1f} s")

    # A 1 MB page and a second revision with 50 scattered changes.
    lines = [f"{n}: {words(rng, 8)}\n" for n in range(20000)]
    big = "".join(lines)
    while len(big.encode()) < 1_000_000:
        lines.append(f"{len(lines)}: {words(rng, 8)}\n")
        big = "".join(lines)
    one = wiki.page_save(user=owner, space=space, title="Big page", text=big, base_revision_id=None)
    for k in rng.sample(range(len(lines)), 50):
        lines[k] = f"{k}: changed {words(rng, 6)}\n"
    two = wiki.page_save(
        user=owner,
        space=space,
        title="Big page",
        text="".join(lines),
        base_revision_id=one.revision.pk,
    )

    search_pages = 0
    if args.search_pages:
        search_pages = build_search_corpus(space, owner, args.search_pages, rng)
    return {
        "token": token,
        "pages": args.pages,
        "diff": (one.revision.pk, two.revision.pk),
        "search_pages": search_pages,
    }


def build_search_corpus(space, owner, count: int, rng: random.Random) -> int:
    """Pages written straight into the tables in bulk and indexed in bulk (bench/search.py)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import search as search_bench  # bench/search.py

    t0 = time.perf_counter()
    vocabulary = WORDS + [a + b for a in WORDS for b in WORDS]
    search_bench.build(space, count, 150, search_bench.Words(rng, vocabulary))
    print(f"built and indexed {count} search pages in {time.perf_counter() - t0:.1f} s")
    return count


class Client:
    """One keep-alive HTTP connection, as a browser or a bot would hold."""

    def __init__(self, port: int, headers: dict[str, str] | None = None) -> None:
        self.port = port
        self.headers = headers or {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method: str, path: str, body: object = None) -> tuple[int, bytes]:
        headers = dict(self.headers)
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=data, headers=headers)
                response = self.conn.getresponse()
                return response.status, response.read()
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt:
                    raise
        raise RuntimeError("unreachable")


def run_for(seconds: float, workers: int, make_client, job) -> tuple[int, list[float], int]:
    """Run `job(client, i)` in `workers` threads for `seconds`; count, latencies, errors."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def loop(worker: int) -> None:
        client = make_client()
        i = 0
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            ok = job(client, worker, i)
            elapsed = time.perf_counter() - start
            with lock:
                latencies.append(elapsed)
                if not ok:
                    errors[0] += 1
            i += 1

    threads = [threading.Thread(target=loop, args=(w,)) for w in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(latencies), latencies, errors[0]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def login_cookie(port: int) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    cookie = ""
    # Read the CSRF cookie and token from the login form, then post it.
    conn.request("GET", "/login/")
    response = conn.getresponse()
    body = response.read().decode()
    csrf_cookie = response.getheader("Set-Cookie", "").split(";")[0]
    token = body.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    form = urllib.parse.urlencode(
        {"username": "bench", "password": "bench password 1", "csrfmiddlewaretoken": token}
    )
    conn.request(
        "POST",
        "/login/",
        body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": csrf_cookie,
            "Referer": f"http://127.0.0.1:{port}/login/",
        },
    )
    response = conn.getresponse()
    response.read()
    for header, value in response.getheaders():
        if header.lower() == "set-cookie" and value.startswith("sessionid="):
            cookie = value.split(";")[0]
    if not cookie:
        raise SystemExit("bench: could not sign in through /login/")
    return cookie


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--revisions", type=int, default=5)
    parser.add_argument("--history", type=int, default=10000)
    parser.add_argument("--search-pages", type=int, default=10000)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--data-dir", default="/tmp/peerwork-bench")
    args = parser.parse_args()

    data_dir = Path(args.data_dir)
    shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.mkdir(parents=True)
    setup_django(data_dir)
    info = build(args)
    from django.db import connections

    connections.close_all()

    env = {**os.environ, "PEERWORK_DATA_DIR": str(data_dir)}
    server = subprocess.Popen(
        [sys.executable, "-m", "peerwork.cli", "serve", "--port", str(args.port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                if Client(args.port).request("GET", "/")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        report(args, info)
    finally:
        server.terminate()
        server.wait(timeout=20)
    return 0


def report(args: argparse.Namespace, info: dict) -> None:
    port, seconds, conc = args.port, args.seconds, args.concurrency
    rng = random.Random(7)
    pages = [f"/s/bench/wiki/Page_{n}" for n in range(info["pages"])]
    rows = []

    def view(client: Client, _w: int, _i: int) -> bool:
        return client.request("GET", rng.choice(pages))[0] == 200

    for who, headers in (("anonymous", {}), ("signed in", {"Cookie": login_cookie(port)})):
        for c in (1, conc):
            run_for(1.0, c, lambda h=headers: Client(port, h), view)  # warm up
            count, lat, errors = run_for(seconds, c, lambda h=headers: Client(port, h), view)
            rows.append(
                (
                    f"page view, {who}",
                    c,
                    count / seconds,
                    pct(lat, 0.5),
                    pct(lat, 0.99),
                    max(lat) * 1000,
                    errors,
                )
            )

    auth = {"Authorization": f"Bearer {info['token']}"}
    for writers in (1, 4):
        bases: dict[int, int] = {}

        def save(
            client: Client, worker: int, i: int, writers: int = writers, bases: dict = bases
        ) -> bool:
            title = f"Save_{writers}_{worker}"
            body = {"text": f"edit {i}\n{words(rng, 50)}\n", "base_revision": bases.get(worker)}
            status, data = client.request("PUT", f"/api/v1/spaces/bench/pages/{title}", body)
            if status in (200, 201):
                bases[worker] = json.loads(data)["page"]["revision"]["id"]
                return True
            return False

        count, lat, errors = run_for(seconds, writers, lambda: Client(port, auth), save)
        rows.append(
            (
                "save (API PUT)",
                writers,
                count / seconds,
                pct(lat, 0.5),
                pct(lat, 0.99),
                max(lat) * 1000,
                errors,
            )
        )

    client = Client(port, auth)
    lat = []
    for _ in range(20):
        start = time.perf_counter()
        status, _body = client.request("GET", "/s/bench/history/Long_history")
        lat.append(time.perf_counter() - start)
    rows.append(
        (
            f"history page, {args.history} revisions",
            1,
            len(lat) / sum(lat),
            pct(lat, 0.5),
            pct(lat, 0.99),
            max(lat) * 1000,
            int(status != 200),
        )
    )
    lat = []
    a, b = info["diff"]
    for _ in range(5):
        start = time.perf_counter()
        status, _body = client.request("GET", f"/api/v1/spaces/bench/diff?from={a}&to={b}")
        lat.append(time.perf_counter() - start)
    rows.append(
        (
            "diff of a 1 MB page, 50 changes (API)",
            1,
            len(lat) / sum(lat),
            pct(lat, 0.5),
            pct(lat, 0.99),
            max(lat) * 1000,
            int(status != 200),
        )
    )
    if info["search_pages"]:
        lat, errors = [], 0
        for _ in range(200):
            query = urllib.parse.quote(" ".join(rng.sample(WORDS, rng.randint(1, 3))))
            start = time.perf_counter()
            status, _body = client.request("GET", f"/api/v1/spaces/bench/search?q={query}")
            lat.append(time.perf_counter() - start)
            errors += status != 200
        rows.append(
            (
                f"search over {info['search_pages']} pages (API)",
                1,
                len(lat) / sum(lat),
                pct(lat, 0.5),
                pct(lat, 0.99),
                max(lat) * 1000,
                errors,
            )
        )

    print()
    print("| measure | concurrency | per second | p50 ms | p99 ms | slowest ms | errors |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, c, rate, p50, p99, worst, errors in rows:
        print(f"| {name} | {c} | {rate:.1f} | {p50:.1f} | {p99:.1f} | {worst:.1f} | {errors} |")
    print(f"\n({seconds:.0f} s per throughput cell; gunicorn 2 workers x 4 threads, as make run)")


if __name__ == "__main__":
    sys.exit(main())
