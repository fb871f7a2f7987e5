"""MediaWiki 1.39's own Action API tests (tests/api-testing/action), run against any wiki.

The tests are MediaWiki's (GPL-2.0-or-later), taken at run time from the MediaWiki 1.39.17
release tarball as Debian publishes it (checked against its SHA-256) and run with the npm
packages `api-testing` and `mocha` pinned in package.json beside this file. Nothing of them is
kept in the repository; the download and node_modules are cached in a directory of the caller's.

    python -m tests.interop.mwsuite.runner --base-uri http://127.0.0.1:8081/w/ \
        --root-user Admin --root-password ... --secret-key ...

prints one line per failing test and the counts; `--json FILE` keeps the whole result.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RELEASE = "mediawiki-1.39.17"
TARBALL = "mediawiki_1.39.17.orig.tar.gz"
SHA256 = "2c5853d034d0c3e75160e8104125226fab964d7ed37732f83e7204781fab07b9"
MIRRORS = (
    f"http://deb.debian.org/debian/pool/main/m/mediawiki/{TARBALL}",
    f"http://deb.debian.org/debian-security/pool/updates/main/m/mediawiki/{TARBALL}",
)
SUITE = f"{RELEASE}/tests/api-testing/action/"


@dataclass
class Result:
    passed: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    pending: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.passed) + len(self.failed)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _download(target: Path) -> None:
    errors = []
    for url in MIRRORS:
        partial = target.with_suffix(".part")
        try:
            with urllib.request.urlopen(url, timeout=120) as response, partial.open("wb") as out:  # noqa: S310
                shutil.copyfileobj(response, out)
        except OSError as error:
            errors.append(f"{url}: {error}")
            continue
        if _sha256(partial) != SHA256:
            errors.append(f"{url}: SHA-256 does not match the release's")
            partial.unlink()
            continue
        partial.rename(target)
        return
    raise RuntimeError("could not fetch the MediaWiki release: " + "; ".join(errors))


def _stamp() -> str:
    lock = (HERE / "package-lock.json").read_bytes()
    return SHA256 + hashlib.sha256(lock).hexdigest()


def ready(cache: Path) -> bool:
    stamp = cache / "suite" / ".ready"
    return stamp.exists() and stamp.read_text() == _stamp()


def prepare(cache: Path) -> Path:
    """The suite's directory (tests, licence, node_modules), fetched once into `cache`."""
    cache.mkdir(parents=True, exist_ok=True)
    work = (cache / "suite").resolve()
    if ready(cache):
        return work
    tarball = cache / TARBALL
    if not tarball.exists() or _sha256(tarball) != SHA256:
        _download(tarball)
    if work.exists():
        shutil.rmtree(work)
    (work / "action").mkdir(parents=True)
    with tarfile.open(tarball) as archive:
        for member in archive.getmembers():
            name = member.name
            if name == f"{RELEASE}/COPYING":
                target = work / "COPYING"
            elif name.startswith(SUITE) and name.endswith(".js") and "/" not in name[len(SUITE) :]:
                target = work / "action" / name[len(SUITE) :]
            else:
                continue
            source = archive.extractfile(member)
            assert source is not None
            target.write_bytes(source.read())
    shutil.copy(HERE / "package.json", work / "package.json")
    shutil.copy(HERE / "package-lock.json", work / "package-lock.json")
    subprocess.run(  # noqa: S603
        ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],  # noqa: S607
        cwd=work,
        check=True,
    )
    (work / ".ready").write_text(_stamp())
    return work


def run(
    work: Path,
    *,
    base_uri: str,
    root_user: str,
    root_password: str,
    secret_key: str,
    grep: str | None = None,
    timeout: float = 1800,
) -> Result:
    """Run the suite against `base_uri` (ending in the directory of api.php) and read mocha's
    JSON report."""
    config = {
        "base_uri": base_uri,
        "main_page": "Main Page",
        "root_user": {"name": root_user, "password": root_password},
        "secret_key": secret_key,
    }
    with tempfile.TemporaryDirectory() as scratch:
        config_file = Path(scratch) / "config.json"
        config_file.write_text(json.dumps(config))
        report = Path(scratch) / "report.json"
        command = [
            "node",
            str(work / "node_modules" / "mocha" / "bin" / "mocha"),
            "--timeout",
            "0",
            "--reporter",
            "json",
            "--reporter-option",
            f"output={report}",
        ]
        if grep:
            command += ["--grep", grep]
        command += sorted(str(path) for path in (work / "action").glob("*.js"))
        env = {**os.environ, "API_TESTING_CONFIG_FILE": str(config_file)}
        subprocess.run(command, cwd=work, env=env, timeout=timeout, check=False)  # noqa: S603
        if not report.exists():
            raise RuntimeError("mocha wrote no report; see its output above")
        data: dict[str, Any] = json.loads(report.read_text())
    result = Result()
    for test in data.get("passes", []):
        result.passed.append(test["fullTitle"])
    for test in data.get("failures", []):
        error = test.get("err") or {}
        result.failed[test["fullTitle"]] = str(error.get("message", ""))[:400]
    for test in data.get("pending", []):
        result.pending.append(test["fullTitle"])
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--prepare", action="store_true", help="only fetch the suite, run nothing")
    parser.add_argument("--base-uri", help="the wiki's script path, ending in /")
    parser.add_argument("--root-user")
    parser.add_argument("--root-password")
    parser.add_argument("--secret-key", help="signs Special:RunJobs requests")
    parser.add_argument("--cache", default="var/mwsuite", help="where the suite is kept")
    parser.add_argument("--grep", help="run only the tests whose title matches")
    parser.add_argument("--json", help="write the result to this file")
    args = parser.parse_args(argv)
    try:
        work = prepare(Path(args.cache))
    except (RuntimeError, OSError, subprocess.CalledProcessError) as error:
        print(f"mwsuite: {error}; the suite comes from deb.debian.org and npm", file=sys.stderr)
        return 2
    if args.prepare:
        return 0
    if not (args.base_uri and args.root_user and args.root_password and args.secret_key):
        parser.error("--base-uri, --root-user, --root-password and --secret-key are needed")
    result = run(
        work,
        base_uri=args.base_uri,
        root_user=args.root_user,
        root_password=args.root_password,
        secret_key=args.secret_key,
        grep=args.grep,
    )
    for title, message in sorted(result.failed.items()):
        print(f"FAIL {title}: {message.splitlines()[0] if message else ''}")
    print(f"{len(result.passed)} passed, {len(result.failed)} failed of {result.total}")
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {"passed": result.passed, "failed": result.failed, "pending": result.pending},
                indent=1,
            )
        )
    return 0 if not result.failed else 1


if __name__ == "__main__":
    sys.exit(main())
