"""Anonymous reading against the static-file limit, and page latency from 1,000 to 100,000 pages.

Starts `peerwork serve` (as `make run` does) on a fresh data directory holding a public space
of N wikitext pages (imported from a generated dump), then measures with wrk, side by side in
one run:

* a static file served by the same gunicorn (whitenoise): the ceiling for this server;
* anonymous page views of random pages, served from the page cache after their first read;
* the same views with the page cache off (a second server on the same data, PEERWORK_PAGE_CACHE=0);

and prints requests per second and the cached views as a share of the static rate. With
`--sizes 1000,100000` it builds both sites and prints the uncached page view and history
latencies (p50, p99 over random pages, one client) of each and their ratio: flat means the
larger site costs no more per read.

    .venv/bin/python bench/cache.py                       # 1,000 pages, 10 s per measure
    .venv/bin/python bench/cache.py --sizes 1000,100000   # both sizes and the latency ratio

Needs wrk (Debian's package `wrk`). It is a command, not a test: it prints numbers and asserts
nothing. It only talks to loopback.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
SPACE = "bench"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def text_of(n: int) -> str:
    words = " ".join(f"word{(n * 7 + k) % 997}" for k in range(300))
    return (
        f"'''Page {n}''' is one of many.\n\n== Section ==\n{words}\n\n"
        f"See [[Page {(n + 1)}]] and [[Page {(n * 31) % (n + 50)}]].\n"
    )


def write_dump(path: Path, pages: int) -> None:
    from peerwork.interop.dumps import sha1_hex_to_base36

    with path.open("w", encoding="utf-8") as out:
        out.write(
            '<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11" '
            'xml:lang="en">\n<siteinfo><sitename>Bench</sitename><case>first-letter</case>'
            '<namespaces><namespace key="0" case="first-letter" /></namespaces></siteinfo>\n'
        )
        for n in range(1, pages + 1):
            text = text_of(n)
            sha1 = sha1_hex_to_base36(hashlib.sha1(text.encode()).hexdigest())  # noqa: S324
            out.write(
                f"<page><title>Page {n}</title><ns>0</ns><id>{n}</id><revision>"
                f"<id>{n}</id><timestamp>2024-01-01T00:00:00Z</timestamp>"
                f"<contributor><username>Bench</username><id>1</id></contributor>"
                f"<comment>seed</comment><model>wikitext</model><format>text/x-wiki</format>"
                f'<text bytes="{len(text.encode())}" xml:space="preserve">{escape(text)}</text>'
                f"<sha1>{sha1}</sha1></revision></page>\n"
            )
        out.write("</mediawiki>\n")


def build_site(data_dir: Path, pages: int) -> float:
    """A fresh site with one public space of `pages` pages; returns the seconds it took."""
    shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.mkdir(parents=True)
    env = {**os.environ, "PEERWORK_DATA_DIR": str(data_dir)}
    started = time.perf_counter()
    cli = [sys.executable, "-m", "peerwork.cli"]
    subprocess.run([*cli, "migrate"], env=env, check=True, cwd=ROOT, capture_output=True)
    script = f"""
import django
django.setup()
from peerwork.accounts import actions as accounts
from peerwork.spaces import actions as spaces
owner = accounts.user_signup(username="benchowner", password="bench-password-1")
spaces.space_create(user=owner, slug={SPACE!r}, name="Bench", visibility="public",
                    participation="anyone")
"""
    env["DJANGO_SETTINGS_MODULE"] = "peerwork.settings"
    subprocess.run([sys.executable, "-c", script], env=env, check=True, cwd=ROOT)
    sys.path.insert(0, str(ROOT))
    dump = data_dir / "seed.xml"
    os.environ["PEERWORK_DATA_DIR"] = str(data_dir)
    write_dump(dump, pages)
    subprocess.run(
        [*cli, "import-mediawiki", str(dump), "--space", SPACE, "--as", "benchowner"],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    dump.unlink()
    return time.perf_counter() - started


def serve(data_dir: Path, port: int, **extra_env: str) -> subprocess.Popen:
    env = {**os.environ, "PEERWORK_DATA_DIR": str(data_dir), **extra_env}
    log = open(data_dir / f"server-{port}.log", "w")  # noqa: SIM115 - lives as the server
    server = subprocess.Popen(
        [sys.executable, "-m", "peerwork.cli", "serve", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=log,
        start_new_session=True,
    )
    for _ in range(300):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit(f"cache.py: peerwork did not start; see {log.name}")


WRK_SCRIPT = """
local paths = {}
for line in io.lines("%s") do paths[#paths + 1] = line end
math.randomseed(%d)
request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end
"""


def wrk(port: int, paths: list[str], seconds: float, connections: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        listing = Path(tmp) / "paths.txt"
        listing.write_text("\n".join(paths) + "\n")
        script = Path(tmp) / "paths.lua"
        script.write_text(WRK_SCRIPT % (listing, 7))
        result = subprocess.run(
            [
                "wrk",
                "-t2",
                f"-c{connections}",
                f"-d{max(1, round(seconds))}s",
                "--latency",
                "-s",
                str(script),
                f"http://127.0.0.1:{port}",
            ],
            capture_output=True,
            text=True,
            check=True,
        )
    out = result.stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = int(bad.group(1)) if bad else 0

    def ms(label: str) -> float:
        found = re.search(rf"{label}%\s+([\d.]+)(us|ms|s)", out)
        if not found:
            return float("nan")
        value, unit = float(found.group(1)), found.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    return {"rate": rate, "p50": ms("50"), "p99": ms("99"), "errors": errors}


def latency(port: int, paths: list[str], count: int, ordered: bool = False) -> tuple[float, float]:
    """p50 and p99 in ms of `count` sequential reads of random `paths` (or of each in turn)
    on one connection."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    rng = random.Random(3)
    times = []
    for n in range(count):
        path = paths[n % len(paths)] if ordered else rng.choice(paths)
        start = time.perf_counter()
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        times.append((time.perf_counter() - start) * 1000)
        if response.status != 200:
            raise SystemExit(f"cache.py: {path} answered {response.status}")
    times.sort()
    return statistics.median(times), times[int(0.99 * (len(times) - 1))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000", help="comma list of page counts")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--samples", type=int, default=400, help="reads per latency measure")
    parser.add_argument("--data-dir", default="/tmp/peerwork-bench-cache")
    parser.add_argument(
        "--reuse", action="store_true", help="keep sites built by an earlier run of this size"
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("cache.py: wrk is missing; install it with 'apt-get install -y wrk'")
    sizes = [int(size) for size in args.sizes.split(",") if size]
    flat: dict[int, tuple[float, float, float, float]] = {}
    for size in sizes:
        data_dir = Path(args.data_dir) / str(size)
        if args.reuse and (data_dir / "peerwork.sqlite3").exists():
            print(f"reusing the site of {size:,} pages in {data_dir}", flush=True)
        else:
            print(f"building a site of {size:,} pages ...", flush=True)
            built = build_site(data_dir, size)
            print(f"  built in {built:.0f} s", flush=True)
        rng = random.Random(size)
        views = [f"/s/{SPACE}/wiki/Page_{rng.randint(1, size)}" for _ in range(200)]
        histories = [f"/s/{SPACE}/history/Page_{rng.randint(1, size)}" for _ in range(200)]
        cached_port, plain_port = free_port(), free_port()
        cached = serve(data_dir, cached_port)
        plain = serve(data_dir, plain_port, PEERWORK_PAGE_CACHE="0")
        try:
            static = wrk(cached_port, ["/static/peerwork/site.css"], args.seconds, args.connections)
            latency(cached_port, sorted(set(views)), len(set(views)), ordered=True)  # fill it
            hit = wrk(cached_port, views, args.seconds, args.connections)
            miss = wrk(plain_port, views, args.seconds, args.connections)
            view_p50, view_p99 = latency(plain_port, views, args.samples)
            history_p50, history_p99 = latency(plain_port, histories, args.samples)
        finally:
            for server in (cached, plain):
                server.terminate()
                server.wait(timeout=30)
        flat[size] = (view_p50, view_p99, history_p50, history_p99)
        print(f"\n{size:,} pages, wrk -t2 -c{args.connections} -d{args.seconds:g}s, one run:")
        print(f"  {'':44} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8}")
        for label, got in (
            ("static file (same gunicorn, whitenoise)", static),
            ("anonymous page view, page cache", hit),
            ("anonymous page view, page cache off", miss),
        ):
            print(
                f"  {label:44} {got['rate']:9.0f} {got['p50']:8.2f} {got['p99']:8.2f}"
                f" {got['errors']:8d}"
            )
        print(f"  cached views / static file: {hit['rate'] / static['rate']:.2f}")
        print(f"  cached / uncached views:    {hit['rate'] / miss['rate']:.1f}x")
        print(
            f"  uncached latency, one client: page view p50 {view_p50:.2f} ms p99 "
            f"{view_p99:.2f} ms; history p50 {history_p50:.2f} ms p99 {history_p99:.2f} ms\n"
        )
    if len(flat) > 1:
        small, large = min(flat), max(flat)
        ratios = [b / a for a, b in zip(flat[small], flat[large], strict=True)]
        print(f"latency at {large:,} pages / at {small:,} pages (1.00 = flat):")
        print(
            f"  page view p50 {ratios[0]:.2f}, p99 {ratios[1]:.2f}; "
            f"history p50 {ratios[2]:.2f}, p99 {ratios[3]:.2f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
