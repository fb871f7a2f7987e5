"""Run MediaWiki's API tests against a fresh peerwork served by gunicorn (one worker), for
working on the MediaWiki API; CI runs the same suite through tests/interop/test_mediawiki_suite.py.

    python -m tests.interop.mwsuite.against [--grep 'The edit action'] [--json out.json]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
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
# MediaWiki's defaults ($wgAutoConfirmAge = 0, $wgAutoConfirmCount = 0): every account is
# autoconfirmed, as on the wiki the suite was written for.
privileges = {**space.policy.get("privileges", {}),
              "autoconfirmed_days": 0, "autoconfirmed_edits": 0}
space = spaces.space_policy_update(user=root, space=space,
                                   document={**space.policy, "privileges": privileges})
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


@contextlib.contextmanager
def fresh_peerwork(setup: str) -> Iterator[str]:
    """A new peerwork data dir, `setup` run in it (Python, after django.setup()), served by
    gunicorn with one worker; yields the server's base URL and stops it afterwards."""
    data = tempfile.mkdtemp(prefix="peerwork-mwsuite-")
    env = {
        **os.environ,
        "PEERWORK_DATA_DIR": data,
        "PEERWORK_MEDIAWIKI_JOBS_KEY": JOBS_KEY,
        "PEERWORK_JOBS_THREADS": "0",
        "DJANGO_SETTINGS_MODULE": "peerwork.settings",
    }
    env.pop("DATABASE_URL", None)
    python = sys.executable
    subprocess.run([python, "-m", "peerwork.cli", "migrate"], env=env, check=True)  # noqa: S603
    code = "import django; django.setup()\n" + setup
    subprocess.run([python, "-c", code], env=env, check=True)  # noqa: S603
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603
        [python, "-m", "peerwork.cli", "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
    )
    try:
        # A busy machine starts slowly (scikit-learn and the embedding model load at start):
        # wait up to two minutes, and say so if the server died instead.
        deadline = time.monotonic() + 120
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if server.poll() is not None:
                    raise RuntimeError(f"peerwork's server exited ({server.returncode})") from None
                if time.monotonic() > deadline:
                    raise RuntimeError("peerwork's server did not answer in 120 s") from None
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(10)
        shutil.rmtree(data, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--grep")
    parser.add_argument("--json")
    parser.add_argument("--cache", default="var/mwsuite")
    args = parser.parse_args(argv)
    work = runner.prepare(Path(args.cache))
    with fresh_peerwork(SETUP % ROOT_PASSWORD) as url:
        result = runner.run(
            work,
            base_uri=f"{url}/s/wiki/w/",
            root_user="Root",
            root_password=ROOT_PASSWORD,
            secret_key=JOBS_KEY,
            grep=args.grep,
        )
    for title, message in sorted(result.failed.items()):
        first = message.splitlines()[0] if message else ""
        print(f"FAIL {title}: {first}")
    print(f"{len(result.passed)} passed, {len(result.failed)} failed of {result.total}")
    if args.json:
        Path(args.json).write_text(
            json.dumps({"passed": result.passed, "failed": result.failed}, indent=1)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
