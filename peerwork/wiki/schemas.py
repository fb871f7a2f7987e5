"""What a page and a revision say about themselves, written once for the REST API and the
open-data dump."""

from __future__ import annotations

from typing import Any

from .models import Page, Revision
from .titles import title_text


def page_fields(page: Page) -> dict[str, Any]:
    """The facts of a page that read the same for everyone who may see it.

    The title is the one readers type and links name, its namespace's prefix included (as the
    MediaWiki export and the activity log write it). The API adds the revision it shows and
    what the reader may do; the dump adds the page's id and its current revision's id.
    """
    return {
        "title": title_text(page.namespace, page.title),
        "namespace": page.namespace,
        "is_redirect": page.is_redirect,
    }


def revision_fields(revision: Revision) -> dict[str, Any]:
    """The facts of a revision that do not depend on who reads it or how the page is named.

    The API adds the page's title, the author as one name and its review state; the dump adds
    the page's id, the author and the name typed for an anonymous edit, and the text.
    """
    return {
        "id": revision.pk,
        "parent": revision.parent_id,
        "summary": revision.summary,
        "minor": revision.is_minor,
        "size": revision.size,
        "sha1": revision.sha1,
        "content_model": revision.content_model,
    }
