"""prop=authorship: who wrote each token of each page's current text (a peerwork module).

Each page of the page set (pages the viewer may see), one per request, gets `authorship`: the
revision it describes, each token with the revision that first added it and that revision's
author, and each author's share, from the same selector as the authorship page and the REST
API.
"""

from __future__ import annotations

from typing import Any

from peerwork.authorship import selectors

from ..context import Ctx
from ..errors import bad_value
from .pages import PROP_MODULES, PageSet


def prop_authorship(ctx: Ctx, pageset: PageSet, cont: dict[str, Any]) -> None:
    """One page per request (its tokens can be many): the page set's pages in id order, from
    `aucontinue` on, the next one named in `aucontinue` as MediaWiki continues a prop."""
    pages = sorted(
        (entry for entry in pageset.existing if entry.page is not None),
        key=lambda entry: entry.page.pk if entry.page is not None else 0,
    )
    raw = ctx.params.text("aucontinue")
    if raw:
        if not raw.isdigit():
            raise bad_value("aucontinue", raw)
        pages = [entry for entry in pages if entry.page is not None and entry.page.pk >= int(raw)]
    if not pages:
        return
    entry = pages[0]
    assert entry.page is not None
    if len(pages) > 1 and pages[1].page is not None:
        cont["aucontinue"] = str(pages[1].page.pk)
    result = selectors.authorship_of_page(user=ctx.user, page=entry.page)
    if result is None:
        return
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
