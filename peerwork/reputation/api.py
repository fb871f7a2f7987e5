"""REST endpoints of reputation: a person's standing in a space, and a steward's grants."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from peerwork.accounts.selectors import user_get_visible
from peerwork.core.api import Input
from peerwork.spaces.selectors import space_get_visible

from . import actions, selectors

router = Router(tags=["reputation"])


class ReputationEntryOut(Schema):
    rule: str
    amount: int
    base: int
    day: date | None
    reversed_reason: str
    event: int
    verb: str


class GrantOut(Schema):
    privilege: str
    allowed: bool
    level: int | None
    reason: str


class ReputationOut(Schema):
    username: str
    total: int
    trust_level: int
    privileges: list[str]
    next_privilege: str | None
    points_needed: int
    entries: list[ReputationEntryOut]
    grants: list[GrantOut]


class GrantIn(Input):
    privilege: str = Field(..., max_length=32, description="A privilege, or 'level'.")
    allowed: bool | None = Field(..., description="Grant, withhold, or null to take back.")
    level: int | None = Field(None, ge=0, le=3)
    reason: str = Field(..., min_length=1, max_length=500)


def _out(request: HttpRequest, slug: str, username: str) -> dict[str, Any]:
    space = space_get_visible(user=request.user, slug=slug)
    person = user_get_visible(viewer=request.user, username=username)
    summary = selectors.reputation_summary(viewer=request.user, space=space, person=person)
    return {
        "username": person.username,
        "total": summary.total,
        "trust_level": summary.level,
        "privileges": summary.privileges,
        "next_privilege": summary.next_privilege,
        "points_needed": summary.points_needed,
        "entries": [
            {
                "rule": e.rule,
                "amount": e.amount,
                "base": e.base,
                "day": e.day,
                "reversed_reason": e.reversed_reason,
                "event": e.event_id,
                "verb": e.event.verb,
            }
            for e in summary.entries
        ],
        "grants": [
            {"privilege": g.privilege, "allowed": g.allowed, "level": g.level, "reason": g.reason}
            for g in summary.grants
        ],
    }


@router.get(
    "/spaces/{slug}/people/{username}/reputation",
    response=ReputationOut,
    summary="A person's reputation in a space: total, trust level, privileges, recent entries",
)
def get_reputation(request: HttpRequest, slug: str, username: str) -> Any:
    return _out(request, slug, username)


@router.post(
    "/spaces/{slug}/people/{username}/reputation/grants",
    response=ReputationOut,
    summary="Grant, withhold or take back a privilege or trust level (stewards)",
)
def grant(request: HttpRequest, slug: str, username: str, payload: GrantIn) -> Any:
    space = space_get_visible(user=request.user, slug=slug)
    person = user_get_visible(viewer=request.user, username=username)
    actions.privilege_grant(user=request.user, space=space, person=person, **payload.model_dump())
    return _out(request, slug, username)
