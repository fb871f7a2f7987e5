"""What a challenge says about itself, written once for the REST API and the open-data dump."""

from __future__ import annotations

from typing import Any

from .models import Challenge


def challenge_terms(challenge: Challenge) -> dict[str, Any]:
    """The public terms of a challenge: what anyone who may read its space may see.

    The API adds what depends on the reader (may they submit, are they watching) and the
    dump adds the seeker as one name; both start from these keys, so they cannot drift.
    """
    return {
        "id": challenge.pk,
        "title": challenge.title,
        "statement": challenge.statement,
        "kind": challenge.kind,
        "state": challenge.state,
        "currency": challenge.currency,
        "prize_pool": challenge.prize_pool,
        "prize_split": challenge.prize_split,
        "opens_at": challenge.opens_at,
        "closes_at": challenge.closes_at,
        "ip_terms": challenge.ip_terms,
        "eligibility": challenge.eligibility,
        "criteria": [{"name": c.name, "weight": c.weight} for c in challenge.criteria.all()],
        "awarded_at": challenge.awarded_at,
    }
