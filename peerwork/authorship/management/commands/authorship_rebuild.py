"""`python -m peerwork.manage authorship_rebuild`: the same as `peerwork authorship rebuild`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from peerwork.authorship.compute import rebuild
from peerwork.spaces.models import Space


class Command(BaseCommand):
    help = "Attribute every revision again from the texts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--space", metavar="SLUG", help="only this space's pages")
        parser.add_argument("--page", metavar="ID", type=int, help="only this page")

    def handle(self, *args: Any, **options: Any) -> None:
        space = None
        if options["space"]:
            space = Space.objects.filter(slug=options["space"]).first()
            if space is None:
                raise CommandError(f"There is no space {options['space']!r}.")
        pages, rows = rebuild(space_id=space.pk if space else None, page_id=options["page"])
        self.stdout.write(f"Authorship rebuilt: {rows} revisions of {pages} pages.")
