"""Permission rules of challenges, registered with the one policy in peerwork.core.policy.

The table is docs/permissions/challenges.md. Sealing lives here: until a challenge is judged a
submission is seen only by its team, its invitees and the judges (and site administrators);
to everyone else it answers exactly as a submission that does not exist.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from peerwork.accounts.models import OrganizationMembership
from peerwork.core import policy
from peerwork.core.policy import can, rule, scope, signed_in
from peerwork.reputation.privileges import has_privilege
from peerwork.spaces.models import Space
from peerwork.spaces.selectors import space_role

from .models import Challenge, IpTerms, Judge, Kind, Submission, SubmissionMember
from .policy_schema import challenges_policy


def is_seeker(user: Any, challenge: Challenge) -> bool:
    """The poster, or an admin of the organization that is the seeker."""
    if not signed_in(user):
        return False
    if challenge.organization_id is None:
        return challenge.posted_by_id == user.pk
    return OrganizationMembership.objects.filter(
        organization_id=challenge.organization_id,
        user=user,
        role=OrganizationMembership.Role.ADMIN,
    ).exists()


def is_judge(user: Any, challenge: Challenge) -> bool:
    if not signed_in(user):
        return False
    cache = user.__dict__.setdefault("_challenge_judge", {})
    if challenge.pk not in cache:
        prefetched = getattr(challenge, "_prefetched_objects_cache", {}).get("judges")
        cache[challenge.pk] = (
            any(judge.user_id == user.pk for judge in prefetched)
            if prefetched is not None  # a list's rows carry their judges
            else challenge.judges.filter(user=user).exists()
        )
    return bool(cache[challenge.pk])


def is_team_member(user: Any, submission: Submission, *, pending: bool = False) -> bool:
    """On the submission's team (accepted), or also merely invited when `pending`."""
    if not signed_in(user):
        return False
    prefetched = getattr(submission, "_prefetched_objects_cache", {}).get("members")
    if prefetched is not None:  # a list's rows carry their teams
        return any(
            m.user_id == user.pk and (pending or m.accepted_at is not None) for m in prefetched
        )
    members = submission.members.filter(user=user)
    if not pending:
        members = members.filter(accepted_at__isnull=False)
    return members.exists()


def may_post(user: Any, space: Any) -> bool:
    needed = challenges_policy(space).post_privilege
    if not signed_in(user) or not can(user, "space.contribute", space):
        return False
    if needed == "contributor":
        return True
    role = space_role(user, space)
    if needed == "steward":
        return role == "steward"
    # Points unlock what the policy gives members (docs/reputation.md), never a steward's gate.
    return role in {"member", "steward"} or has_privilege(user, space, "post_challenges")


def is_open_content(challenge: Challenge) -> bool:
    """Whether anyone who may read the space may read the submissions' content (and the open
    data dump carries them): once judged, under open IP terms."""
    return challenge.is_judged and challenge.ip_terms == IpTerms.OPEN


def is_score_revealed(challenge: Challenge) -> bool:
    """Whether the private part of the scores may be told: once the challenge is judged. Until
    then it is told to nobody, so no solver can tune their predictions against it."""
    return challenge.is_judged


def judged(prefix: str = "") -> Q:
    """`Challenge.is_judged` as a condition on challenges (or on `prefix`, e.g. "challenge__")."""
    now = timezone.now()
    scored_and_closed = Q(
        **{f"{prefix}kind": Kind.SCORED, f"{prefix}opens_at__lte": now},
        **{f"{prefix}closes_at__lte": now},
    )
    return Q(**{f"{prefix}withdrawn_at__isnull": True}) & (
        Q(**{f"{prefix}awarded_at__isnull": False}) | scored_and_closed
    )


def _judging(user: Any) -> QuerySet[Judge, Any]:
    return Judge.objects.filter(user=user).values("challenge_id")


def _teams_of(user: Any) -> QuerySet[SubmissionMember, Any]:
    """Submissions whose team has `user`, accepted or merely invited."""
    return SubmissionMember.objects.filter(user=user).values("submission_id")


@rule("challenge.view", conceals=True)
def can_view_challenge(user: Any, challenge: Challenge) -> bool:
    return can(user, "space.view", challenge.space)


@scope("challenge.view")
def challenges_viewable(user: Any, challenges: QuerySet[Challenge]) -> QuerySet[Challenge]:
    return challenges.filter(space__in=policy.filter(user, "space.view", Space.objects.all()))


@rule("challenge.submissions.view", visible_via="challenge.view")
def can_view_all_submissions(user: Any, challenge: Challenge) -> bool:
    """Every submission, not only one's own team's: once judged, or as a judge."""
    return challenge.is_judged or is_judge(user, challenge)


@scope("challenge.submissions.view")
def challenges_unsealed(user: Any, challenges: QuerySet[Challenge]) -> QuerySet[Challenge]:
    unsealed = judged()
    if signed_in(user):
        unsealed |= Q(pk__in=_judging(user))
    return challenges.filter(unsealed)


@rule("challenge.submissions.count", visible_via="challenge.view")
def can_count_submissions(user: Any, challenge: Challenge) -> bool:
    """How many submissions there are: whoever sees them all, and the seeker."""
    return can_view_all_submissions(user, challenge) or is_seeker(user, challenge)


@rule("challenge.create", visible_via="space.view")
def can_create_challenge(user: Any, space: Any) -> bool:
    return may_post(user, space)


@rule("challenge.update", visible_via="challenge.view")
def can_update_challenge(user: Any, challenge: Challenge) -> bool:
    return is_seeker(user, challenge)


@rule("challenge.submit", visible_via="challenge.view", admin_passes=False)
def can_submit(user: Any, challenge: Challenge) -> bool:
    return (
        signed_in(user)
        and can(user, "space.contribute", challenge.space)
        and not is_seeker(user, challenge)
        and not is_judge(user, challenge)
    )


@rule("challenge.watch", visible_via="challenge.view", admin_passes=False)
def can_watch_challenge(user: Any, challenge: Challenge) -> bool:
    return signed_in(user)


@rule("challenge.submission.view", conceals=True)
def can_view_submission(user: Any, submission: Submission) -> bool:
    challenge = submission.challenge
    if not can(user, "challenge.view", challenge):
        return False
    return (
        challenge.is_judged
        or is_team_member(user, submission, pending=True)
        or is_judge(user, challenge)
    )


@scope("challenge.submission.view")
def submissions_viewable(user: Any, submissions: QuerySet[Submission]) -> QuerySet[Submission]:
    visible = judged("challenge__")
    if signed_in(user):
        visible |= Q(pk__in=_teams_of(user)) | Q(challenge__in=_judging(user))
    challenges = policy.filter(user, "challenge.view", Challenge.objects.all())
    return submissions.filter(visible, challenge__in=challenges)


@rule("challenge.submission.content", visible_via="challenge.submission.view")
def can_read_content(user: Any, submission: Submission) -> bool:
    """The text and files of a submission: its team and the judges; once judged, everyone if
    the IP terms are open, else the seeker too."""
    challenge = submission.challenge
    if is_team_member(user, submission, pending=True) or is_judge(user, challenge):
        return True
    if is_open_content(challenge):
        return True
    return challenge.is_judged and is_seeker(user, challenge)


@rule("challenge.submission.score", visible_via="challenge.submission.view", admin_passes=False)
def can_see_private_score(user: Any, submission: Submission) -> bool:
    """The private score of a submission: whoever sees the submission, once the scores are
    revealed. Site administrators wait like everyone else: they may submit too."""
    return is_score_revealed(submission.challenge)


@scope("challenge.submission.score")
def submissions_scores_revealed(
    user: Any, submissions: QuerySet[Submission]
) -> QuerySet[Submission]:
    return submissions.filter(judged("challenge__"))


@rule("challenge.submission.update", visible_via="challenge.submission.view", admin_passes=False)
def can_update_submission(user: Any, submission: Submission) -> bool:
    return signed_in(user) and submission.submitted_by_id == user.pk


@rule("challenge.submission.join", visible_via="challenge.submission.view", admin_passes=False)
def can_join_submission(user: Any, submission: Submission) -> bool:
    return (
        signed_in(user) and submission.members.filter(user=user, accepted_at__isnull=True).exists()
    )


@rule("challenge.submission.judge", visible_via="challenge.submission.view", admin_passes=False)
def can_judge_submission(user: Any, submission: Submission) -> bool:
    """Judges score every submission except their own team's."""
    return is_judge(user, submission.challenge) and not is_team_member(
        user, submission, pending=True
    )
