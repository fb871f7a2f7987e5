"""The `peerwork` command: run, serve, migrate and check a peerwork site.

A wrong argument exits non-zero with one line saying what was wrong and how to fix it.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any, NoReturn


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see '{self.prog} --help')\n")


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerwork.settings")
    import django

    django.setup()


def _fail(message: str, code: int = 1) -> NoReturn:
    print(f"peerwork: {message}", file=sys.stderr)
    sys.exit(code)


def cmd_migrate(args: argparse.Namespace) -> int:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=1 if args.verbose else 0)
    print("Database is up to date.")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    try:
        call_command("check", deploy=args.deploy, fail_level="WARNING")
    except SystemCheckError as error:
        print(str(error).strip(), file=sys.stderr)
        return 1
    return 0


def cmd_createadmin(args: argparse.Namespace) -> int:
    import getpass

    from peerwork.accounts.selectors import user_by_username

    password = args.password or os.environ.get("PEERWORK_ADMIN_PASSWORD")
    if not password:
        if not sys.stdin.isatty():
            _fail("no password given; pass --password or set PEERWORK_ADMIN_PASSWORD", 2)
        password = getpass.getpass("Password: ")
    user = user_by_username(args.username, include_inactive=True)
    if user is None:
        from peerwork.accounts.actions import user_signup
        from peerwork.core.errors import ActionError

        try:
            user = user_signup(username=args.username, password=password, email=args.email or "")
        except ActionError as error:
            _fail(f"{error.detail}", 2)
    else:
        user.set_password(password)
    user.is_staff = True
    user.is_superuser = True
    user.save()
    print(f"{user.username} is a site administrator.")
    return 0


def cmd_verify_log(args: argparse.Namespace) -> int:
    from peerwork.activity.verify import verify_all
    from peerwork.spaces.models import Space

    chains = None
    if args.space:
        space = Space.objects.filter(slug=args.space).first()
        if space is None:
            _fail(f"there is no space '{args.space}'; list them with the API at /api/v1/spaces", 2)
        from peerwork.activity.recorder import chain_key

        chains = [chain_key(space)]
    reports = verify_all(chains)
    bad = [report for report in reports if not report.ok]
    # A steward knows spaces by slug, not by the key the chain is stored under.
    slugs = {f"space:{pk}": slug for pk, slug in Space.objects.values_list("pk", "slug")}
    for report in reports:
        label = report.chain
        if report.chain in slugs:
            label = f"{report.chain} ({slugs[report.chain]})"
        if report.ok:
            print(f"{label}: {report.length} events ok")
        else:
            print(f"{label}: BROKEN after {report.length} good events")
    if bad:
        print(f"peerwork: verify-log failed: {bad[0].problem}", file=sys.stderr)
        return 1
    total = sum(report.length for report in reports)
    print(f"All {len(reports)} chains intact ({total} events).")
    return 0


def cmd_ledger_verify(args: argparse.Namespace) -> int:
    from peerwork.ledger.verify import verify

    space = _space_or_fail(args.space) if args.space else None
    report = verify(space.pk if space else None)
    if not report.ok:
        print(f"peerwork: ledger verify failed: {report.problems[0]}", file=sys.stderr)
        return 1
    print(
        f"Ledger intact: {report.transactions} transactions, {report.accounts} accounts and "
        f"{report.payouts} payouts add up."
    )
    return 0


def cmd_reputation_rebuild(args: argparse.Namespace) -> int:
    from peerwork.reputation.compute import rebuild
    from peerwork.spaces.models import Space

    spaces = [_space_or_fail(args.space)] if args.space else list(Space.objects.order_by("pk"))
    for space in spaces:
        counts = rebuild(space)
        print(
            f"{space.slug}: {counts['events']} events read, {counts['entries']} entries, "
            f"{counts['people']} people."
        )
    return 0


def cmd_reputation_detect(args: argparse.Namespace) -> int:
    from peerwork.reputation.detection import detect_space
    from peerwork.spaces.models import Space

    spaces = [_space_or_fail(args.space)] if args.space else list(Space.objects.order_by("pk"))
    for space in spaces:
        print(f"{space.slug}: {detect_space(space=space)} entries reversed.")
    return 0


def cmd_risk_train(args: argparse.Namespace) -> int:
    from peerwork.core.errors import Conflict
    from peerwork.risk.actions import risk_train
    from peerwork.spaces.models import Space

    spaces = [_space_or_fail(args.space)] if args.space else list(Space.objects.order_by("pk"))
    failed = 0
    for space in spaces:
        try:
            model = risk_train(user=None, space=space)
        except Conflict as error:
            print(f"{space.slug}: {error.detail}")
            failed += 1
            continue
        metrics = model.metrics
        print(
            f"{space.slug}: learned from {model.samples} edits ({model.positives} reverted); "
            f"held-out precision {metrics['precision']:.2f}, recall {metrics['recall']:.2f}."
        )
    return 1 if args.space and failed else 0


def _space_or_fail(slug: str) -> Any:
    from peerwork.spaces.models import Space

    space = Space.objects.filter(slug=slug).first()
    if space is None:
        _fail(f"there is no space '{slug}'; list them with the API at /api/v1/spaces", 2)
    return space


def cmd_import_mediawiki(args: argparse.Namespace) -> int:
    from peerwork.accounts.selectors import user_by_username
    from peerwork.core.errors import ActionError
    from peerwork.interop.dumps.importer import (
        DumpError,
        ImportInterrupted,
        default_importer,
        import_dump,
    )
    from peerwork.interop.dumps.progress import Progress

    space = _space_or_fail(args.space)
    if args.as_user:
        user = user_by_username(args.as_user, include_inactive=True)
        if user is None:
            _fail(f"there is no user '{args.as_user}'", 2)
    else:
        user = default_importer(space)
        if user is None:
            _fail(f"space '{space.slug}' has no steward to import as; name one with --as", 2)
    try:
        result = import_dump(args.file, space=space, user=user, progress=Progress(sys.stderr))
    except ImportInterrupted as error:
        _fail(f"import-mediawiki: {error}", 130)
    except DumpError as error:
        _fail(f"import-mediawiki: {error}")
    except ActionError as error:
        _fail(
            f"import-mediawiki: {user.username} may not import into '{space.slug}': "
            f"{error.detail} (stewards import; choose one with --as)"
        )
    for title, reason in result.skipped:
        print(f"peerwork: skipped page '{title}': {reason}", file=sys.stderr)
    for note in result.notes:
        print(f"peerwork: {note}", file=sys.stderr)
    print(
        f"Imported {result.added} new revisions of {result.revisions} "
        f"in {result.pages} pages into '{space.slug}'."
    )
    if result.sha1_mismatches:
        log = args.log or f"import-mediawiki-{space.slug}-sha1.log"
        try:
            with open(log, "w", encoding="utf-8") as handle:
                for mismatch in result.mismatches:
                    handle.write(mismatch.line() + "\n")
                unlisted = result.sha1_mismatches - len(result.mismatches)
                if unlisted:
                    handle.write(f"... and {unlisted} more (their revisions keep them)\n")
        except OSError as error:
            print(f"peerwork: cannot write {log}: {error.strerror or error}", file=sys.stderr)
            log = "standard error"
            for mismatch in result.mismatches:
                print(f"peerwork: {mismatch.line()}", file=sys.stderr)
        print(result.sha1_summary().replace("the import log", log) + ".")
    _finish_jobs(space.slug)
    return 0


def _finish_jobs(slug: str) -> None:
    """Without a job worker, the work an import leaves to jobs (above all, attributing each
    imported page's authorship, which walks its history once) runs in this process before it
    can end. Say so rather than seem to hang, and let Ctrl-C leave it for later: what is done
    is kept, and the rest is attributed on first view or by `peerwork authorship rebuild`."""
    from peerwork.core import jobs

    if jobs.wait_idle(timeout=1):
        return
    print(
        "peerwork: attributing the imported pages' authorship; Ctrl-C leaves the rest for "
        f"later (`peerwork authorship rebuild --space {slug}`, or each page's first view)",
        file=sys.stderr,
    )
    try:
        while not jobs.wait_idle(timeout=1):
            pass
    except KeyboardInterrupt:
        print("peerwork: authorship of the rest is left for later", file=sys.stderr)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)  # the job threads cannot be joined; the import itself is complete


def cmd_export(args: argparse.Namespace) -> int:
    from peerwork.interop.dumps.exporter import mediawiki_xml
    from peerwork.interop.dumps.jsonl import open_data

    space = _space_or_fail(args.space)
    pieces = (
        mediawiki_xml(space, base_url=args.base_url)
        if args.format == "mediawiki"
        else (open_data(space))
    )
    if args.output in (None, "-"):
        for piece in pieces:
            sys.stdout.write(piece)
        sys.stdout.flush()
        return 0
    try:
        with open(args.output, "w", encoding="utf-8", newline="") as output:
            for piece in pieces:
                output.write(piece)
    except OSError as error:
        _fail(f"export: cannot write {args.output}: {error.strerror or error}")
    print(f"Exported '{space.slug}' to {args.output}.", file=sys.stderr)
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    import time

    from peerwork.core.backup import BackupError, backup

    started = time.monotonic()
    try:
        summary = backup(args.file)
    except BackupError as error:
        _fail(f"backup: {error}")
    except OSError as error:
        _fail(f"backup: cannot write {args.file}: {error.strerror or error}")
    print(
        f"Backed up {summary.tables} tables ({summary.rows} rows) to {args.file} "
        f"in {time.monotonic() - started:.1f} s."
    )
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    import time

    from peerwork.core.backup import BackupError, restore

    started = time.monotonic()
    try:
        summary = restore(args.file, force=args.force)
    except BackupError as error:
        _fail(f"restore: {error}")
    except OSError as error:
        _fail(f"restore: cannot read {args.file}: {error.strerror or error}")
    print(
        f"Restored {summary.tables} tables ({summary.rows} rows) from the backup of "
        f"{summary.created_at} in {time.monotonic() - started:.1f} s; every table matches it."
    )
    print("Next: 'peerwork migrate' (if this peerwork is newer), then 'peerwork verify-log'.")
    return 0


def cmd_tally(args: argparse.Namespace) -> int:
    from peerwork.governance.tally import TallyError
    from peerwork.governance.tally.cli import run_tally

    try:
        return run_tally(args)
    except TallyError as error:
        _fail(f"tally: {error}")


def cmd_search_rebuild(args: argparse.Namespace) -> int:
    from peerwork.search import index

    names = [kind.name for kind in index.kinds()]
    unknown = [name for name in args.kind or [] if name not in names]
    if unknown:
        _fail(f"there is no kind '{unknown[0]}' to search; choose from {', '.join(names)}", 2)
    counts = index.rebuild(args.kind or None)
    print(
        "Search index rebuilt: "
        + ", ".join(f"{count} {name}" for name, count in counts.items())
        + "."
    )
    return 0


def cmd_authorship_rebuild(args: argparse.Namespace) -> int:
    from peerwork.authorship.compute import rebuild
    from peerwork.wiki.models import Page

    space = _space_or_fail(args.space) if args.space else None
    if args.page is not None:
        pages = Page.objects.filter(pk=args.page)
        if space is not None:
            pages = pages.filter(space=space)
        if not pages.exists():
            where = f" in space '{space.slug}'" if space is not None else ""
            _fail(f"there is no page {args.page}{where}; page ids are in the API's page list", 2)
    pages_done, rows = rebuild(space_id=space.pk if space else None, page_id=args.page)
    print(f"Authorship rebuilt: {rows} revisions of {pages_done} pages.")
    return 0


def cmd_assist_reindex(args: argparse.Namespace) -> int:
    import time

    from peerwork.assist import index, registry, text

    space = _space_or_fail(args.space) if args.space else None
    names = [kind.name for kind in registry.kinds()]
    unknown = [name for name in args.kind or [] if name not in names]
    if unknown:
        _fail(f"there is no kind '{unknown[0]}' to index; choose from {', '.join(names)}", 2)
    started = time.monotonic()
    counts = index.reindex(space, args.kind or None)
    print(
        f"Assist index rebuilt with {text.embedder_name()}: "
        + ", ".join(f"{count} {name}" for name, count in counts.items())
        + f" in {time.monotonic() - started:.1f} s."
    )
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from .server import serve

    print(mail_destination())
    return serve(host=args.host, port=args.port, workers=args.workers, threads=args.threads)


def cmd_digest(args: argparse.Namespace) -> int:
    from peerwork.accounts.digests import send_digests_and_say

    print(send_digests_and_say())
    return 0


def mail_destination() -> str:
    """Where this site's mail goes, in one line (PEERWORK_EMAIL_URL, docs/decisions/0042)."""
    from django.conf import settings

    backend = settings.EMAIL_BACKEND.rsplit(".", 2)[-2]
    if backend == "filebased":
        return (
            f"Mail is written as files to {settings.EMAIL_FILE_PATH}/ "
            "(set PEERWORK_EMAIL_URL to send it)."
        )
    if backend == "console":
        return "Mail is printed here, on the standard output."
    if backend == "locmem":
        return "Mail is kept in memory and never sent (PEERWORK_EMAIL_URL=locmem:)."
    security = (
        "TLS" if settings.EMAIL_USE_SSL else "STARTTLS" if settings.EMAIL_USE_TLS else "plain"
    )
    return f"Mail is sent through {settings.EMAIL_HOST}:{settings.EMAIL_PORT} ({security})."


def cmd_demo(args: argparse.Namespace) -> int:
    from django.core.management import call_command

    from .demo import DEMO_PASSWORD, load_demo

    call_command("migrate", interactive=False, verbosity=0)
    created = load_demo()
    if created:
        from peerwork.search.index import rebuild

        rebuild()
    print("Demo data loaded." if created else "Demo data already present.")
    print(f"peerwork is running at http://{args.host}:{args.port}/")
    print(f"Demo logins (password '{DEMO_PASSWORD}'): ada (steward), grace, linus, ostrom (admin)")
    print(mail_destination())
    from .server import serve

    return serve(host=args.host, port=args.port, workers=args.workers, threads=args.threads)


def _add_server_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    parser.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (default 4)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="peerwork", description="Run and look after a peerwork site.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    demo = sub.add_parser("demo", help="migrate, load demo data once, and serve on 127.0.0.1:8000")
    _add_server_args(demo)
    demo.set_defaults(func=cmd_demo)

    serve = sub.add_parser("serve", help="serve the site with gunicorn")
    _add_server_args(serve)
    serve.set_defaults(func=cmd_serve)

    migrate = sub.add_parser("migrate", help="create or update the database tables")
    migrate.add_argument("-v", "--verbose", action="store_true", help="list each migration")
    migrate.set_defaults(func=cmd_migrate)

    admin = sub.add_parser("createadmin", help="create a site administrator (or promote one)")
    admin.add_argument("username", help="the administrator's username")
    admin.add_argument("--email", help="e-mail address")
    admin.add_argument(
        "--password", help="password (or PEERWORK_ADMIN_PASSWORD; asked if a terminal)"
    )
    admin.set_defaults(func=cmd_createadmin)

    verify = sub.add_parser("verify-log", help="check the activity log's hash chains")
    verify.add_argument("--space", metavar="SLUG", help="check only this space's chain")
    verify.set_defaults(func=cmd_verify_log)

    ledger = sub.add_parser("ledger", help="check the ledger of every space")
    ledger_sub = ledger.add_subparsers(
        dest="ledger_command", metavar="COMMAND", parser_class=_Parser
    )
    ledger_sub.required = True
    ledger_verify = ledger_sub.add_parser(
        "verify",
        help="recompute every balance and match every transaction with its logged event",
        description=(
            "Recompute every balance from the entries, check that each transaction sums to zero "
            "and matches the activity event that recorded it, and that each payout was paid by "
            "its transaction. Exits 1 naming the first difference."
        ),
    )
    ledger_verify.add_argument("--space", metavar="SLUG", help="check only this space's ledger")
    ledger_verify.set_defaults(func=cmd_ledger_verify)

    authorship = sub.add_parser("authorship", help="who wrote each token of the wiki's pages")
    authorship_sub = authorship.add_subparsers(
        dest="authorship_command", metavar="COMMAND", parser_class=_Parser
    )
    authorship_sub.required = True
    authorship_rebuild = authorship_sub.add_parser(
        "rebuild",
        help="attribute every revision again from the texts",
        description=(
            "Drop the stored authorship of the pages' revisions and attribute each revision "
            "again, walking each page's history once (after an upgrade of the method, or to "
            "repair). Gives the same result as the attribution made as the edits were saved."
        ),
    )
    authorship_rebuild.add_argument("--space", metavar="SLUG", help="only this space's pages")
    authorship_rebuild.add_argument("--page", metavar="ID", type=int, help="only this page")
    authorship_rebuild.set_defaults(func=cmd_authorship_rebuild)

    assist = sub.add_parser("assist", help="the offline text service: similar work, suggestions")
    assist_sub = assist.add_subparsers(
        dest="assist_command", metavar="COMMAND", parser_class=_Parser
    )
    assist_sub.required = True
    assist_reindex = assist_sub.add_parser(
        "reindex",
        help="embed every idea, challenge, task, proposal and page again",
        description=(
            "Make the stored vectors of every indexed object again with the embedder in use "
            "(PEERWORK_ASSIST_EMBEDDER), after an upgrade or a change of embedder."
        ),
    )
    assist_reindex.add_argument("--space", metavar="SLUG", help="only this space")
    assist_reindex.add_argument("--kind", action="append", help="only this kind; may be repeated")
    assist_reindex.set_defaults(func=cmd_assist_reindex)

    reputation = sub.add_parser("reputation", help="recompute or police reputation")
    reputation_sub = reputation.add_subparsers(
        dest="reputation_command", metavar="COMMAND", parser_class=_Parser
    )
    reputation_sub.required = True
    reputation_rebuild = reputation_sub.add_parser(
        "rebuild",
        help="recompute every reputation entry and total from the activity log",
        description=(
            "Forget the stored reputation entries and totals and replay the activity log "
            "through today's rules and policy. Steward grants are kept."
        ),
    )
    reputation_rebuild.add_argument("--space", metavar="SLUG", help="only this space")
    reputation_rebuild.set_defaults(func=cmd_reputation_rebuild)
    reputation_detect = reputation_sub.add_parser(
        "detect",
        help="reverse the reputation of serial supports and support rings",
        description="What the periodic job does: reversals are logged with their reason.",
    )
    reputation_detect.add_argument("--space", metavar="SLUG", help="only this space")
    reputation_detect.set_defaults(func=cmd_reputation_detect)
    risk = sub.add_parser("risk", help="the edit-risk model each space learns from its history")
    risk_sub = risk.add_subparsers(dest="risk_command", metavar="COMMAND", parser_class=_Parser)
    risk_sub.required = True
    risk_train_parser = risk_sub.add_parser(
        "train",
        help="train each space's edit-risk model on its own history",
        description=(
            "Label each revision by whether it was reverted, learn from it, and store the "
            "model; a space with too little history keeps the shipped default."
        ),
    )
    risk_train_parser.add_argument("--space", metavar="SLUG", help="only this space")
    risk_train_parser.set_defaults(func=cmd_risk_train)

    importer = sub.add_parser(
        "import-mediawiki",
        help="import a MediaWiki XML dump (.xml, .gz, .bz2, .xz, .lzma) into a space",
        description=(
            "Import every page and revision of a MediaWiki XML dump into a space, streaming. "
            "Running it again adds nothing; an interrupted import resumes where it stopped."
        ),
    )
    importer.add_argument(
        "file",
        metavar="FILE",
        help="the dump: XML, plain or gzip, bzip2, xz or lzma compressed, or - to read stdin",
    )
    importer.add_argument("--space", metavar="SLUG", required=True, help="the space to import into")
    importer.add_argument(
        "--as",
        dest="as_user",
        metavar="USERNAME",
        help="the steward the import acts as, for permission and the activity log "
        "(default: the space's first steward)",
    )
    importer.add_argument(
        "--log",
        metavar="FILE",
        help="where to list revisions whose SHA-1 did not match their text "
        "(default: import-mediawiki-SLUG-sha1.log)",
    )
    importer.set_defaults(func=cmd_import_mediawiki)

    export = sub.add_parser(
        "export",
        help="write a space's public pages as a MediaWiki XML dump or JSON Lines open data",
    )
    export.add_argument("--space", metavar="SLUG", required=True, help="the space to export")
    export.add_argument(
        "--format", choices=["mediawiki", "jsonl"], required=True, help="mediawiki or jsonl"
    )
    export.add_argument("-o", "--output", metavar="FILE", help="where to write (default: stdout)")
    export.add_argument(
        "--base-url", default="", help="the site's address, for the dump's <base> (optional)"
    )
    export.set_defaults(func=cmd_export)

    backup = sub.add_parser(
        "backup",
        help="write the site's database to one file, safely while the site runs",
        description=(
            "Copy the database to FILE (a tar of the database and a manifest of every table's "
            "row count and checksum): SQLite through its online backup API, PostgreSQL "
            "through pg_dump. Writes go on meanwhile; the copy is one consistent moment."
        ),
    )
    backup.add_argument("file", metavar="FILE", help="the backup file to write (replaced)")
    backup.set_defaults(func=cmd_backup)

    restore = sub.add_parser(
        "restore",
        help="restore a backup into an empty data dir or database",
        description=(
            "Restore FILE, made by 'peerwork backup', into this site's database (the data dir's "
            "SQLite file, or the PostgreSQL database DATABASE_URL names), then check every "
            "table against the backup's manifest. Stop the server first."
        ),
    )
    restore.add_argument("file", metavar="FILE", help="the backup file to read")
    restore.add_argument(
        "--force", action="store_true", help="replace a database that already holds a site"
    )
    restore.set_defaults(func=cmd_restore)

    from peerwork.governance.tally.cli import add_arguments as add_tally_arguments

    tally = sub.add_parser(
        "tally",
        help="count ranked ballots from a CSV (irv, stv, schulze, ranked-pairs), round by round",
        description=(
            "Count a CSV of ranked ballots (one ballot per row, rank 1 first; an empty cell skips "
            "a rank, A=B is an overvote; an optional header row and 'count' column) under the "
            "rules of docs/governance-tally.md, and print the rounds, then the winners; or, with "
            "--from-dump, recount a proposal's stored result from a space's open data dump."
        ),
    )
    add_tally_arguments(tally)
    tally.set_defaults(func=cmd_tally, needs_django=False)

    digest = sub.add_parser(
        "digest",
        help="mail each person whose daily or weekly digest is due their unread notifications",
        description=(
            "Send each due daily or weekly digest: one mail per person of their unread "
            "notifications since their last digest, in their language and time zone, to a "
            "verified address. What was sent is recorded, so running it again sends nothing "
            "twice. The site's job runner does this every quarter of an hour by itself; this "
            "command is for a cron job, or to send now."
        ),
    )
    digest.set_defaults(func=cmd_digest)
    rebuild = sub.add_parser(
        "search-rebuild",
        help="make the search index again from everything on the site",
        description=(
            "Make the search documents again from the pages, ideas, challenges, tasks, "
            "proposals, comments, spaces and people on the site (after an upgrade, or to "
            "repair the index). Search answers from the old index until the rebuild commits."
        ),
    )
    rebuild.add_argument(
        "--kind",
        action="append",
        metavar="KIND",
        help="only this kind (page, idea, challenge, task, proposal, comment, space, person); "
        "may be given more than once",
    )
    rebuild.set_defaults(func=cmd_search_rebuild)

    check = sub.add_parser("check", help="run the configuration checks")
    check.add_argument("--deploy", action="store_true", help="also the production security checks")
    check.set_defaults(func=cmd_check)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    for name in ("port", "workers", "threads"):
        value: Any = getattr(args, name, None)
        if value is not None and not (0 < value < 65536):
            _fail(f"--{name} must be a positive number below 65536, not {value}", 2)
    if not getattr(args, "needs_django", True):
        return int(args.func(args))
    try:
        _setup_django()
    except Exception as error:  # noqa: BLE001  (a configuration error is one line, not a trace)
        _fail(f"cannot start: {error}", 2)
    from django.db import OperationalError

    try:
        return args.func(args)
    except OperationalError as error:
        _fail(
            f"database error: {error}; is the database reachable and migrated ('peerwork migrate')?"
        )


if __name__ == "__main__":
    sys.exit(main())
