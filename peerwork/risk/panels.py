"""The edit-risk panel of a space's settings page: what holding does now, measured."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .selectors import risk_status


def settings_panel(request: HttpRequest, space: Any) -> dict[str, Any] | None:
    status = risk_status(user=request.user, space=space)
    metrics = status.metrics or {}
    held_out = metrics.get("precision"), metrics.get("recall")
    return {
        "status": status,
        "precision_percent": round(status.precision * 100)
        if status.precision is not None
        else None,
        "model_precision": round(held_out[0] * 100) if held_out[0] is not None else None,
        "model_recall": round(held_out[1] * 100) if held_out[1] is not None else None,
    }
