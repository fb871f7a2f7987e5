"""MediaWiki 1.39's own Action API tests against peerwork's live test server.

The suite is MediaWiki's (tests/interop/mwsuite/runner.py fetches it from the release); the
tests it may fail are exactly the ones docs/mediawiki-api.md lists with the reason, so a new
failure fails here, and so does a listed test that has started to pass (take it off the list).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from peerwork.accounts import actions as accounts
from peerwork.spaces import actions as spaces
from peerwork.wiki import actions as wiki
from tests.interop.mwsuite import runner

pytestmark = pytest.mark.mwsuite

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "mediawiki-api.md"
SECTION = "## MediaWiki's own API tests"
#: The issue's bar: at least this many of the suite's tests pass.
AT_LEAST = 125
ROOT_PASSWORD = "suite-root-password-1"
JOBS_KEY = "mediawiki-suite-jobs-key"


def documented_failures() -> dict[str, str]:
    text = DOCS.read_text()
    start = text.index(SECTION)
    end = text.find("\n## ", start + len(SECTION))
    listed: dict[str, str] = {}
    for line in text[start : end if end != -1 else None].splitlines():
        match = re.match(r"^\| `(.+?)` \| (.+?) \|$", line)
        if match:
            listed[match.group(1)] = match.group(2)
    return listed


@pytest.fixture(scope="session")
def suite_dir() -> Path:
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.fail(
            "Node.js and npm are needed to run MediaWiki's API tests (apt install nodejs npm)"
        )
    cache = Path(os.environ.get("PEERWORK_MWSUITE_CACHE", ROOT / "var" / "mwsuite"))
    if not runner.ready(cache):
        pytest.fail(
            "MediaWiki's API tests are not fetched yet: run "
            "`.venv/bin/python -m tests.interop.mwsuite.runner --prepare` (make test does)"
        )
    return runner.prepare(cache)


@pytest.mark.django_db(transaction=True)
def test_mediawikis_own_api_tests(
    suite_dir: Path, live_server: Any, settings: Any, tmp_path: Path
) -> None:
    settings.PEERWORK_JOBS_THREADS = 0
    settings.PEERWORK_MEDIAWIKI_JOBS_KEY = JOBS_KEY
    root = accounts.user_signup(username="Root", password=ROOT_PASSWORD)
    space = spaces.space_create(
        user=root,
        slug="wiki",
        name="Suite wiki",
        visibility="public",
        participation="anyone",
    )
    # As on the wiki the suite was written for: MediaWiki's defaults make every account
    # autoconfirmed at once, and its pages are wikitext.
    document = {
        **space.policy,
        "privileges": {"autoconfirmed_days": 0, "autoconfirmed_edits": 0},
        "wiki": {**space.policy["wiki"], "default_content_model": "wikitext"},
    }
    space = spaces.space_policy_update(user=root, space=space, document=document)
    wiki.page_save(
        user=root,
        space=space,
        title="Main Page",
        text="Welcome to the wiki.",
        base_revision_id=None,
        summary="start",
    )
    result = runner.run(
        suite_dir,
        base_uri=f"{live_server.url}/s/{space.slug}/w/",
        root_user="Root",
        root_password=ROOT_PASSWORD,
        secret_key=JOBS_KEY,
    )
    listed = documented_failures()
    unexpected = {title: why for title, why in result.failed.items() if title not in listed}
    fixed = sorted(title for title in listed if title in result.passed)
    report = "\n".join(f"  {title}: {why}" for title, why in sorted(unexpected.items()))
    assert not unexpected, f"{len(unexpected)} tests failed that docs do not list:\n{report}"
    assert not fixed, f"these pass now; take them off the list in {DOCS.name}: {fixed}"
    assert len(result.passed) >= AT_LEAST, (
        f"{len(result.passed)} of {result.total} passed; at least {AT_LEAST} must"
    )
