"""The challenges section of a space's open data dump (peerwork/interop/dumps/jsonl.py).

Only what anyone who may read the space may see: the challenges and, once judged, the results
and the submissions whose IP terms make them open. Sealed submissions and hidden answers
never appear.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Prefetch

from .models import Award, Challenge, Submission
from .policy import is_open_content, is_score_revealed
from .schemas import award_fields, challenge_terms, submission_fields


def records(space: Any) -> Iterator[dict[str, Any]]:
    challenges = (
        Challenge.objects.filter(space=space)
        .select_related("posted_by", "organization")
        .prefetch_related(
            "criteria",
            # Every challenge's awards and entries in one query each per chunk, not per challenge.
            Prefetch("awards", queryset=Award.objects.prefetch_related("shares__user")),
            Prefetch("submissions", queryset=Submission.objects.prefetch_related("members__user")),
        )
        .order_by("pk")
    )
    for challenge in challenges.iterator(chunk_size=200):
        yield {
            "type": "challenge",
            **challenge_terms(challenge),
            "seeker": challenge.organization.slug
            if challenge.organization
            else challenge.posted_by.username,
            "metric": challenge.metric or None,
        }
        if not challenge.is_judged:
            continue
        for award in challenge.awards.all():
            yield {
                "type": "challenge_award",
                "challenge": challenge.pk,
                **award_fields(award),
                "shares": {share.user.username: share.amount for share in award.shares.all()},
            }
        if not is_open_content(challenge):
            continue
        for submission in challenge.submissions.all():
            yield {
                "type": "challenge_submission",
                **submission_fields(
                    submission, content=True, private_score=is_score_revealed(challenge)
                ),
                "team": [
                    m.user.username for m in submission.members.all() if m.accepted_at is not None
                ],
            }
