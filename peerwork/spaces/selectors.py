"""Reads about spaces, already filtered by what the viewer may see."""

from __future__ import annotations

from typing import Any

from django.db.models import BigIntegerField, F, Q, QuerySet, Value
from django.utils import timezone

from peerwork.accounts import invitations
from peerwork.core import policy
from peerwork.core.errors import NotFound

from .models import Block, JoinRequest, SiteBlock, Space, SpaceInvitation, SpaceMembership

_ROLE_RANK = {"member": 1, "steward": 2}


def space_role(user: Any, space: Space) -> str | None:
    """'steward', 'member' or None: the highest role held in person or through an organization.

    The first call of a request reads the person's roles in every space at once (one query,
    however many spaces a list shows); actions that change a membership call `forget_roles`.
    """
    if not policy.signed_in(user):
        return None
    cache = user.__dict__.get("_space_roles")
    if cache is None:
        cache = {}
        roles = (
            SpaceMembership.objects.filter(Q(user=user) | Q(organization__memberships__user=user))
            .values_list("space_id", "role")
            .distinct()
        )
        for space_id, role in roles:
            if _ROLE_RANK[role] > _ROLE_RANK.get(cache.get(space_id) or "", 0):
                cache[space_id] = role
        user.__dict__["_space_roles"] = cache
    return cache.get(space.pk)


def membership_of(person: Any, space: Space) -> SpaceMembership | None:
    """The person's own membership of the space (not one through an organization)."""
    if not policy.signed_in(person):
        return None
    return SpaceMembership.objects.filter(space=space, user=person).first()


def is_bot(user: Any, space: Space) -> bool:
    """Whether the person's own membership of the space marks them as a bot account."""
    if not policy.signed_in(user):
        return False
    return SpaceMembership.objects.filter(space=space, user=user, bot=True).exists()


def is_steward(user: Any, space: Space) -> bool:
    return policy.signed_in(user) and space_role(user, space) == "steward"


def holds_privilege(user: Any, space: Space, needed: str) -> bool:
    """A privilege a space's policy names: "contributor" (may contribute to the space),
    "member" (a member or steward) or "steward"; the tasks and governance rules ask it."""
    if not policy.signed_in(user) or not policy.can(user, "space.contribute", space):
        return False
    if needed == "contributor":
        return True
    role = space_role(user, space)
    return role == "steward" if needed == "steward" else role in {"member", "steward"}


def forget_roles(user: Any) -> None:
    """Drop the per-request role cache after a membership change."""
    user.__dict__.pop("_space_roles", None)
    user.__dict__.pop("_standing_blocks", None)
    user.__dict__.pop("_loaded_blocks", None)


def _standing_blocks(user: Any) -> dict[int | None, tuple[int, Any]]:
    """{space id, or None for site-wide: (block id, expiry)} of the person's standing blocks,
    read once a request in one query (a space's blocks and the site-wide one together)."""
    cache = user.__dict__.get("_standing_blocks")
    if cache is None:
        in_spaces = (
            Block.objects.filter(user=user, lifted_at__isnull=True)
            .annotate(where=F("space_id"))
            .values_list("pk", "expires_at", "where")
        )
        site_wide = (
            SiteBlock.objects.filter(user=user, lifted_at__isnull=True)
            .annotate(where=Value(None, output_field=BigIntegerField()))
            .values_list("pk", "expires_at", "where")
        )
        cache = {
            where: (pk, expires) for pk, expires, where in in_spaces.union(site_wide, all=True)
        }
        user.__dict__["_standing_blocks"] = cache
    return cache  # type: ignore[no-any-return]


def _in_force(user: Any, where: int | None) -> Block | SiteBlock | None:
    found = _standing_blocks(user).get(where)
    if found is None:
        return None
    pk, expires_at = found
    if expires_at is not None and expires_at <= timezone.now():
        return None  # an expired block stops applying by itself, without anyone lifting it
    loaded = user.__dict__.setdefault("_loaded_blocks", {})
    if where not in loaded:
        model = SiteBlock if where is None else Block
        loaded[where] = model.objects.select_related("blocked_by").filter(pk=pk).first()
    return loaded[where]  # type: ignore[no-any-return]


def site_block_in_force(user: Any) -> SiteBlock | None:
    """The site-wide block that keeps `user` from contributing anywhere now, if any."""
    if not policy.signed_in(user):
        return None
    block = _in_force(user, None)
    return block if isinstance(block, SiteBlock) else None


def block_in_force(user: Any, space: Space) -> Block | SiteBlock | None:
    """The block that keeps `user` from contributing to `space` now, if any: a site-wide block
    first, then the space's own. The first call of a request reads the person's standing blocks
    everywhere at once (one query); an expired block stops applying by itself, without anyone
    lifting it. The block itself is read only when one is in force."""
    if not policy.signed_in(user):
        return None
    return site_block_in_force(user) or space_block_in_force(user, space)


def space_block_in_force(user: Any, space: Space) -> Block | None:
    """The space's own block of `user` in force now, if any (site-wide blocks aside)."""
    if not policy.signed_in(user):
        return None
    block = _in_force(user, space.pk)
    return block if isinstance(block, Block) else None


def blocks_of_space(*, user: Any, space: Space, person: Any = None) -> QuerySet[Block]:
    """The blocks in force in a space, newest first, for anyone who may see the space (as
    MediaWiki's list of blocks is public)."""
    if not policy.can(user, "space.view", space):
        raise NotFound()
    now = timezone.now()
    blocks = (
        Block.objects.filter(space=space, lifted_at__isnull=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .select_related("user", "blocked_by")
        .order_by("-id")
    )
    if person is not None:
        blocks = blocks.filter(user=person)
    return blocks


def is_member_in_person(user: Any, space: Space) -> bool:
    return (
        policy.signed_in(user) and SpaceMembership.objects.filter(space=space, user=user).exists()
    )


def spaces_visible(user: Any) -> QuerySet[Space]:
    """Spaces the viewer may read: public ones, and members-only ones they belong to."""
    return policy.filter(user, "space.view", Space.objects.all())


def spaces_listed(user: Any) -> QuerySet[Space]:
    """What the space list shows: members-only spaces are unlisted except to their members."""
    return spaces_visible(user).order_by("name", "pk")


def space_get_visible(*, user: Any, slug: str) -> Space:
    space = Space.objects.filter(slug=slug).first()
    if space is None or not policy.can(user, "space.view", space):
        raise NotFound()
    return space


def space_members(*, user: Any, space: Space) -> QuerySet[SpaceMembership]:
    policy.require(user, "space.view", space)
    return (
        SpaceMembership.objects.filter(space=space)
        .select_related("user", "organization")
        .order_by("-role", "pk")
    )


def space_membership_get(*, user: Any, space: Space, membership_id: int) -> SpaceMembership:
    policy.require(user, "space.view", space)
    membership = SpaceMembership.objects.filter(space=space, pk=membership_id).first()
    if membership is None:
        raise NotFound()
    return membership


def join_requests_pending(*, user: Any, space: Space) -> QuerySet[JoinRequest]:
    policy.require(user, "space.members.manage", space)
    return JoinRequest.objects.filter(space=space, status="pending").select_related("user")


def join_request_get(*, user: Any, space: Space, request_id: int) -> JoinRequest:
    policy.require(user, "space.view", space)
    join_request = JoinRequest.objects.filter(space=space, pk=request_id).first()
    if join_request is None or not policy.can(user, "space.join_request.view", join_request):
        raise NotFound()
    return join_request


def invitations_pending(*, user: Any, space: Space) -> QuerySet[SpaceInvitation]:
    return invitations.pending_at(_space_kind(), viewer=user, target=space)


def invitations_for(user: Any) -> QuerySet[SpaceInvitation]:
    return invitations.pending_for(_space_kind(), user)


def pending_invitation_count(user: Any) -> int:
    """Invitations waiting for this person's answer, to spaces and to organizations alike."""
    return invitations.pending_count(user)


def invitation_get(*, user: Any, invitation_id: int) -> SpaceInvitation:
    """An invitation is visible to its invitee (who may not see the space yet) and stewards."""
    return invitations.get(_space_kind(), viewer=user, invitation_id=invitation_id)


def _space_kind() -> invitations.InvitationKind:
    # spaces/invitations.py imports this module (for forget_roles), so look the kind up by name.
    return invitations.kind("space")


def pending_join_request(user: Any, space: Space) -> JoinRequest | None:
    if not policy.signed_in(user):
        return None
    return JoinRequest.objects.filter(space=space, user=user, status="pending").first()


def spaces_of(user: Any) -> list[tuple[Space, str]]:
    """(space, role) for each space the person belongs to, in person or through an
    organization, by name: the personal home's "Your spaces"."""
    if not policy.signed_in(user):
        return []
    space_role(user, Space(pk=0))  # fills the per-request role cache in one query
    roles: dict[int, str] = user.__dict__["_space_roles"]
    # Kept beside the role cache it was read with: whatever drops that cache drops this too.
    cached = user.__dict__.get("_spaces_of")
    if cached is None or cached[0] is not roles:
        spaces = Space.objects.filter(pk__in=list(roles)).order_by("name", "pk")
        cached = (roles, [(space, roles[space.pk]) for space in spaces])
        user.__dict__["_spaces_of"] = cached
    return list(cached[1])


def join_requests_to_decide(user: Any) -> list[tuple[Space, int]]:
    """(space, pending requests) in each space whose members this person manages."""
    if not policy.signed_in(user):
        return []
    stewarded = [space for space, role in spaces_of(user) if role == "steward"]
    if not stewarded:
        return []
    counts: dict[int, int] = {}
    for space_id in JoinRequest.objects.filter(space__in=stewarded, status="pending").values_list(
        "space_id", flat=True
    ):
        counts[space_id] = counts.get(space_id, 0) + 1
    return [
        (space, counts[space.pk])
        for space in stewarded
        if space.pk in counts and policy.can(user, "space.members.manage", space)
    ]


def getting_started(user: Any, space: Space) -> list[Any] | None:
    """A young space's checklist for its stewards (spaces/getting_started.py); None if not shown."""
    from .getting_started import checklist

    return checklist(user, space)
