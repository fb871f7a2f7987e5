"""What a revision says about itself, written once for the REST API and the open-data dump."""

from __future__ import annotations

from typing import Any

from .models import Revision


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
