"""`python -m peerwork.manage digest`: the same as `peerwork digest`, for a cron job that
runs Django's manage commands."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Mail each person whose daily or weekly digest is due their unread notifications; "
        "running it again sends nothing twice."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        from peerwork.accounts.digests import send_digests_and_say

        self.stdout.write(send_digests_and_say())
