"""Import a generated MediaWiki dump of N pages x M revisions, then export it; print rates
and the peak memory of the process.

    .venv/bin/python bench/import_export.py --pages 1000 --revisions 10
    .venv/bin/python bench/import_export.py --pages 1 --revisions 15000 --revision-bytes 70000

The second is one page whose history holds 1 GB of text: memory must stay flat (under 300 MB).

Uses the database the settings name (a fresh SQLite file under PEERWORK_DATA_DIR by default,
or DATABASE_URL), migrates it, and imports into a new space each run.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def write_dump(path: Path, pages: int, revisions: int, revision_bytes: int = 0) -> int:
    from peerwork.interop.dumps import sha1_hex_to_base36

    filler = ("All work and no play. " * (revision_bytes // 22 + 1))[:revision_bytes]
    rev_id = 0
    with path.open("w", encoding="utf-8") as out:
        out.write(
            '<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11" '
            'xml:lang="en">\n<siteinfo><sitename>Bench</sitename><namespaces>'
            '<namespace key="0" case="first-letter" /></namespaces></siteinfo>\n'
        )
        for page in range(1, pages + 1):
            out.write(f"<page><title>Page {page}</title><ns>0</ns><id>{page}</id>\n")
            text = f"== Page {page} ==\nSee [[Page {page + 1}]] and [[Page {page - 1}]].\n"
            for number in range(revisions):
                rev_id += 1
                text += f"* Line {number} with '''bold''' and a [https://example.org link].\n"
                if filler:  # a text of about revision_bytes, different in each revision
                    text = f"{filler}\n* Revision {number}\n"
                sha1 = sha1_hex_to_base36(hashlib.sha1(text.encode()).hexdigest())
                minute, second = divmod(number, 60)
                out.write(
                    f"<revision><id>{rev_id}</id>"
                    f"<timestamp>2021-01-01T{minute // 60:02d}:{minute % 60:02d}:{second:02d}Z"
                    f"</timestamp><contributor><username>Editor {number % 7}</username>"
                    f"<id>{number % 7 + 1}</id></contributor><comment>edit {number}</comment>"
                    f"<model>wikitext</model><format>text/x-wiki</format>"
                    f'<text bytes="{len(text.encode())}" xml:space="preserve">{escape(text)}</text>'
                    f"<sha1>{sha1}</sha1></revision>\n"
                )
            out.write("</page>\n")
        out.write("</mediawiki>\n")
    return rev_id


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--revisions", type=int, default=10, help="revisions per page")
    parser.add_argument(
        "--revision-bytes",
        type=int,
        default=0,
        help="make each revision's text about this long (default: a growing list)",
    )
    args = parser.parse_args()
    os.environ.setdefault("PEERWORK_DATA_DIR", tempfile.mkdtemp(prefix="pwbench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerwork.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from peerwork.accounts.actions import user_signup
    from peerwork.accounts.models import User
    from peerwork.interop.dumps.exporter import mediawiki_xml
    from peerwork.interop.dumps.importer import import_dump
    from peerwork.interop.dumps.progress import Progress
    from peerwork.spaces.actions import space_create

    call_command("migrate", interactive=False, verbosity=0)
    stamp = str(int(time.time()))
    steward = User.objects.filter(username="bench").first() or user_signup(
        username="bench", password="bench password 123"
    )
    space = space_create(
        user=steward,
        slug=f"bench-{stamp}",
        name="Bench",
        visibility="public",
        participation="anyone",
    )
    with tempfile.TemporaryDirectory() as work:
        dump = Path(work) / "bench.xml"
        total = write_dump(dump, args.pages, args.revisions, args.revision_bytes)
        size = dump.stat().st_size
        started = time.perf_counter()
        result = import_dump(str(dump), space=space, user=steward, progress=Progress(sys.stderr))
        seconds = time.perf_counter() - started
    print(
        f"import: {result.added} revisions of {total} in {result.pages} pages "
        f"({size / 1e6:.1f} MB) in {seconds:.1f} s: {result.added / seconds:.0f} revisions/s "
        f"[{connection.vendor}], peak memory {_peak_mb():.0f} MB"
    )
    started = time.perf_counter()
    written = 0
    for piece in mediawiki_xml(space):
        written += len(piece)
    seconds = time.perf_counter() - started
    print(
        f"export: {total} revisions ({written / 1e6:.1f} MB) in {seconds:.1f} s: "
        f"{total / seconds:.0f} revisions/s"
    )
    started = time.perf_counter()
    again = import_dump(str(_write(space)), space=space, user=steward)
    print(
        f"re-import of the export: {again.added} added of {again.revisions} "
        f"in {time.perf_counter() - started:.1f} s"
    )
    return 0


def _peak_mb() -> float:
    """The process's peak resident memory so far (Linux reports kilobytes)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _write(space) -> Path:
    from peerwork.interop.dumps.exporter import mediawiki_xml

    path = Path(tempfile.mkdtemp(prefix="pwbench-")) / "export.xml"
    with path.open("w", encoding="utf-8") as out:
        for piece in mediawiki_xml(space):
            out.write(piece)
    return path


if __name__ == "__main__":
    sys.exit(main())
