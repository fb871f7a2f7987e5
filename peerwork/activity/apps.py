from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig

if TYPE_CHECKING:
    from .models import Event


class ActivityConfig(AppConfig):
    name = "peerwork.activity"
    label = "activity"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from peerwork.core.context_processors import register_header_count

        from . import descriptions, home, policy, recorder, selectors  # noqa: F401  (rules, sentences)

        register_header_count("unread_notification_count", selectors.unread_notification_count)
        recorder.after_record(purge_kept_pages)
        home.register()


def purge_kept_pages(event: Event) -> None:
    """Every change is an event, so every event retires the kept anonymous pages it may alter:
    its space's, or the whole site's for an event of no space (a person's name shows
    everywhere)."""
    from peerwork.core import pagecache

    space = event.space if event.space_id else None
    pagecache.purge_after_commit(space.slug if space is not None else None)
