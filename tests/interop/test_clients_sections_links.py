"""Section editing, links, backlinks, log events and watching through the real clients:
mwclient in-process and pywikibot in a subprocess, against the live test server."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from peerwork.activity.models import Watch
from peerwork.wiki import actions as wiki
from peerwork.wiki.models import Page
from tests.conftest import PASSWORD
from tests.interop.test_mwclient import site_for  # noqa: F401  (the fixture)
from tests.interop.test_pywikibot import _config, bot_world  # noqa: F401  (bot_world: fixture)

mwclient = pytest.importorskip("mwclient")

SECTIONED = "Intro.\n\n## Alpha\nalpha one\n\n## Beta\nbeta one\n"


def _save(owner: Any, space: Any, title: str, text: str) -> None:
    page = Page.objects.filter(space=space, title=title).first()
    wiki.page_save(
        user=owner,
        space=space,
        title=title,
        text=text,
        base_revision_id=page.current_revision_id if page else None,
    )


@pytest.mark.django_db(transaction=True)
def test_mwclient_reads_and_edits_one_section(site_for: Any) -> None:  # noqa: F811
    _save(site_for.owner, site_for.space, "Doc", SECTIONED)
    page = site_for("alice").pages["Doc"]
    assert page.text(section=2) == "## Beta\nbeta one"
    result = page.edit("## Beta\nbeta by mwclient", section=2, summary="beta")
    assert result["result"] == "Success"
    assert Page.objects.get(title="Doc").current_revision.content.text == (
        "Intro.\n\n## Alpha\nalpha one\n\n## Beta\nbeta by mwclient\n"
    )
    fresh = site_for("alice").pages["Doc"]
    fresh.edit("gamma", section="new", sectiontitle="Gamma", summary="")
    assert fresh.site.pages["Doc"].text(section=3, cache=False) == "## Gamma\n\ngamma"
    with pytest.raises(mwclient.errors.APIError) as raised:
        fresh.edit("x", section=9)
    assert raised.value.code == "nosuchsection"


@pytest.mark.django_db(transaction=True)
def test_mwclient_links_backlinks_and_logevents(site_for: Any) -> None:  # noqa: F811
    owner, space = site_for.owner, site_for.space
    _save(owner, space, "Hub", "[[Doc]], [[Gamma]] and [[Talk:Doc]]\n")
    _save(owner, space, "Doc", "[[Hub]]\n")
    _save(owner, space, "Spoke", "[[Doc]]\n")
    wiki.page_move(user=owner, page=Page.objects.get(title="Spoke"), new_title="Spoke 2")
    site = site_for()
    hub = site.pages["Hub"]
    assert list(hub.links(generator=False)) == ["Doc", "Gamma", "Talk:Doc"]
    assert sorted(page.name for page in hub.links()) == ["Doc", "Gamma", "Talk:Doc"]
    assert list(hub.links(namespace=1, generator=False)) == ["Talk:Doc"]
    assert sorted(page.name for page in site.pages["Doc"].backlinks()) == ["Hub", "Spoke 2"]
    # One at a time: every step follows blcontinue.
    assert list(site.pages["Doc"].backlinks(generator=False, api_chunk_size=1)) == [
        "Hub",
        "Spoke 2",
    ]
    moves = list(site.logevents(type="move"))
    assert [(event["title"], event["params"]["target_title"]) for event in moves] == [
        ("Spoke", "Spoke 2")
    ]


WATCH_SCRIPT = textwrap.dedent(
    """
    import json
    import pywikibot

    out = {}
    site = pywikibot.Site()
    site.login()
    doc = pywikibot.Page(site, "Doc")
    out["watch"] = doc.watch()
    out["watch_missing"] = pywikibot.Page(site, "Nowhere").watch()
    out["linked"] = sorted(p.title() for p in pywikibot.Page(site, "Hub").linkedPages())
    out["backlinks"] = sorted(p.title() for p in doc.backlinks())
    out["log"] = [[e.type(), e.action(), e.page().title()] for e in site.logevents(total=5)]
    out["unwatch"] = doc.watch(unwatch=True)
    print("RESULT " + json.dumps(out))
    """
)


@pytest.mark.django_db(transaction=True)
def test_pywikibot_watches_and_reads_links_and_logs(
    tmp_path: Path,
    bot_world: Any,  # noqa: F811
) -> None:
    pytest.importorskip("pywikibot")
    api_url, alice = bot_world
    owner = Page.objects.get(title="Main page").current_revision.author
    space = Page.objects.get(title="Main page").space
    _save(owner, space, "Hub", "[[Doc]] and [[Main page]]\n")
    _save(owner, space, "Doc", "Text.\n")
    wiki.page_delete(user=owner, page=Page.objects.get(title="Hub"), reason="gone")
    wiki.page_restore(user=owner, page=Page.objects.get(title="Hub"), reason="back")
    env = _config(tmp_path / "pwb", api_url, "Alice", f"('Alice', {PASSWORD!r})")
    script = tmp_path / "watch.py"
    script.write_text(WATCH_SCRIPT)
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
    out = json.loads(lines[-1][len("RESULT ") :])
    assert out["watch"] is True
    assert out["watch_missing"] is False
    assert out["linked"] == ["Doc", "Main page"]
    assert out["backlinks"] == ["Hub"]
    assert out["log"] == [
        ["delete", "restore", "Hub"],
        ["delete", "delete", "Hub"],
        ["create", "create", "Doc"],
        ["create", "create", "Hub"],
        ["create", "create", "Main page"],
    ]
    assert out["unwatch"] is True
    assert not Watch.objects.filter(user=alice, page__title="Doc").exists()
