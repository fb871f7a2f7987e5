"""REST endpoints of the assist service: similar work, related work, suggestions."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import ConfigDict, Field

from peerwork.spaces.selectors import space_get_visible

from . import service

router = Router(tags=["assist"])

KIND_HELP = "Comma-separated kinds (idea, challenge, task, proposal, page); all when empty."


class AssistSimilarParams(Schema):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(..., min_length=1, max_length=service.MAX_QUERY)
    kinds: str = Field("", max_length=200, description=KIND_HELP)
    limit: int = Field(5, ge=1, le=20)


class AssistRelatedParams(Schema):
    model_config = ConfigDict(extra="forbid")

    kinds: str = Field("", max_length=200, description=KIND_HELP)
    limit: int = Field(5, ge=1, le=20)


class AssistMatchOut(Schema):
    kind: str
    id: int
    title: str
    url: str
    score: float = Field(..., description="0.6 × meaning + 0.4 × words, in [0, 1].")
    semantic: float = Field(..., description="Cosine of the embeddings.")
    lexical: float = Field(..., description="The better of TF-IDF cosine and title overlap.")
    shared_words: list[str]
    same_title_words: list[str]
    reasons: list[str]


class AssistTaskSuggestionOut(Schema):
    id: int
    title: str
    url: str
    score: float
    reasons: list[str]


class AssistReviewerOut(Schema):
    username: str
    name: str
    score: float
    reasons: list[str]


def _kinds(value: str) -> list[str] | None:
    names = [name.strip() for name in value.split(",") if name.strip()]
    return names or None


def match_out(match: service.Match) -> dict[str, Any]:
    return {
        "kind": match.kind,
        "id": match.object_id,
        "title": match.title,
        "url": match.url,
        "score": match.score,
        "semantic": match.semantic,
        "lexical": match.lexical,
        "shared_words": match.shared_words,
        "same_title_words": match.same_title_words,
        "reasons": match.reasons,
    }


@router.get(
    "/spaces/{slug}/similar",
    response=list[AssistMatchOut],
    summary="Work in the space like this text (duplicates while typing), each with why",
)
def similar(request: HttpRequest, slug: str, params: Query[AssistSimilarParams]) -> Any:
    space = space_get_visible(user=request.user, slug=slug)
    found = service.similar(
        user=request.user,
        space=space,
        query=params.text,
        kinds=_kinds(params.kinds),
        limit=params.limit,
    )
    return [match_out(match) for match in found]


@router.get(
    "/spaces/{slug}/related/{object_type}/{object_id}",
    response=list[AssistMatchOut],
    summary="Work like this object (a kind such as 'page' or a type such as 'wiki.page')",
)
def related(
    request: HttpRequest,
    slug: str,
    object_type: str,
    object_id: int,
    params: Query[AssistRelatedParams],
) -> Any:
    space = space_get_visible(user=request.user, slug=slug)
    found = service.related(
        user=request.user,
        space=space,
        kind=object_type,
        object_id=object_id,
        kinds=_kinds(params.kinds),
        limit=params.limit,
    )
    return [match_out(match) for match in found]


@router.get(
    "/spaces/{slug}/suggestions/tasks",
    response=list[AssistTaskSuggestionOut],
    summary="Open tasks for me: skills, languages and past work, each with why",
)
def tasks_for_me(request: HttpRequest, slug: str, limit: int = Query(5, ge=1, le=50)) -> Any:
    space = space_get_visible(user=request.user, slug=slug)
    return [
        {
            "id": s.task.pk,
            "title": s.task.title,
            "url": f"/s/{space.slug}/tasks/{s.task.pk}/",
            "score": float(s.score),
            "reasons": [str(reason) for reason in s.reasons],
        }
        for s in service.tasks_for(user=request.user, space=space, limit=limit)
    ]


@router.get(
    "/spaces/{slug}/suggestions/reviewers/{object_type}/{object_id}",
    response=list[AssistReviewerOut],
    summary="People who may review this task or idea, by skills and past work, each with why",
)
def reviewers(request: HttpRequest, slug: str, object_type: str, object_id: int) -> Any:
    space = space_get_visible(user=request.user, slug=slug)
    return [
        {
            "username": s.person.username,
            "name": s.person.name,
            "score": s.score,
            "reasons": s.reasons,
        }
        for s in service.reviewers_for(
            user=request.user, space=space, kind=object_type, object_id=object_id
        )
    ]
