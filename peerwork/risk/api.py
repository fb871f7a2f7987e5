"""The REST face of edit risk: the space's settings, model and measured precision."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from peerwork.spaces.selectors import space_get_visible

from . import actions, selectors

router = Router(tags=["edit risk"])


class RiskStatusOut(Schema):
    hold_risky_edits: bool
    threshold_percent: int
    #: "space": trained on the space's own history; "default": the shipped model.
    model: str
    trained_at: datetime | None
    samples: int
    positives: int
    #: Precision and recall on the held-out fifth of the history the model learned from.
    metrics: dict[str, Any]
    #: Held edits that patrollers released and rejected, and the share rejected (null: none).
    released: int
    rejected: int
    precision: float | None


def _out(status: selectors.RiskStatus) -> dict[str, Any]:
    return {**status.__dict__, "precision": status.precision}


@router.get("/spaces/{slug}/risk", response=RiskStatusOut, summary="Edit risk: settings, model")
def risk_status(request: HttpRequest, slug: str) -> Any:
    space = space_get_visible(user=request.user, slug=slug)
    return _out(selectors.risk_status(user=request.user, space=space))


@router.post(
    "/spaces/{slug}/risk/train",
    response=RiskStatusOut,
    summary="Train the space's edit-risk model on its history (stewards)",
)
def risk_train(request: HttpRequest, slug: str) -> Any:
    space = space_get_visible(user=request.user, slug=slug)
    actions.risk_train(user=request.user, space=space)
    return _out(selectors.risk_status(user=request.user, space=space))
