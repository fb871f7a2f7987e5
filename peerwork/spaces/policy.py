"""Who may do what in a space. One condition per line; the table is docs/permissions.md."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from peerwork.core.policy import rule, scope, signed_in

from .models import JoinRequest, Space, SpaceInvitation, SpaceMembership
from .selectors import block_in_force, is_member_in_person, space_role


def spaces_with_role(user: Any, *roles: str) -> QuerySet[SpaceMembership, Any]:
    """Ids of the spaces where `user` holds one of `roles` (any role when none is named), in
    person or through an organization: `space_role` as a subquery."""
    memberships = SpaceMembership.objects.filter(
        Q(user=user) | Q(organization__memberships__user=user)
    )
    if roles:
        memberships = memberships.filter(role__in=roles)
    return memberships.values("space_id")


@rule("space.view", conceals=True)
def can_view_space(user: Any, space: Space) -> bool:
    if space.visibility == Space.Visibility.PUBLIC:
        return True
    return space_role(user, space) is not None


@scope("space.view")
def spaces_viewable(user: Any, spaces: QuerySet[Space]) -> QuerySet[Space]:
    visible = Q(visibility=Space.Visibility.PUBLIC)
    if signed_in(user):
        visible |= Q(pk__in=spaces_with_role(user))
    return spaces.filter(visible)


@rule("space.create")
def can_create_space(user: Any, _obj: Any) -> bool:
    return signed_in(user)


@rule("space.update", visible_via="space.view")
def can_update_space(user: Any, space: Space) -> bool:
    return space_role(user, space) == "steward"


@rule("space.members.manage", visible_via="space.view")
def can_manage_members(user: Any, space: Space) -> bool:
    return space_role(user, space) == "steward"


@rule("space.contribute", visible_via="space.view")
def can_contribute(user: Any, space: Space) -> bool:
    if not signed_in(user):
        return False
    if block_in_force(user, space) is not None:
        return False
    if space.participation == Space.Participation.ANYONE:
        return True
    return space_role(user, space) is not None


@rule("space.block", visible_via="space.view")
def can_block(user: Any, space: Space) -> bool:
    """Stewards keep people from contributing (MediaWiki's sysops block)."""
    return space_role(user, space) == "steward"


@rule("space.join", visible_via="space.view", admin_passes=False)
def can_join(user: Any, space: Space) -> bool:
    """Open spaces take anyone who signs up to them, no steward needed."""
    return (
        signed_in(user)
        and space.participation == Space.Participation.ANYONE
        and not is_member_in_person(user, space)
    )


@rule("space.join.request", visible_via="space.view", admin_passes=False)
def can_request_to_join(user: Any, space: Space) -> bool:
    return (
        signed_in(user)
        and space.participation == Space.Participation.MEMBERS
        and space_role(user, space) is None
    )


@rule("space.leave", visible_via="space.view", admin_passes=False)
def can_leave(user: Any, space: Space) -> bool:
    return is_member_in_person(user, space)


@rule("space.invitation.view", conceals=True)
def can_view_invitation(user: Any, invitation: SpaceInvitation) -> bool:
    return signed_in(user) and (
        invitation.user_id == user.pk or space_role(user, invitation.space) == "steward"
    )


@scope("space.invitation.view")
def invitations_viewable(
    user: Any, invitations: QuerySet[SpaceInvitation]
) -> QuerySet[SpaceInvitation]:
    if not signed_in(user):
        return invitations.none()
    return invitations.filter(Q(user=user) | Q(space__in=spaces_with_role(user, "steward")))


@rule("space.invitation.respond", visible_via="space.invitation.view", admin_passes=False)
def can_respond_to_invitation(user: Any, invitation: SpaceInvitation) -> bool:
    return invitation.user_id == user.pk


@rule("space.invitation.cancel", visible_via="space.invitation.view")
def can_cancel_invitation(user: Any, invitation: SpaceInvitation) -> bool:
    return space_role(user, invitation.space) == "steward"


@rule("space.join_request.view", conceals=True)
def can_view_join_request(user: Any, join_request: JoinRequest) -> bool:
    if space_role(user, join_request.space) == "steward":
        return True
    return (
        signed_in(user)
        and join_request.user_id == user.pk
        and can_view_space(user, join_request.space)
    )


@scope("space.join_request.view")
def join_requests_viewable(user: Any, requests: QuerySet[JoinRequest]) -> QuerySet[JoinRequest]:
    if not signed_in(user):
        return requests.none()
    own = Q(user=user, space__in=spaces_viewable(user, Space.objects.all()))
    return requests.filter(Q(space__in=spaces_with_role(user, "steward")) | own)


@rule("space.join_request.withdraw", visible_via="space.join_request.view", admin_passes=False)
def can_withdraw_join_request(user: Any, join_request: JoinRequest) -> bool:
    return join_request.user_id == user.pk


@rule("space.join_request.decide", visible_via="space.join_request.view")
def can_decide_join_request(user: Any, join_request: JoinRequest) -> bool:
    return space_role(user, join_request.space) == "steward"


def _until(block: Any) -> str:
    from django.utils.formats import date_format
    from django.utils.timezone import localtime
    from django.utils.translation import gettext as _

    if block.expires_at is None:
        return str(_("until it is lifted"))
    return str(_("until %(time)s")) % {
        "time": date_format(localtime(block.expires_at), "DATETIME_FORMAT")
    }


def explain_block(user: Any, action: str, obj: Any) -> str | None:
    """Tell a blocked person why a write was refused: the reason and the end of the block."""
    from django.utils.translation import gettext as _

    from .selectors import site_block_in_force

    site_wide = site_block_in_force(user)
    if site_wide is not None:
        return _(
            "You are blocked from contributing anywhere on this site %(until)s. Reason: %(reason)s"
        ) % {"until": _until(site_wide), "reason": site_wide.reason or _("none given")}
    space = obj if isinstance(obj, Space) else getattr(obj, "space", None)
    if not isinstance(space, Space):
        return None
    block = block_in_force(user, space)
    if block is None:
        return None
    return _("You are blocked from contributing to %(space)s %(until)s. Reason: %(reason)s") % {
        "space": space.name,
        "until": _until(block),
        "reason": block.reason or _("none given"),
    }
