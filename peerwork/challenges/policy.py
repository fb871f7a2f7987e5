"""Permission rules of challenges, registered with the one policy in peerwork.core.policy.

The table is docs/permissions/challenges.md. Sealing lives here: until a challenge is judged a
submission is seen only by its team, its invitees and the judges (and site administrators);
to everyone else it answers exactly as a submission that does not exist.
"""

from __future__ import annotations

from typing import Any

from peerwork.accounts.models import OrganizationMembership
from peerwork.core.policy import can, is_site_admin, rule, signed_in
from peerwork.spaces.selectors import space_role

from .models import Challenge, IpTerms, Submission
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
    return role == "steward" if needed == "steward" else role in {"member", "steward"}


def can_read_content(user: Any, submission: Submission) -> bool:
    """The text and files of a submission, as its IP terms say once judged."""
    challenge = submission.challenge
    if is_site_admin(user) or is_team_member(user, submission, pending=True):
        return True
    if is_judge(user, challenge):
        return True
    if not challenge.is_judged:
        return False
    return challenge.ip_terms == IpTerms.OPEN or is_seeker(user, challenge)


@rule("challenge.view", conceals=True)
def can_view_challenge(user: Any, challenge: Challenge) -> bool:
    return can(user, "space.view", challenge.space)


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
