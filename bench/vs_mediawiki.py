"""peerwork against a real MediaWiki 1.39: the same workload, the same client, one run.

Needs the MediaWiki peer of /work/shared/peers/mediawiki running (copied to /tmp/mw/peer and
started with its setup.sh, on 127.0.0.1:8081). Starts peerwork itself (`peerwork serve`, as
`make run`, on a fresh data directory), seeds the same ~3 KB wikitext pages on both
(MediaWiki through mwclient, peerwork through its dump importer, so they are wikitext there
too), then measures on both and prints one table with the ratio peerwork/MediaWiki:

* page reads through the Action API (prop=revisions, rvprop=content) at concurrency 1, 8, 32;
* rendered page views (MediaWiki index.php?title=X, peerwork /s/<space>/wiki/X) at 1 and 8,
  anonymous (peerwork serves these from its page cache) and signed in (no page cache on either
  side), and signed-in API reads and recent changes;
* saves per second through action=edit with mwclient, 1 and 4 writers (each its own page),
  and the slowest save;
* list=recentchanges&rclimit=50 latency;
* dump import, revisions per second: importDump.php against `peerwork import-mediawiki`
  on the same dump made by the peer's bench/gen_dump.py.

    .venv/bin/python bench/vs_mediawiki.py
    .venv/bin/python bench/vs_mediawiki.py --mediawiki http://127.0.0.1:8081 --seconds 10

It is a command, not a test: it prints numbers and asserts nothing. It only talks to loopback.
"""

from __future__ import annotations

import argparse
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
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
SPACE = "bench"
PASSWORD_MW = "BenchBotPass-2024"
PASSWORD_PW = "BenchBotPass-2024-peerwork"
OWNER = "benchowner"


# --------------------------------------------------------------------------- HTTP load


class Client:
    """One keep-alive connection (http.client), as a browser or a bot holds one."""

    def __init__(self, host: str, port: int, cookie: str = "") -> None:
        self.host, self.port = host, port
        self.headers = {"User-Agent": "vs-mediawiki/1"}
        if cookie:
            self.headers["Cookie"] = cookie
        self.conn = http.client.HTTPConnection(host, port, timeout=60)

    def get(self, path: str) -> tuple[int, bytes]:
        for attempt in range(2):
            try:
                self.conn.request("GET", path, headers=self.headers)
                response = self.conn.getresponse()
                return response.status, response.read()
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
                if attempt:
                    raise
        raise RuntimeError("unreachable")


def run_for(seconds: float, workers: int, make_state, job) -> tuple[int, list[float], int]:
    """`job(state, worker, i)` in `workers` threads for `seconds`: count, latencies, errors."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = [0.0]

    def start_clock() -> None:  # runs once all are ready, before any thread is released
        deadline[0] = time.perf_counter() + seconds

    ready = threading.Barrier(workers + 1, action=start_clock)

    def loop(worker: int) -> None:
        state = make_state(worker)
        ready.wait()
        i = 0
        while time.perf_counter() < deadline[0]:
            start = time.perf_counter()
            try:
                ok = job(state, worker, i)
            except Exception as error:  # noqa: BLE001 - a failed request is counted, not fatal
                print(f"  error: {type(error).__name__}: {error}"[:300], file=sys.stderr)
                ok = False
            elapsed = time.perf_counter() - start
            with lock:
                latencies.append(elapsed)
                if not ok:
                    errors[0] += 1
            i += 1

    threads = [threading.Thread(target=loop, args=(w,), daemon=True) for w in range(workers)]
    for thread in threads:
        thread.start()
    ready.wait()  # connections made and logins done before the clock starts
    for thread in threads:
        thread.join()
    return len(latencies), latencies, errors[0]


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


# --------------------------------------------------------------------------- the two wikis


class Target:
    def __init__(self, name: str, host: str, port: int, api: str, view: str, mw_path: str):
        self.name, self.host, self.port = name, host, port
        self.api = api  # path of api.php
        self.view = view  # rendered page path, "{title}" replaced
        self.mw_path = mw_path  # mwclient's Site(path=...)

    def api_read(self, title: str) -> str:
        query = urllib.parse.urlencode(
            {
                "action": "query",
                "prop": "revisions",
                "rvprop": "content",
                "titles": title,
                "format": "json",
            }
        )
        return f"{self.api}?{query}"

    def page_view(self, title: str) -> str:
        return self.view.format(title=urllib.parse.quote(title.replace(" ", "_")))

    def site(self, user: str, password: str):
        import mwclient

        site = mwclient.Site(
            f"{self.host}:{self.port}",
            path=self.mw_path,
            scheme="http",
            clients_useragent="vs-mediawiki/1",
        )
        site.login(user, password)
        return site


def loopback(url: str) -> tuple[str, int]:
    parts = urllib.parse.urlsplit(url)
    if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit(f"vs_mediawiki: refusing a non-loopback address: {url}")
    return parts.hostname, parts.port or 80


# --------------------------------------------------------------------------- seeding


def load_peer_bench(peer: Path):
    sys.path.insert(0, str(peer / "bench"))
    from wikitext import make_text  # the peer's bench/wikitext.py

    return make_text


def seed_mediawiki(target: Target, titles: list[str], make_text) -> None:
    site = target.site("BenchBot1", PASSWORD_MW)
    for n, title in enumerate(titles, 1):
        site.pages[title].edit(make_text(n), summary="seed")  # a null edit when already there


def write_seed_dump(path: Path, titles: list[str], make_text) -> None:
    import hashlib

    from peerwork.interop.dumps import sha1_hex_to_base36

    with path.open("w", encoding="utf-8") as out:
        out.write(
            '<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11" '
            'xml:lang="en">\n<siteinfo><sitename>Bench</sitename><case>first-letter</case>'
            '<namespaces><namespace key="0" case="first-letter" /></namespaces></siteinfo>\n'
        )
        for n, title in enumerate(titles, 1):
            text = make_text(n)
            sha1 = sha1_hex_to_base36(hashlib.sha1(text.encode()).hexdigest())
            out.write(
                f"<page><title>{escape(title)}</title><ns>0</ns><id>{n}</id><revision>"
                f"<id>{n}</id><timestamp>2024-01-01T00:00:00Z</timestamp>"
                f"<contributor><username>BenchBot1</username><id>1</id></contributor>"
                f"<comment>seed</comment><model>wikitext</model><format>text/x-wiki</format>"
                f'<text bytes="{len(text.encode())}" xml:space="preserve">{escape(text)}</text>'
                f"<sha1>{sha1}</sha1></revision></page>\n"
            )
        out.write("</mediawiki>\n")


def setup_peerwork(data_dir: Path, titles: list[str], make_text, writers: int) -> None:
    shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.mkdir(parents=True)
    os.environ["PEERWORK_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerwork.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from peerwork.accounts import actions as accounts
    from peerwork.interop.dumps.importer import import_dump
    from peerwork.spaces import actions as spaces

    call_command("migrate", interactive=False, verbosity=0)
    owner = accounts.user_signup(username=OWNER, password=PASSWORD_PW)
    for n in range(1, writers + 1):
        accounts.user_signup(username=f"BenchBot{n}", password=PASSWORD_PW)
    space = spaces.space_create(
        user=owner, slug=SPACE, name="Bench", visibility="public", participation="anyone"
    )
    dump = data_dir / "seed.xml"
    write_seed_dump(dump, titles, make_text)
    import_dump(str(dump), space=space, user=owner)
    connections.close_all()


def start_peerwork(data_dir: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "PEERWORK_DATA_DIR": str(data_dir)}
    server = subprocess.Popen(
        [sys.executable, "-m", "peerwork.cli", "serve", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=open(data_dir / "server.log", "w"),  # noqa: SIM115 - lives as long as the server
    )
    for _ in range(150):
        try:
            if Client("127.0.0.1", port).get("/")[0] == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit(f"vs_mediawiki: peerwork did not start; see {data_dir / 'server.log'}")


# --------------------------------------------------------------------------- measures


def session_cookie(target: Target, user: str, password: str) -> str:
    """A signed-in browser's Cookie header, from a login through the Action API (both wikis
    keep the same session for their pages)."""
    site = target.site(user, password)
    return "; ".join(f"{c.name}={c.value}" for c in site.connection.cookies)


def measure_get(
    target: Target,
    paths: list[str],
    conc: int,
    seconds: float,
    warmup: float,
    cookie: str = "",
    must_contain: bytes = b"",
):
    rng = random.Random(conc)

    def job(client: Client, _w: int, _i: int) -> bool:
        status, body = client.get(rng.choice(paths))
        ok = status == 200 and b'"error"' not in body[:200]
        return ok and (not must_contain or must_contain in body)

    def make(_w: int) -> Client:
        return Client(target.host, target.port, cookie)

    run_for(warmup, conc, make, job)
    count, lat, errors = run_for(seconds, conc, make, job)
    return {
        "rate": (count - errors) / seconds,  # successful requests only
        "p50": pct(lat, 0.5),
        "p99": pct(lat, 0.99),
        "worst": max(lat) * 1000 if lat else float("nan"),
        "errors": errors,
        "n": count,
    }


RC_LIMIT = 50


def rc_rows(target: Target, cookie: str) -> int:
    """How many changes list=recentchanges&rclimit=50 answers with (each wiki must give all 50,
    or the two would not do the same work)."""
    path = f"{target.api}?action=query&list=recentchanges&rclimit={RC_LIMIT}&format=json"
    status, body = Client(target.host, target.port, cookie).get(path)
    return len(json.loads(body)["query"]["recentchanges"]) if status == 200 else -1


def seed_changes(pw: Target, mw: Target, make_text, cookies: dict[str, str]) -> None:
    """At least RC_LIMIT recent changes on both wikis (imported pages are no recent changes on
    either), so each recent-changes answer lists RC_LIMIT rows; says how many each gave."""
    passwords = {pw.name: PASSWORD_PW, mw.name: PASSWORD_MW}
    for target in (pw, mw):
        cookie = cookies.get(target.name, "")
        missing = RC_LIMIT - rc_rows(target, cookie)
        if missing > 0:
            page = target.site("BenchBot1", passwords[target.name]).pages["Recent changes bench"]
            for n in range(missing):
                page.edit(f"{make_text(n + 1)}\n\nchange {time.time_ns()}", summary="rc seed")
        print(f"    {target.name}: {rc_rows(target, cookie)} recent changes listed", flush=True)


def measure_saves(
    target: Target, writers: int, seconds: float, password: str, make_text, baserevid: bool
):
    """Each writer logs in as BenchBot<n> and saves its own page with mwclient's Page.edit.

    With `baserevid`, each save also names the revision it was written from (the previous
    save's newrevid), which MediaWiki 1.39 and peerwork both take as the edit's base.
    """
    stamp = int(time.time() * 1000)
    ok_latencies: list[float] = []

    def make(worker: int):
        site = target.site(f"BenchBot{worker + 1}", password)
        page = site.pages[f"Save bench {stamp} {writers}w {worker + 1}"]
        return {"page": page, "base": make_text(500 + worker), "revid": None}

    def job(state: dict, worker: int, i: int) -> bool:
        text = f"{state['base']}\n\nSave {i} by writer {worker + 1}.\n"
        extra = {"baserevid": state["revid"]} if baserevid and state["revid"] else {}
        start = time.perf_counter()
        result = state["page"].edit(text, summary=f"save {i}", **extra)
        if result.get("result") != "Success":
            return False
        ok_latencies.append(time.perf_counter() - start)
        state["revid"] = result.get("newrevid") or state["revid"]
        return True

    count, lat, errors = run_for(seconds, writers, make, job)
    return {
        "rate": (count - errors) / seconds,  # successful saves only
        "p50": pct(ok_latencies, 0.5),
        "p99": pct(ok_latencies, 0.99),
        "worst": max(lat) * 1000 if lat else float("nan"),
        "worst_ok": max(ok_latencies) * 1000 if ok_latencies else float("nan"),
        "errors": errors,
        "n": count,
    }


def run_import_mediawiki(dump: Path, config: Path) -> float:
    os.chmod(dump, 0o644)
    os.chmod(dump.parent, 0o755)
    command = [
        "runuser",
        "-u",
        "www-data",
        "--",
        "env",
        f"MW_CONFIG_FILE={config}",
        "php",
        "/usr/share/mediawiki/maintenance/importDump.php",
        str(dump),
    ]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode:
        print(f"importDump.php failed: {done.stderr[-2000:]}", file=sys.stderr)
    return seconds


def run_import_peerwork(dump: Path, data_dir: Path) -> tuple[float, str]:
    env = {**os.environ, "PEERWORK_DATA_DIR": str(data_dir)}
    command = [
        sys.executable,
        "-m",
        "peerwork.cli",
        "import-mediawiki",
        str(dump),
        "--space",
        SPACE,
        "--as",
        OWNER,
    ]
    start = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode:
        print(f"peerwork import-mediawiki failed: {done.stderr[-2000:]}", file=sys.stderr)
    return seconds, done.stdout.strip()


# --------------------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mediawiki", default="http://127.0.0.1:8081", help="MediaWiki address")
    parser.add_argument("--peer", default="/tmp/mw/peer", help="the MediaWiki peer's folder")
    parser.add_argument("--port", type=int, default=8766, help="port for peerwork serve")
    parser.add_argument("--data-dir", default="/tmp/peerwork-vs-mw")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--pages", type=int, default=20, help="seeded ~3 KB pages")
    parser.add_argument("--dump-pages", type=int, default=500)
    parser.add_argument("--dump-revs", type=int, default=5)
    parser.add_argument(
        "--skip", default="", help="comma list of: reads,views,signedin,saves,rc,import"
    )
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))

    mw_host, mw_port = loopback(args.mediawiki)
    peer = Path(args.peer)
    config = peer / "state/conf/LocalSettings.php"
    make_text = load_peer_bench(peer)
    data_dir = Path(args.data_dir)
    titles = [f"Bench page {n}" for n in range(1, args.pages + 1)]

    mw = Target("MediaWiki", mw_host, mw_port, "/api.php", "/index.php?title={title}", "/")
    pw = Target(
        "peerwork",
        "127.0.0.1",
        args.port,
        f"/s/{SPACE}/w/api.php",
        f"/s/{SPACE}/wiki/{{title}}",
        f"/s/{SPACE}/w/",
    )
    print(f"seeding {len(titles)} pages on MediaWiki ({args.mediawiki}) and peerwork ...")
    seed_mediawiki(mw, titles, make_text)
    setup_peerwork(data_dir, titles, make_text, writers=4)
    server = start_peerwork(data_dir, args.port)
    rows: list[tuple[str, str, dict, dict, bool]] = []  # name, unit, pw, mw, higher is better

    def both(label: str, fn) -> tuple[dict, dict]:
        print(f"  {label} ...", flush=True)
        return fn(pw), fn(mw)

    try:
        if "reads" not in skip:
            for conc in (1, 8, 32):
                got = both(
                    f"API read c={conc}",
                    lambda t, c=conc: measure_get(
                        t, [t.api_read(x) for x in titles], c, args.seconds, args.warmup
                    ),
                )
                rows.append((f"API read (prop=revisions content), c={conc}", "req/s", *got, True))
        if "views" not in skip:
            for conc in (1, 8):
                got = both(
                    f"page view c={conc}",
                    lambda t, c=conc: measure_get(
                        t, [t.page_view(x) for x in titles], c, args.seconds, args.warmup
                    ),
                )
                rows.append((f"rendered page view, c={conc}", "req/s", *got, True))
        if "signedin" not in skip:
            # Signed in, nothing is served from a page cache on either side: this is each
            # wiki's own work per request. A signed-in page names its reader (the check that
            # the session holds): peerwork links the profile, MediaWiki the user page.
            cookies = {
                pw.name: session_cookie(pw, "BenchBot1", PASSWORD_PW),
                mw.name: session_cookie(mw, "BenchBot1", PASSWORD_MW),
            }
            for conc in (1, 8):
                got = both(
                    f"signed-in page view c={conc}",
                    lambda t, c=conc: measure_get(
                        t,
                        [t.page_view(x) for x in titles],
                        c,
                        args.seconds,
                        args.warmup,
                        cookie=cookies[t.name],
                        must_contain=b"BenchBot1",
                    ),
                )
                rows.append((f"signed-in page view, c={conc}", "req/s", *got, True))
            got = both(
                "signed-in API read c=8",
                lambda t: measure_get(
                    t,
                    [t.api_read(x) for x in titles],
                    8,
                    args.seconds,
                    args.warmup,
                    cookie=cookies[t.name],
                ),
            )
            rows.append(("signed-in API read (prop=revisions content), c=8", "req/s", *got, True))
            seed_changes(pw, mw, make_text, cookies)
            got = both(
                "signed-in recent changes",
                lambda t: measure_get(
                    t,
                    [f"{t.api}?action=query&list=recentchanges&rclimit=50&format=json"],
                    1,
                    args.seconds,
                    args.warmup,
                    cookie=cookies[t.name],
                ),
            )
            rows.append(("signed-in recent changes (rclimit=50), c=1", "req/s", *got, True))
        if "saves" not in skip:
            for baserevid in (False, True):
                how = "+ baserevid" if baserevid else "as mwclient sends it"
                for writers in (1, 4):
                    print(f"  saves ({how}), {writers} writers ...", flush=True)
                    pw_r = measure_saves(
                        pw, writers, args.seconds, PASSWORD_PW, make_text, baserevid
                    )
                    mw_r = measure_saves(
                        mw, writers, args.seconds, PASSWORD_MW, make_text, baserevid
                    )
                    rows.append((f"save ({how}), {writers} writers", "saves/s", pw_r, mw_r, True))
                    rows.append(
                        (
                            f"slowest save attempt ({how}), {writers} writers",
                            "ms",
                            {**pw_r, "rate": pw_r["worst"]},
                            {**mw_r, "rate": mw_r["worst"]},
                            False,
                        )
                    )
                    rows.append(
                        (
                            f"slowest successful save ({how}), {writers} writers",
                            "ms",
                            {**pw_r, "rate": pw_r["worst_ok"]},
                            {**mw_r, "rate": mw_r["worst_ok"]},
                            False,
                        )
                    )
        if "rc" not in skip:
            seed_changes(pw, mw, make_text, {})
            got = both(
                "recent changes",
                lambda t: measure_get(
                    t,
                    [f"{t.api}?action=query&list=recentchanges&rclimit=50&format=json"],
                    1,
                    args.seconds,
                    args.warmup,
                ),
            )
            for r in got:
                r["p50rate"] = r["rate"]
            rows.append(("recent changes (rclimit=50), c=1", "req/s", *got, True))
            rows.append(
                (
                    "recent changes latency p50",
                    "ms",
                    {**got[0], "rate": got[0]["p50"]},
                    {**got[1], "rate": got[1]["p50"]},
                    False,
                )
            )
    finally:
        server.terminate()
        server.wait(timeout=30)

    if "import" not in skip:
        stamp = int(time.time())
        work = Path(f"/tmp/vs-mw-dump-{stamp}")
        work.mkdir(parents=True)
        dump = work / "dump.xml"
        subprocess.run(
            [
                sys.executable,
                str(peer / "bench/gen_dump.py"),
                "--pages",
                str(args.dump_pages),
                "--revs",
                str(args.dump_revs),
                "--size",
                "3000",
                "--prefix",
                f"Imp {stamp}",
                "--out",
                str(dump),
            ],
            check=True,
        )
        total = args.dump_pages * args.dump_revs
        print(f"  import of {total} revisions: peerwork ...", flush=True)
        pw_s, pw_out = run_import_peerwork(dump, data_dir)
        print(f"    {pw_out}")
        print("  import: MediaWiki importDump.php ...", flush=True)
        mw_s = run_import_mediawiki(dump, config)
        rows.append(
            (
                f"dump import, {args.dump_pages} pages x {args.dump_revs} revisions",
                "revisions/s",
                {"rate": total / pw_s, "p50": pw_s * 1000, "errors": 0},
                {"rate": total / mw_s, "p50": mw_s * 1000, "errors": 0},
                True,
            )
        )
        shutil.rmtree(work, ignore_errors=True)

    print()
    print(
        "| measure | unit | peerwork | MediaWiki | ratio peerwork/MediaWiki | "
        "peerwork p50 / p99 ms | MediaWiki p50 / p99 ms | errors pw / mw |"
    )
    print("|---|---|---:|---:|---:|---|---|---|")
    for name, unit, p, m, _higher in rows:
        ratio = p["rate"] / m["rate"] if m["rate"] else float("nan")
        lat = "" if unit == "ms" else "{:.1f} / {:.1f}"
        pl = lat.format(p.get("p50", 0), p.get("p99", 0)) if "p99" in p else ""
        ml = lat.format(m.get("p50", 0), m.get("p99", 0)) if "p99" in m else ""
        print(
            f"| {name} | {unit} | {p['rate']:.1f} | {m['rate']:.1f} | {ratio:.2f} | {pl} | "
            f"{ml} | {p.get('errors', 0)} / {m.get('errors', 0)} |"
        )
    print()
    for name, unit, p, m, _higher in rows:
        ratio = p["rate"] / m["rate"] if m["rate"] else float("nan")
        print(
            f"{name}: peerwork {p['rate']:.1f} {unit}, MediaWiki {m['rate']:.1f} {unit}, "
            f"ratio {ratio:.2f}"
        )
    print(
        f"\n({args.seconds:.0f} s per cell after {args.warmup:.0f} s warm-up; peerwork serve "
        "defaults: gunicorn 2 workers x 4 threads; for ms rows lower is better)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
