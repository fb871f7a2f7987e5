"""The real pywikibot (from PyPI) against peerwork's live test server.

pywikibot keeps global state and reads its configuration at import, so it runs in a
subprocess with its own PYWIKIBOT_DIR; the script prints JSON that the test checks.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from peerwork.accounts import actions as accounts
from peerwork.wiki import actions as wiki
from tests.conftest import PASSWORD

pytest.importorskip("pywikibot")

SCRIPT = textwrap.dedent(
    """
    import json, sys
    import pywikibot

    out = {}
    site = pywikibot.Site()
    out["version"] = site.version()
    site.login()
    out["user"] = site.username()
    out["logged_in"] = site.logged_in()
    page = pywikibot.Page(site, "Main page")
    out["text"] = page.text
    page.text = page.text + "Added by pywikibot.\\n"
    page.save(summary="pywikibot edit")
    created = pywikibot.Page(site, "Bot page")
    created.text = "Created by pywikibot.\\n"
    created.save(summary="pywikibot create")
    fresh = pywikibot.Page(site, "Main page")
    out["after"] = fresh.text
    out["revisions"] = [
        [r.revid, r.user, r.comment] for r in fresh.revisions(content=False)
    ]
    out["changes"] = [[c["type"], c["title"]] for c in site.recentchanges(total=5)]
    out["allpages"] = [p.title() for p in site.allpages()]
    stale = pywikibot.Page(site, "Bot page")
    stale.text  # read now: its timestamp becomes the edit's basetimestamp
    # Someone else changes the same line meanwhile (through peerwork's REST API): a person's
    # own later saves never conflict with them, as in MediaWiki.
    import os, urllib.request
    rest = os.environ["PEERWORK_REST"] + "/spaces/open-atlas/pages/Bot_page"
    auth = {"Authorization": "Bearer " + os.environ["PEERWORK_OTHER_TOKEN"]}
    current = json.load(urllib.request.urlopen(urllib.request.Request(rest, headers=auth)))
    body = json.dumps({"text": "Created by pywikibot, changed.\\n",
                       "base_revision": current["revision"]["id"]}).encode()
    urllib.request.urlopen(urllib.request.Request(
        rest, data=body, method="PUT", headers={**auth, "Content-Type": "application/json"}))
    stale.text = "Created by pywikibot, clashing.\\n"
    try:
        stale.save(summary="stale")
        out["conflict"] = "saved"
    except pywikibot.exceptions.EditConflictError:
        out["conflict"] = "editconflict"
    print("RESULT " + json.dumps(out))
    """
)


def _config(directory: Path, api_url: str, user: str, password_line: str) -> dict[str, str]:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "user-config.py").write_text(
        textwrap.dedent(
            f"""
            family_files['peerwork'] = {api_url!r}
            family = 'peerwork'
            mylang = 'peerwork'
            usernames['peerwork']['peerwork'] = {user!r}
            password_file = 'user-password.py'
            put_throttle = 0
            minthrottle = 0
            maxthrottle = 0
            max_retries = 1
            retry_wait = 1
            """
        )
    )
    (directory / "user-password.py").write_text(password_line + "\n")
    os.chmod(directory / "user-config.py", 0o600)
    os.chmod(directory / "user-password.py", 0o600)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYWIKIBOT", "DJANGO_", "HTTP_PROXY", "HTTPS_PROXY"))
    }
    env["PYWIKIBOT_DIR"] = str(directory)
    env["NO_PROXY"] = "127.0.0.1,localhost"
    return env


def _run(tmp_path: Path, env: dict[str, str]) -> dict[str, Any]:
    script = tmp_path / "bot.py"
    script.write_text(SCRIPT)
    done = subprocess.run(
        [sys.executable, str(script)],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    assert lines, f"pywikibot failed:\n{done.stdout[-3000:]}\n{done.stderr[-5000:]}"
    return json.loads(lines[-1][len("RESULT ") :])


@pytest.fixture
def bot_world(live_server: Any, make_user: Any, make_space: Any) -> Any:
    owner = make_user("owner")
    alice = make_user("alice")
    space = make_space(owner, "open-atlas")
    wiki.page_save(
        user=owner,
        space=space,
        title="Main page",
        text="Welcome.\n",
        base_revision_id=None,
        summary="start",
    )
    _token, raw = accounts.token_create(user=owner, person=owner, name="other", scope="write")
    base = live_server.url.replace("localhost", "127.0.0.1")
    os.environ["PEERWORK_REST"] = base + "/api/v1"
    os.environ["PEERWORK_OTHER_TOKEN"] = raw
    yield base + "/s/open-atlas/w/api.php", alice
    os.environ.pop("PEERWORK_REST", None)
    os.environ.pop("PEERWORK_OTHER_TOKEN", None)


@pytest.mark.django_db(transaction=True)
def test_pywikibot_logs_in_reads_edits_and_lists(tmp_path: Path, bot_world: Any) -> None:
    api_url, _alice = bot_world
    env = _config(tmp_path / "pwb", api_url, "Alice", f"('Alice', {PASSWORD!r})")
    out = _run(tmp_path, env)
    assert out["version"] == "1.39.17"
    assert out["user"] == "Alice" and out["logged_in"] is True
    assert out["text"] == "Welcome.\n"
    assert out["after"] == "Welcome.\nAdded by pywikibot.\n"
    assert [(user, comment) for _id, user, comment in out["revisions"]] == [
        ("Alice", "pywikibot edit"),
        ("Owner", "start"),
    ]
    assert out["changes"][:3] == [["new", "Bot page"], ["edit", "Main page"], ["new", "Main page"]]
    assert out["allpages"] == ["Bot page", "Main page"]
    assert out["conflict"] == "editconflict"


@pytest.mark.django_db(transaction=True)
def test_pywikibot_with_an_api_token_as_bot_password(tmp_path: Path, bot_world: Any) -> None:
    api_url, alice = bot_world
    _token, raw = accounts.token_create(user=alice, person=alice, name="bot", scope="write")
    env = _config(tmp_path / "pwb", api_url, "Alice", f"('Alice', BotPassword('bot', {raw!r}))")
    out = _run(tmp_path, env)
    assert out["user"] == "Alice" and out["logged_in"] is True
    assert out["after"] == "Welcome.\nAdded by pywikibot.\n"
