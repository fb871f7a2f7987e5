"""prop=authorship: who wrote each token of each page's current text (a peerwork module).

Each page of the page set (pages the viewer may see) gets `authorship`: the revision it
describes, each token with the revision that first added it and that revision's author, and
each author's share, from the same selector as the authorship page and the REST API.
"""

from __future__ import annotations

from typing import Any

from peerwork.authorship import selectors

from ..context import Ctx
from .pages import PROP_MODULES, PageSet


def prop_authorship(ctx: Ctx, pageset: PageSet, cont: dict[str, Any]) -> None:
    for entry in pageset.existing:
        assert entry.page is not None
        result = selectors.authorship_of_page(user=ctx.user, page=entry.page)
        if result is None:
            continue
        entry.extra["authorship"] = {
            "revid": result.revision.pk,
            "tokens": [
                {"str": token.text, "revid": token.revision_id, "user": token.author.username}
                for token in result.tokens
            ],
            "authors": [
                {"user": author.username, "tokens": author.tokens, "percent": author.percent}
                for author in result.authors
            ],
        }


# Registered where it is defined, as prop=links is.
PROP_MODULES["authorship"] = prop_authorship
