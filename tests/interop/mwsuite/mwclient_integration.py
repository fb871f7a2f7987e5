"""mwclient's live-server tests (`test/integration.py` of the mwclient repository) against a
fresh peerwork, with only their server fixture replaced.

Those tests are not in mwclient's releases, so give the path of a copy of that file:

    python -m tests.interop.mwsuite.mwclient_integration path/to/integration.py

The fixture they ship starts MediaWiki in a container, then makes `testuser`, `sysop` (sysop,
bureaucrat) and `testbot` (bot) with the password `weakpassword`, and turns anonymous editing
off. This one makes the same people in a fresh peerwork space (anonymous editing is off in
peerwork by design) and yields an `mwclient.Site` for it. The tests themselves run unchanged.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.interop.mwsuite.against import fresh_peerwork

SETUP = """
from peerwork.accounts import actions as accounts
from peerwork.spaces import actions as spaces
from peerwork.wiki import actions as wiki
owner = accounts.user_signup(username="root", password="weakpassword")
space = spaces.space_create(user=owner, slug="wiki", name="mwclient-test-wiki",
                            visibility="public", participation="anyone")
# A fresh MediaWiki counts everyone as autoconfirmed at once ($wgAutoConfirmAge = 0).
document = {**space.policy, "privileges": {"autoconfirmed_days": 0, "autoconfirmed_edits": 0}}
space = spaces.space_policy_update(user=owner, space=space, document=document)
people = {name: accounts.user_signup(username=name, password="weakpassword")
          for name in ("testuser", "sysop", "testbot")}
spaces.space_member_add(user=owner, space=space, member=people["sysop"], role="steward")
bot = spaces.space_member_add(user=owner, space=space, member=people["testbot"])
spaces.space_member_set_bot(user=owner, space=space, membership=bot, bot=True)
wiki.page_save(user=owner, space=space, title="Main Page",
               text="<strong>MediaWiki has been installed.</strong>\\n\\nConsult the User's Guide.",
               base_revision_id=None, summary="start")
"""

FIXTURE = '''
@pytest.fixture(scope="class")
def site(request):
    """The fresh peerwork that tests.interop.mwsuite.mwclient_integration serves."""
    import os
    from urllib.parse import urlsplit

    url = urlsplit(os.environ["PEERWORK_MWCLIENT_URL"])
    yield mwclient.Site(url.netloc, path="/s/wiki/w/", scheme=url.scheme, force_login=False)

'''


def replace_fixture(source: str) -> str:
    """The file with its `site` fixture (the decorated function up to the first test class)
    replaced by ours; everything else is left as it is."""
    match = re.search(r"^@pytest\.fixture\(.*?(?=^class )", source, flags=re.S | re.M)
    if match is None or "def site(" not in match.group(0):
        raise SystemExit("mwclient_integration: no `site` fixture found in that file")
    return source[: match.start()] + FIXTURE.lstrip("\n") + "\n" + source[match.end() :]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("integration", type=Path, help="mwclient's test/integration.py")
    args, pytest_args = parser.parse_known_args(argv)
    try:
        source = args.integration.read_text()
    except OSError as error:
        print(f"mwclient_integration: cannot read {args.integration}: {error}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "test_mwclient_integration.py"
        copy.write_text(replace_fixture(source))
        with fresh_peerwork(SETUP) as url:
            import os

            env = {**os.environ, "PEERWORK_MWCLIENT_URL": url}
            return subprocess.run(  # noqa: S603
                [
                    sys.executable,
                    "-m",
                    "pytest",
                    "-p",
                    "no:cacheprovider",
                    "-q",
                    str(copy),
                    "--rootdir",
                    scratch,
                    "-c",
                    "/dev/null",
                    "-p",
                    "no:randomly",
                    *pytest_args,
                ],
                env=env,
                check=False,
            ).returncode


if __name__ == "__main__":
    sys.exit(main())
