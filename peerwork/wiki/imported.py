"""Reads about imported revisions: the old id a dump gave a revision, and the revision it is now.

A dump's revision id is kept as the revision's id when it was free; when it was not, the
revision got the next id and `ImportedRevision` records the old one, so `revids=` and links
that carry the old id still find it (docs/decisions/0023).
"""

from __future__ import annotations

from peerwork.spaces.models import Space

from .models import ImportedRevision


def revision_id_for_source_id(space: Space, source_id: int) -> int | None:
    """The id of the revision imported into `space` under the dump's id `source_id`, if any
    (the first imported, when several source wikis used the same id)."""
    return (
        ImportedRevision.objects.filter(space=space, source_id=source_id)
        .order_by("pk")
        .values_list("revision_id", flat=True)
        .first()
    )
