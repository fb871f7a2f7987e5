"""Reads of challenges, already filtered by what the viewer may see.

Every list of submissions goes through `submissions_visible`, so sealing has one door: before
the challenge is judged a viewer gets only the submissions of their own team (or invitations
to one), and judges (and site administrators) get all of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from peerwork.accounts.models import User
from peerwork.activity import watching
from peerwork.core import policy
from peerwork.core.errors import NotFound
from peerwork.ledger.models import Account, AccountKind, Payout

from . import prizes
from .models import Award, Challenge, Score, Submission, SubmissionMember
from .policy import is_score_revealed


def challenges_of_space(*, user: Any, space: Any) -> QuerySet[Challenge]:
    """With what each row shows counted in the same query (`submissions_total`,
    `viewer_watching`) and its judges prefetched, so a list costs no query per challenge."""
    policy.require(user, "space.view", space)
    totals = (
        Submission.objects.filter(challenge=OuterRef("pk"))
        .order_by()
        .values("challenge")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return (
        Challenge.objects.filter(space=space)
        .select_related("space", "posted_by", "organization", "truth")
        .prefetch_related("criteria", "judges__user")
        .annotate(
            submissions_total=Coalesce(Subquery(totals, output_field=IntegerField()), Value(0)),
            viewer_watching=watching.watching_exists(user, Challenge),
        )
    )


def challenge_get_visible(*, user: Any, challenge_id: int, space: Any = None) -> Challenge:
    challenge = (
        Challenge.objects.select_related("space", "posted_by", "organization")
        .filter(pk=challenge_id)
        .first()
    )
    if challenge is None or (space is not None and challenge.space_id != space.pk):
        raise NotFound()
    policy.require(user, "challenge.view", challenge)
    return challenge


def sees_all_submissions(user: Any, challenge: Challenge) -> bool:
    return policy.can(user, "challenge.submissions.view", challenge)


def submissions_visible(*, user: Any, challenge: Challenge) -> QuerySet[Submission]:
    policy.require(user, "challenge.view", challenge)
    viewer_id = user.pk if policy.signed_in(user) else None
    submissions = challenge.submissions.select_related(
        "submitted_by", "challenge__space"
    ).prefetch_related(
        # What each row shows (its team, the viewer's own scores), fetched once for the list.
        Prefetch("members", queryset=SubmissionMember.objects.select_related("user")),
        Prefetch(
            "scores",
            queryset=Score.objects.filter(judge=viewer_id).select_related("criterion"),
            to_attr="viewer_scores",
        ),
    )
    if sees_all_submissions(user, challenge):
        return submissions
    return policy.filter(user, "challenge.submission.view", submissions)


def submission_get_visible(*, user: Any, submission_id: int) -> Submission:
    submission = (
        Submission.objects.select_related("challenge__space", "submitted_by")
        .filter(pk=submission_id)
        .first()
    )
    if submission is None:
        raise NotFound()
    policy.require(user, "challenge.submission.view", submission)
    return submission


def submission_count(*, user: Any, challenge: Challenge) -> int | None:
    """How many submissions there are, for those allowed to know: the seeker, the judges,
    site administrators, and everyone once judged (docs/challenges.md)."""
    if policy.can(user, "challenge.submissions.count", challenge):
        counted = getattr(challenge, "submissions_total", None)  # from challenges_of_space
        return counted if counted is not None else challenge.submissions.count()
    return None


def is_watching(*, user: Any, challenge: Challenge) -> bool:
    if not policy.signed_in(user):
        return False
    annotated = getattr(challenge, "viewer_watching", None)  # from challenges_of_space
    if annotated is not None:
        return bool(annotated)
    return watching.is_watching(user, challenge)


def judged_scores(*, user: Any, submission: Submission) -> dict[str, int]:
    """The viewer's own scores of a submission, by criterion name."""
    if not policy.signed_in(user):
        return {}
    prefetched = getattr(submission, "viewer_scores", None)  # from submissions_visible
    if prefetched is not None and all(score.judge_id == user.pk for score in prefetched):
        return {score.criterion.name: score.value for score in prefetched}
    return dict(submission.scores.filter(judge=user).values_list("criterion__name", "value"))


def truth_get(*, user: Any, challenge: Challenge) -> Any:
    """The hidden answers: the seeker's alone (and site administrators')."""
    policy.require(user, "challenge.update", challenge)
    truth = getattr(challenge, "truth", None) if challenge.is_scored else None
    if truth is None:
        raise NotFound()
    return truth


def invitations(*, user: Any, challenge: Challenge) -> QuerySet[Submission]:
    """Teams of this challenge that invited the viewer and wait for an answer."""
    if not policy.signed_in(user):
        return Submission.objects.none()
    return challenge.submissions.filter(
        members__user=user, members__accepted_at__isnull=True
    ).select_related("submitted_by")


def team(submission: Submission) -> list[dict[str, Any]]:
    prefetched = "members" in getattr(submission, "_prefetched_objects_cache", {})
    members = submission.members.all() if prefetched else submission.members.select_related("user")
    return [
        {"username": member.user.username, "accepted": member.accepted_at is not None}
        for member in members
    ]


def awards(*, user: Any, challenge: Challenge) -> QuerySet[Award]:
    policy.require(user, "challenge.view", challenge)
    return challenge.awards.select_related("submission").prefetch_related("shares__user")


@dataclass(frozen=True)
class LeaderboardRow:
    rank: int
    solver: str
    submission_id: int
    public_score: float | None
    private_score: float | None
    entries: int
    submitted_at: datetime
    is_viewer: bool


def leaderboard(*, user: Any, challenge: Challenge) -> tuple[list[LeaderboardRow], bool]:
    """(rows, final): one row per solver with their best public score while open, or the
    private ranking once closed (final). Sealed: before the close the viewer sees only their
    own row unless the challenge shows its leaderboard publicly or the viewer is a judge."""
    from . import actions, scoring

    policy.require(user, "challenge.view", challenge)
    if not challenge.is_scored:
        return [], False
    submissions = list(challenge.submissions.select_related("submitted_by"))
    counts: dict[int, int] = {}
    for submission in submissions:
        counts[submission.submitted_by_id] = counts.get(submission.submitted_by_id, 0) + 1
    viewer_id = user.pk if policy.signed_in(user) else None
    # The private ranking, and the private scores on it, once the policy reveals them.
    final = is_score_revealed(challenge)
    if final:
        ranked = [s for s, _score in actions.ranking(challenge)]
    else:
        higher = scoring.METRICS[challenge.metric].higher_is_better
        by_id = {s.pk: s for s in submissions}
        best: dict[int, Submission] = {}
        for entry in prizes.rank(
            [prizes.Entry(s.pk, s.public_score, s.submitted_at) for s in submissions],
            higher_is_better=higher,
        ):
            chosen = by_id[entry.key]
            best.setdefault(chosen.submitted_by_id, chosen)
        ranked = list(best.values())
        if not (challenge.leaderboard_public or sees_all_submissions(user, challenge)):
            ranked = [s for s in ranked if s.submitted_by_id == viewer_id]
    rows = [
        LeaderboardRow(
            rank=index + 1,
            solver=s.submitted_by.username,
            submission_id=s.pk,
            public_score=s.public_score,
            private_score=s.private_score if final else None,
            entries=counts[s.submitted_by_id],
            submitted_at=s.submitted_at,
            is_viewer=s.submitted_by_id == viewer_id,
        )
        for index, s in enumerate(ranked)
    ]
    if not final and not (challenge.leaderboard_public or sees_all_submissions(user, challenge)):
        # Alone on the board, a solver's rank would say how many others are ahead: hide it.
        rows = [
            LeaderboardRow(
                0, r.solver, r.submission_id, r.public_score, None, r.entries, r.submitted_at, True
            )
            for r in rows
        ]
    return rows, final


def my_submissions(*, user: Any, challenge: Challenge) -> QuerySet[Submission]:
    if not policy.signed_in(user):
        return Submission.objects.none()
    return challenge.submissions.filter(Q(members__user=user)).distinct().order_by("-id")


@dataclass(frozen=True)
class PrizeMoney:
    """Where a challenge's prize money is: still set aside, or paid (or awaiting approval)."""

    reserved: int
    payout: Payout | None

    @property
    def awaiting(self) -> bool:
        return self.payout is not None and self.payout.state == Payout.State.AWAITING


def prize_money(*, user: Any, challenge: Challenge) -> PrizeMoney:
    """The ledger's public facts about the prize: every amount of a space's ledger is open."""
    policy.require(user, "challenge.view", challenge)
    subject = f"challenges.challenge:{challenge.pk}"
    if challenge.withdrawn_at is not None:
        return PrizeMoney(0, None)  # withdrawing gave the pool back
    if challenge.awarded_at is not None:  # the award paid the prizes and gave the rest back
        payout = (
            Payout.objects.filter(space_id=challenge.space_id, subject=subject, kind="prize")
            .order_by("id")
            .first()
        )
        return PrizeMoney(0, payout)
    reserved = (
        Account.objects.filter(
            space_id=challenge.space_id,
            kind=AccountKind.RESERVE,
            subject=subject,
            currency=challenge.currency,
        )
        .values_list("balance", flat=True)
        .first()
    )
    return PrizeMoney(reserved or 0, None)


def judge_candidates(*, space: Any, judges: Any = ()) -> list[User]:
    """Whom a challenge's judges are picked from on its page: the space's members (people, and
    the people of its member organizations) and whoever judges it already, by display name."""
    people = (
        User.objects.filter(is_active=True)
        .filter(
            Q(space_memberships__space=space)
            | Q(
                organization_memberships__organization__space_memberships__space=space,
            )
            | Q(pk__in=[judge.pk for judge in judges])
        )
        .distinct()
        .only("id", "username", "display_name")
    )
    return sorted(people, key=lambda person: (person.name.casefold(), person.username))
