"""Permission rules of ideas, registered with the one policy in peerwork.core.policy.

The table is docs/permissions/ideas.md. Rules answer who may; the actions answer when (a
support of a closed idea is a 409 conflict there, not a permission question).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from peerwork.core import policy
from peerwork.core.policy import can, rule, scope, signed_in
from peerwork.reputation.privileges import has_privilege
from peerwork.spaces.models import Space
from peerwork.spaces.selectors import space_role

from .models import Creator, Idea, Status
from .settings import ideas_policy


def creator_state(user: Any, idea: Idea) -> str | None:
    """'accepted', 'invited', 'declined' or None: the viewer's tie to the idea as a creator."""
    if not signed_in(user) or idea.pk is None:
        return None
    cache = user.__dict__.setdefault("_idea_creator_states", {})
    if idea.pk not in cache:
        cache[idea.pk] = (
            Creator.objects.filter(idea=idea, user=user).values_list("state", flat=True).first()
        )
    return cache[idea.pk]


def forget_creator_states(user: Any) -> None:
    user.__dict__.pop("_idea_creator_states", None)


def is_creator(user: Any, idea: Idea) -> bool:
    return creator_state(user, idea) == Creator.State.ACCEPTED


def is_reviewer(user: Any, space: Any) -> bool:
    """Stewards, the people the space's policy names as reviewers, and those whose points
    reached the `review_ideas` threshold."""
    if not signed_in(user):
        return False
    if space_role(user, space) == "steward":
        return True
    return user.username in ideas_policy(space).reviewers or has_privilege(
        user, space, "review_ideas"
    )


#: What anyone who may read the space sees of its ideas: all but drafts.
PUBLISHED = ~Q(status=Status.DRAFT)


def published(ideas: QuerySet[Idea]) -> QuerySet[Idea]:
    """The ideas anyone who may read their space sees (the open data dump carries these)."""
    return ideas.filter(PUBLISHED)


@rule("idea.view", conceals=True)
def can_view_idea(user: Any, idea: Idea) -> bool:
    """A draft is seen by its creators (and the people invited to be), nobody else."""
    if not can(user, "space.view", idea.space):
        return False
    if idea.status != Status.DRAFT:
        return True
    return creator_state(user, idea) in {Creator.State.ACCEPTED, Creator.State.INVITED}


@scope("idea.view")
def ideas_viewable(user: Any, ideas: QuerySet[Idea]) -> QuerySet[Idea]:
    visible = PUBLISHED
    if signed_in(user):
        mine = Creator.objects.filter(
            user=user, state__in=[Creator.State.ACCEPTED, Creator.State.INVITED]
        ).values("idea_id")
        visible |= Q(pk__in=mine)
    spaces = policy.filter(user, "space.view", Space.objects.all())
    return ideas.filter(visible, space__in=spaces)


@rule("idea.create", visible_via="space.view")
def can_create_idea(user: Any, space: Any) -> bool:
    return can(user, "space.contribute", space)


@rule("idea.update", visible_via="idea.view")
def can_update_idea(user: Any, idea: Idea) -> bool:
    """Its creators, while it is a draft or open, and while they may contribute."""
    return (
        is_creator(user, idea)
        and idea.status in {Status.DRAFT, Status.OPEN}
        and can(user, "space.contribute", idea.space)
    )


@rule("idea.publish", visible_via="idea.view")
def can_publish_idea(user: Any, idea: Idea) -> bool:
    return is_creator(user, idea) and can(user, "space.contribute", idea.space)


@rule("idea.invitation.respond", visible_via="idea.view", admin_passes=False)
def can_respond_to_invitation(user: Any, idea: Idea) -> bool:
    return creator_state(user, idea) == Creator.State.INVITED


@rule("idea.support", visible_via="idea.view", admin_passes=False)
def can_support_idea(user: Any, idea: Idea) -> bool:
    """Anyone who may contribute, except the idea's own creators."""
    return (
        signed_in(user)
        and can(user, "space.contribute", idea.space)
        and creator_state(user, idea) != Creator.State.ACCEPTED
    )


@rule("idea.review", visible_via="idea.view")
def can_review_idea(user: Any, idea: Idea) -> bool:
    """Reviewers decide other people's ideas, never one they co-create."""
    return is_reviewer(user, idea.space) and not is_creator(user, idea)


@rule("idea.flag", visible_via="idea.view")
def can_flag_idea(user: Any, idea: Idea) -> bool:
    return signed_in(user) and can(user, "space.contribute", idea.space)


@rule("idea.merge", visible_via="idea.view")
def can_merge_idea(user: Any, idea: Idea) -> bool:
    return space_role(user, idea.space) == "steward"


@rule("idea.revenue.record", visible_via="idea.view")
def can_record_revenue(user: Any, idea: Idea) -> bool:
    """Stewards move a space's money (ledger.manage); nobody records a payment to themselves,
    so a steward who co-creates the idea leaves it to another."""
    return (
        signed_in(user) and space_role(user, idea.space) == "steward" and not is_creator(user, idea)
    )


@rule("idea.watch", visible_via="idea.view", admin_passes=False)
def can_watch_idea(user: Any, idea: Idea) -> bool:
    return signed_in(user)
