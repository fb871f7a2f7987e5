"""Background work of the wiki: pages that include a changed page record what they now include."""

from __future__ import annotations

from django.db import transaction

from peerwork.core import jobs

from . import actions


@jobs.job("wiki.refresh_transcluders")
def refresh_transcluders(*, space_id: int, namespace: int, title: str) -> int:
    """Re-read the links, categories and templates of every page including `title` (what it
    includes may have changed with it, as MediaWiki's refreshLinks jobs do); safe to rerun."""
    done = 0
    for page_id in actions.transcluder_ids(space_id=space_id, namespace=namespace, title=title):
        with transaction.atomic():
            done += actions.page_refresh_links(page_id=page_id)
    return done
