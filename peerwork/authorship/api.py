"""REST endpoints of authorship: who wrote each token of a page's text, and each share."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from peerwork.spaces.selectors import space_get_visible

from . import selectors

router = Router(tags=["authorship"])


class AuthorOut(Schema):
    username: str = Field(..., description="The account, or the imported name without one.")
    name: str
    registered: bool = Field(..., description="Whether the author has an account here.")
    tokens: int
    percent: float


class AuthoredTokenOut(Schema):
    token: str = Field(..., description="As written in the revision's text.")
    revision: int = Field(..., description="The revision that first added this token.")
    author: str = Field(..., description="Who saved that revision.")


class AuthorshipOut(Schema):
    page: str
    revision: int
    token_count: int
    authors: list[AuthorOut] = Field(..., description="Each person's share, largest first.")
    tokens: list[AuthoredTokenOut]


def authorship_out(result: selectors.Authorship) -> dict[str, Any]:
    return {
        "page": str(result.page),
        "revision": result.revision.pk,
        "token_count": result.token_count,
        "authors": [
            {
                "username": author.username,
                "name": author.name,
                "registered": author.user_id is not None,
                "tokens": author.tokens,
                "percent": author.percent,
            }
            for author in result.authors
        ],
        "tokens": [
            {"token": token.text, "revision": token.revision_id, "author": token.author.username}
            for token in result.tokens
        ],
    }


@router.get(
    "/spaces/{slug}/authorship/{path:title}",
    response=AuthorshipOut,
    summary="Who wrote each token of a page",
)
def page_authorship(
    request: HttpRequest, slug: str, title: str, revision: int | None = None
) -> Any:
    """The current revision's tokens, or those of `?revision=ID` (a revision of this page),
    each with the revision that added it and its author; and each author's share."""
    space = space_get_visible(user=request.user, slug=slug)
    return authorship_out(
        selectors.authorship_of(user=request.user, space=space, title=title, revision_id=revision)
    )
