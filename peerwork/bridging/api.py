"""REST endpoints of bridging: rate a thing, read bridged scores and an idea's audit, and the
stewards' coordinated groups."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import ConfigDict, Field

from peerwork.core.api import Input
from peerwork.core.errors import NotFound
from peerwork.ideas import selectors as idea_selectors
from peerwork.spaces.selectors import space_get_visible

from . import actions, selectors
from .kinds import kind_named, resolve

router = Router(tags=["bridging"])


class RatingIn(Input):
    value: Literal["helpful", "not_helpful", "none"] = Field(
        ..., description="'none' takes one's rating back."
    )


class RatingOut(Schema):
    kind: str
    object_id: int
    value: str


class BridgedScoreOut(Schema):
    kind: str
    object_id: int
    score: float = Field(
        ..., description="The item intercept: high only with support across viewpoints."
    )
    factor: float = Field(..., description="Its place on the viewpoint axis.")
    ratings: int
    why: str = Field(..., description="across, one_side, unclear or few")
    why_text: str


class ScoreParams(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: str = Field("idea", max_length=32)


class DiscountReasonOut(Schema):
    reason: str = Field(..., description="coordinated or one_viewpoint")
    text: str
    numbers: dict[str, float]


class DiscountedSupportOut(Schema):
    support_id: int
    username: str | None = Field(
        ..., description="Only for stewards and for one's own support; who supported is private."
    )
    weight: float
    discount: float
    side: int
    reasons: list[DiscountReasonOut]


class SupportAuditOut(Schema):
    counting: str
    supporters: int
    counted: float
    discounted: list[DiscountedSupportOut]


class CoordinatedPairOut(Schema):
    a: str
    b: str
    jaccard: float
    times: list[list[Any]] = Field(..., description="[kind, object id, a's time, b's time]")


class CoordinatedGroupOut(Schema):
    id: int
    members: list[str]
    items: list[list[Any]]
    pairs: list[CoordinatedPairOut]
    found_at: Any
    checked_at: Any
    ended_at: Any | None


@router.post(
    "/spaces/{slug}/ratings/{rated_kind}/{rated_id}",
    response=RatingOut,
    summary="Rate a comment or an idea helpful or not helpful, or take the rating back",
)
def rate(request: HttpRequest, slug: str, rated_kind: str, rated_id: int, payload: RatingIn) -> Any:
    kind, object_id = rated_kind, rated_id
    space = space_get_visible(user=request.user, slug=slug)
    obj = resolve(kind, object_id)
    if kind_named(kind).space_of(obj).pk != space.pk:
        raise NotFound()
    rating = actions.rating_set(user=request.user, obj=obj, value=payload.value)
    value = "none" if rating is None else ("helpful" if rating.is_helpful else "not_helpful")
    return {"kind": kind, "object_id": object_id, "value": value}


@router.get(
    "/spaces/{slug}/bridging/scores",
    response=list[BridgedScoreOut],
    summary="Bridged scores of a kind (idea, comment) as of the last fit, best first, with why",
)
def scores(request: HttpRequest, slug: str, params: Query[ScoreParams]) -> Any:
    space = space_get_visible(user=request.user, slug=slug)
    kind = kind_named(params.kind)
    found = []
    for row in selectors.scores_visible(user=request.user, space=space, kind=kind):
        why = selectors.why_of(row.intercept, row.factor, row.ratings)
        found.append(
            {
                "kind": row.kind,
                "object_id": row.object_id,
                "score": round(row.intercept, 4),
                "factor": round(row.factor, 4),
                "ratings": row.ratings,
                "why": why,
                "why_text": str(selectors.WHY[why]),
            }
        )
    return found


@router.get(
    "/spaces/{slug}/ideas/{idea_id}/supports/audit",
    response=SupportAuditOut,
    summary="How an idea's milestone counts its supports: every discounted one, by how much, why",
)
def audit(request: HttpRequest, slug: str, idea_id: int) -> Any:
    space = space_get_visible(user=request.user, slug=slug)
    idea = idea_selectors.idea_get_visible(user=request.user, space=space, idea_id=idea_id)
    found = selectors.idea_audit(user=request.user, idea=idea)
    return {
        "counting": found.counting,
        "supporters": found.total,
        "counted": found.counted,
        "discounted": [
            {
                "support_id": support.pk,
                "username": support.user.username if support.user_id in found.named else None,
                "weight": round(one.weight, 4),
                "discount": round(one.discount, 4),
                "side": one.side,
                "reasons": [
                    {
                        "reason": reason,
                        "text": selectors.reason_text(reason, numbers),
                        "numbers": numbers,
                    }
                    for reason, numbers in one.reasons
                ],
            }
            for support, one in found.discounted
        ],
    }


def _groups_out(groups: list[Any]) -> list[dict[str, Any]]:
    names = {pk: user.username for pk, user in selectors.people_of(groups).items()}
    return [
        {
            "id": group.pk,
            "members": [names.get(member, "") for member in group.members],
            "items": group.items,
            "pairs": [
                {
                    "a": names.get(pair["a"], ""),
                    "b": names.get(pair["b"], ""),
                    "jaccard": pair["jaccard"],
                    "times": pair["times"],
                }
                for pair in group.evidence
            ],
            "found_at": group.found_at,
            "checked_at": group.checked_at,
            "ended_at": group.ended_at,
        }
        for group in groups
    ]


@router.get(
    "/spaces/{slug}/coordination",
    response=list[CoordinatedGroupOut],
    summary="Standing coordinated groups with their evidence (stewards)",
)
def coordination(request: HttpRequest, slug: str) -> Any:
    space = space_get_visible(user=request.user, slug=slug)
    return _groups_out(list(selectors.groups_listed(user=request.user, space=space)))


@router.post(
    "/spaces/{slug}/coordination/check",
    response=list[CoordinatedGroupOut],
    summary="Refit the viewpoints and look for coordinated groups now (stewards)",
)
def coordination_check(request: HttpRequest, slug: str) -> Any:
    space = space_get_visible(user=request.user, slug=slug)
    actions.space_refit(user=request.user, space=space)
    return _groups_out(actions.coordination_check(user=request.user, space=space))
