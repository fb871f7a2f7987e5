"""How long `peerwork backup` and `peerwork restore` take, on the demo and on a big site.

    .venv/bin/python bench/backup.py                     # SQLite, demo and 100,000 pages
    .venv/bin/python bench/backup.py --pages 10000
    .venv/bin/python bench/backup.py --database postgres://postgres@127.0.0.1:5432/postgres

Each site is built in a fresh data dir (and, for PostgreSQL, fresh databases this makes and
drops on the server the URL names), backed up with `peerwork backup` and restored into a fresh
one with `peerwork restore`; the times are of the commands as a person runs them. The big
site's pages are written in bulk (bench/search.py's generator). It prints numbers and asserts
nothing beyond the commands' success.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PEERWORK = [sys.executable, "-m", "peerwork.cli"]


def build_site(kind: str, pages: int) -> None:
    """Runs in a child process whose environment names the site: migrate, then fill it."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerwork.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    if kind == "demo":
        from peerwork.demo import load_demo

        load_demo()
        return
    sys.path.insert(0, str(ROOT / "bench"))
    import search as search_bench  # bench/search.py
    import wiki as wiki_bench  # bench/wiki.py

    from peerwork.accounts import actions as accounts
    from peerwork.spaces import actions as spaces

    owner = accounts.user_signup(username="bench", password="bench password 1")
    space = spaces.space_create(user=owner, slug="bench", name="Bench")
    vocabulary = wiki_bench.WORDS + [a + b for a in wiki_bench.WORDS for b in wiki_bench.WORDS]
    search_bench.build(space, pages, 150, search_bench.Words(random.Random(42), vocabulary))


class Sites:
    """Fresh places for a site: data dirs, and databases when on PostgreSQL."""

    def __init__(self, work: Path, server_url: str | None) -> None:
        self.work = work
        self.server_url = server_url
        self.made: list[str] = []

    def new(self, name: str) -> dict[str, str]:
        data_dir = self.work / name
        data_dir.mkdir()
        env = {**os.environ, "PEERWORK_DATA_DIR": str(data_dir)}
        env.pop("DATABASE_URL", None)
        if self.server_url:
            import psycopg

            base = self.server_url.rsplit("/", 1)[0]
            database = f"peerwork_bench_{os.getpid()}_{name}"
            with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{database}"')
                admin.execute(f'CREATE DATABASE "{database}"')
            self.made.append(database)
            env["DATABASE_URL"] = f"{base}/{database}"
        return env

    def drop(self) -> None:
        if not self.server_url:
            return
        import psycopg

        base = self.server_url.rsplit("/", 1)[0]
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            for database in self.made:
                admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def timed(command: list[str], env: dict[str, str]) -> tuple[float, str]:
    started = time.monotonic()
    result = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    seconds = time.monotonic() - started
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command[2:])} failed: {result.stderr.strip()}")
    return seconds, result.stdout.strip().splitlines()[0]


def measure(sites: Sites, label: str, kind: str, pages: int) -> None:
    env = sites.new(f"{label}-live")
    started = time.monotonic()
    build = [sys.executable, str(Path(__file__).resolve()), "--build", kind, "--pages", str(pages)]
    subprocess.run(build, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    print(f"{label}: built in {time.monotonic() - started:.0f} s")
    file = sites.work / f"{label}.backup"
    seconds, said = timed([*PEERWORK, "backup", str(file)], env)
    size = file.stat().st_size / 1e6
    print(f"{label}: backup {seconds:.1f} s, {size:.1f} MB  ({said})")
    seconds, said = timed([*PEERWORK, "restore", str(file)], sites.new(f"{label}-restored"))
    print(f"{label}: restore {seconds:.1f} s  ({said})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=100_000)
    parser.add_argument("--database", metavar="URL", help="a PostgreSQL URL (default: SQLite)")
    parser.add_argument("--build", choices=["demo", "pages"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:
        build_site(args.build, args.pages)
        return 0
    print(f"{'PostgreSQL' if args.database else 'SQLite'}:")
    with tempfile.TemporaryDirectory(prefix="peerwork-backup-bench-") as work:
        sites = Sites(Path(work), args.database)
        try:
            measure(sites, "demo", "demo", 0)
            measure(sites, f"{args.pages}-pages", "pages", args.pages)
        finally:
            sites.drop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
