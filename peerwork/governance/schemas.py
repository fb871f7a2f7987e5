"""One serialization of a proposal, shared by the API and the open data dump."""

from __future__ import annotations

from typing import Any

from .models import Proposal


def option_fields(option: Any) -> dict[str, Any]:
    return {
        "key": option.key,
        "label": option.label,
        "description": option.description,
        "cost": option.cost,
    }


def proposal_fields(proposal: Proposal) -> dict[str, Any]:
    return {
        "id": proposal.pk,
        "space": proposal.space.slug,
        "title": proposal.title,
        "body": proposal.body,
        "created_by": proposal.created_by.username,
        "method": proposal.method,
        "settings": proposal.settings,
        "options": [option_fields(o) for o in proposal.options.all()],
        "tags": proposal.tags,
        "opens_at": proposal.opens_at,
        "closes_at": proposal.closes_at,
        "quorum_percent": proposal.quorum_percent,
        "eligibility": proposal.eligibility,
        "secret": proposal.secret,
        "live_results": proposal.live_results,
        "state": proposal.state,
        "phase": proposal.phase,
        "changes": proposal.changes,
        "execution": proposal.execution,
        "execution_log": proposal.execution_log,
        "outcome": proposal.outcome,
        "created_at": proposal.created_at,
        "closed_at": proposal.closed_at,
        "cancelled_at": proposal.cancelled_at,
    }
