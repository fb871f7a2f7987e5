"""`python -m peerwork.manage search_rebuild`: the same as `peerwork search-rebuild`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from peerwork.search import index


class Command(BaseCommand):
    help = "Make the search index again from everything on the site."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kind", action="append", help="only this kind; may be repeated")

    def handle(self, *args: Any, **options: Any) -> None:
        names = [kind.name for kind in index.kinds()]
        for name in options["kind"] or []:
            if name not in names:
                raise CommandError(f"There is no kind {name!r}; choose from {', '.join(names)}.")
        counts = index.rebuild(options["kind"] or None)
        summary = ", ".join(f"{count} {name}" for name, count in counts.items())
        self.stdout.write(f"Search index rebuilt: {summary}.")
