"""SIGKILL a real `peerwork serve` again and again and check no acknowledged write is lost.

    python bench/kill9.py                    # 100 rounds on SQLite in a fresh data dir
    python bench/kill9.py --database postgres://postgres@127.0.0.1:5432/postgres
    python bench/kill9.py --rounds 20 --seed 7

Each round restarts the server, checks every write answered 2xx so far is in the database,
that `peerwork verify-log` exits 0 and (SQLite) `PRAGMA integrity_check` says ok, then writes
through the REST API and kills the server's process group at a seeded random moment.
A PostgreSQL run makes (and drops) its own database on the server the URL names.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.durability.kill9 import Database, run  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument(
        "--database", metavar="URL", help="a PostgreSQL URL (default: SQLite in a temp dir)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="peerwork-kill9-") as work:
        work_dir = Path(work)
        if args.database:
            database = Database.postgres(args.database, work_dir)
        else:
            database = Database.sqlite(work_dir)
        started = time.monotonic()
        try:
            report = run(
                database,
                rounds=args.rounds,
                seed=args.seed,
                work_dir=work_dir,
                progress=lambda n, acked: print(
                    f"round {n}: {acked} acknowledged writes so far", file=sys.stderr
                ),
            )
        finally:
            database.drop()
        log = work_dir / "serve.log"
        log_tail = "".join(log.read_text(errors="replace").splitlines(True)[-60:])
        seconds = time.monotonic() - started
    print(
        f"{database.vendor}, seed {args.seed}: {report.acknowledged} acknowledged writes, "
        f"{report.cut} cut off unanswered by the kills, {seconds:.0f} s"
    )
    if report.problems:
        for problem in report.problems:
            print(problem)
        print(f"the server's log ended:\n{log_tail}")
        print(f"{report.rounds}/{args.rounds} rounds: FAILED")
        return 1
    print(f"{report.rounds}/{args.rounds} rounds: every acknowledged write present")
    return 0


if __name__ == "__main__":
    sys.exit(main())
