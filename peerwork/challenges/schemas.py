"""What a challenge, its submissions and its awards say about themselves, written once for the
REST API and the open-data dump."""

from __future__ import annotations

from typing import Any

from .models import Award, Challenge, Submission


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


def submission_fields(
    submission: Submission, *, content: bool, private_score: bool
) -> dict[str, Any]:
    """The facts of a submission for a reader who may see it.

    What the reader may not see is null: the description and the file's name without
    `content` (`challenge.submission.content`), the private score without `private_score`
    (`challenge.submission.score`); the API asks the policy for its reader, the dump passes
    what anyone who may read the space may see. The API adds the submitter, the team with its
    pending invitations, the final pick, the file itself and the reader's own scores; the dump
    adds the team's accepted members.
    """
    return {
        "id": submission.pk,
        "challenge": submission.challenge_id,
        "title": submission.title,
        "submitted_at": submission.submitted_at,
        "description": submission.description if content else None,
        "file_name": (submission.file_name or None) if content else None,
        "public_score": submission.public_score,
        "private_score": submission.private_score if private_score else None,
    }


def award_fields(award: Award) -> dict[str, Any]:
    """A prize awarded: the place, the submission and the amount in the challenge's currency.

    Each side adds the shares as its readers use them: the API a list of people and amounts
    (and the submission's title), the dump a map from username to amount (and the challenge).
    """
    return {
        "place": award.place,
        "submission": award.submission_id,
        "amount": award.amount,
        "currency": award.challenge.currency,
    }
