"""Run MediaWiki's API tests against a fresh peerwork served by gunicorn (one worker), for
working on the MediaWiki API; CI runs the same suite through tests/interop/test_mediawiki_suite.py.

    python -m tests.interop.mwsuite.against [--grep 'The edit action'] [--json out.json]
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.interop.mwsuite import runner

ROOT_PASSWORD = "suite-root-password-1"
JOBS_KEY = "mediawiki-suite-jobs-key"
SETUP = """
from peerwork.accounts import actions as accounts
from peerwork.spaces import actions as spaces
from peerwork.wiki import actions as wiki
root = accounts.user_signup(username="Root", password=%r)
space = spaces.space_create(user=root, slug="wiki", name="Suite wiki", visibility="public",
                            participation="anyone")
# MediaWiki's tests write wikitext: the steward makes it the space's markup for new pages.
space = spaces.space_policy_update(user=root, space=space, document={
    **space.policy, "wiki": {**space.policy["wiki"], "default_content_model": "wikitext"}})
wiki.page_save(user=root, space=space, title="Main Page", text="Welcome to the wiki.",
               base_revision_id=None, summary="start")
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--grep")
    parser.add_argument("--json")
    parser.add_argument("--cache", default="var/mwsuite")
    parser.add_argument("--keep", action="store_true", help="leave the server running")
    args = parser.parse_args(argv)
    work = runner.prepare(Path(args.cache))
    data = tempfile.mkdtemp(prefix="peerwork-mwsuite-")
    env = {
        **os.environ,
        "PEERWORK_DATA_DIR": data,
        "PEERWORK_MEDIAWIKI_JOBS_KEY": JOBS_KEY,
        "PEERWORK_JOBS_THREADS": "0",
    }
    env.pop("DATABASE_URL", None) if "PEERWORK_MWSUITE_PG" not in env else None
    python = sys.executable
    subprocess.run([python, "-m", "peerwork.cli", "migrate"], env=env, check=True)  # noqa: S603
    code = "import django; django.setup()\n" + SETUP % ROOT_PASSWORD
    env_setup = {**env, "DJANGO_SETTINGS_MODULE": "peerwork.settings"}
    subprocess.run([python, "-c", code], env=env_setup, check=True)  # noqa: S603
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603
        [python, "-m", "peerwork.cli", "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        result = runner.run(
            work,
            base_uri=f"http://127.0.0.1:{port}/s/wiki/w/",
            root_user="Root",
            root_password=ROOT_PASSWORD,
            secret_key=JOBS_KEY,
            grep=args.grep,
        )
    finally:
        if not args.keep:
            server.terminate()
            server.wait(10)
    for title, message in sorted(result.failed.items()):
        first = message.splitlines()[0] if message else ""
        print(f"FAIL {title}: {first}")
    print(f"{len(result.passed)} passed, {len(result.failed)} failed of {result.total}")
    if args.json:
        import json

        Path(args.json).write_text(
            json.dumps({"passed": result.passed, "failed": result.failed}, indent=1)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
