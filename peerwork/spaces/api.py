"""REST endpoints for spaces, members, join requests and invitations."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import BaseModel, ConfigDict, Field

from peerwork.accounts import invitations
from peerwork.accounts.api import ResponseIn
from peerwork.accounts.selectors import organization_get_visible, person_named
from peerwork.activity.schemas import EventOut, event_out
from peerwork.activity.selectors import space_events
from peerwork.core.api import Input, PageOf, PageParams, UtcDatetime, paginate
from peerwork.core.errors import Invalid, NotAuthenticated, NotFound
from peerwork.core.policy import signed_in

from . import actions, selectors
from .invitations import SPACE
from .models import Block, JoinRequest, Space, SpaceInvitation, SpaceMembership
from .presets import DEFAULT_PRESET

router = Router(tags=["spaces"])

SlugField = Field(
    ..., min_length=1, max_length=50, pattern=r"^[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?$"
)


class SpaceOut(Schema):
    slug: str
    name: str
    description: str
    visibility: str
    participation: str
    licence: str
    created_at: datetime
    your_role: str | None


class SpaceDetailOut(SpaceOut):
    policy: dict[str, Any]


def space_out(space: Space, viewer: Any, *, detail: bool = False) -> dict[str, Any]:
    out = {
        "slug": space.slug,
        "name": space.name,
        "description": space.description,
        "visibility": space.visibility,
        "participation": space.participation,
        "licence": space.licence,
        "created_at": space.created_at,
        "your_role": selectors.space_role(viewer, space),
    }
    if detail:
        out["policy"] = space.policy
    return out


class SpaceIn(Input):
    slug: str = SlugField
    name: str = Field(..., min_length=1, max_length=200)
    description: str = Field("", max_length=5000)
    visibility: Literal["public", "members"] = "public"
    participation: Literal["anyone", "members"] = "anyone"
    licence: str = Field("CC-BY-SA-4.0", max_length=40)
    #: the starting policy (docs/space-policy.md, "Presets"); `policy`'s keys are put over it.
    preset: str = Field(DEFAULT_PRESET, max_length=40)
    policy: dict[str, Any] | None = None


class SpacePatch(Input):
    name: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=5000)
    visibility: Literal["public", "members"] | None = None
    participation: Literal["anyone", "members"] | None = None
    licence: str | None = Field(None, max_length=40)


class MemberOut(Schema):
    id: int
    kind: Literal["person", "organization"]
    name: str
    username: str | None
    organization: str | None
    role: str
    since: datetime


def member_out(membership: SpaceMembership) -> dict[str, Any]:
    person, organization = membership.user, membership.organization
    return {
        "id": membership.pk,
        "kind": "person" if person else "organization",
        "name": person.name if person else organization.name if organization else "",
        "username": person.username if person else None,
        "organization": organization.slug if organization else None,
        "role": membership.role,
        "since": membership.created_at,
    }


class MemberIn(Input):
    username: str | None = Field(None, min_length=1, max_length=150)
    organization: str | None = Field(None, min_length=1, max_length=50)
    role: Literal["steward", "member"] = "member"


class RoleIn(Input):
    role: Literal["steward", "member"]


class JoinRequestIn(Input):
    message: str = Field("", max_length=2000)


class JoinRequestOut(Schema):
    id: int
    username: str
    message: str
    status: str
    created_at: datetime


def join_request_out(join_request: JoinRequest) -> dict[str, Any]:
    return {
        "id": join_request.pk,
        "username": join_request.user.username,
        "message": join_request.message,
        "status": join_request.status,
        "created_at": join_request.created_at,
    }


class DecisionIn(Input):
    decision: Literal["approve", "reject"]


class InvitationIn(Input):
    username: str = Field(..., min_length=1, max_length=150)
    role: Literal["steward", "member"] = "member"


class InvitationOut(Schema):
    id: int
    space: str
    username: str
    role: str
    status: str
    invited_by: str
    created_at: datetime


def invitation_out(invitation: SpaceInvitation) -> dict[str, Any]:
    return invitations.invitation_out(SPACE, invitation)


_person = person_named


@router.get("/spaces", response=PageOf[SpaceOut], summary="List the spaces you may see")
def list_spaces(request: HttpRequest, page: Query[PageParams]) -> Any:
    spaces = selectors.spaces_visible(request.user)
    return paginate(
        spaces, page, newest_first=False, serialize=lambda s: space_out(s, request.user)
    )


@router.post("/spaces", response={201: SpaceDetailOut}, summary="Create a space")
def create_space(request: HttpRequest, payload: SpaceIn) -> Any:
    space = actions.space_create(
        user=request.user,
        slug=payload.slug,
        name=payload.name,
        description=payload.description,
        visibility=payload.visibility,
        participation=payload.participation,
        licence=payload.licence,
        policy_document=payload.policy,
        preset=payload.preset,
    )
    return 201, space_out(space, request.user, detail=True)


@router.get("/spaces/{slug}", response=SpaceDetailOut, summary="One space")
def get_space(request: HttpRequest, slug: str) -> Any:
    space = selectors.space_get_visible(user=request.user, slug=slug)
    return space_out(space, request.user, detail=True)


@router.patch("/spaces/{slug}", response=SpaceDetailOut, summary="Change a space's settings")
def update_space(request: HttpRequest, slug: str, payload: SpacePatch) -> Any:
    space = selectors.space_get_visible(user=request.user, slug=slug)
    fields = payload.model_dump(exclude_unset=True)
    if any(value is None for value in fields.values()):
        raise Invalid(_("Fields may be left out but not set to null."))
    space = actions.space_update(user=request.user, space=space, **fields)
    return space_out(space, request.user, detail=True)


class PolicyIn(BaseModel):
    """Any subset of the policy keys (docs/space-policy.md); what is left out takes its default."""

    model_config = ConfigDict(extra="allow")


@router.put("/spaces/{slug}/policy", response=dict[str, Any], summary="Replace a space's policy")
def update_policy(request: HttpRequest, slug: str, payload: PolicyIn) -> Any:
    space = selectors.space_get_visible(user=request.user, slug=slug)
    document = payload.model_dump()
    space = actions.space_policy_update(user=request.user, space=space, document=document)
    return space.policy


class PresetIn(Input):
    preset: str = Field(..., max_length=40)


@router.post(
    "/spaces/{slug}/policy/preset",
    response=dict[str, Any],
    summary="Reset a space's policy to a preset",
)
def apply_preset(request: HttpRequest, slug: str, payload: PresetIn) -> Any:
    """Replace the whole policy with the preset's (docs/space-policy.md lists them)."""
    space = selectors.space_get_visible(user=request.user, slug=slug)
    space = actions.space_policy_preset_apply(user=request.user, space=space, preset=payload.preset)
    return space.policy


@router.get("/spaces/{slug}/members", response=PageOf[MemberOut], summary="A space's members")
def list_members(request: HttpRequest, slug: str, page: Query[PageParams]) -> Any:
    space = selectors.space_get_visible(user=request.user, slug=slug)
    members = selectors.space_members(user=request.user, space=space)
    return paginate(members, page, newest_first=False, serialize=member_out)


@router.post(
    "/spaces/{slug}/members", response={201: MemberOut}, summary="Add a person or organization"
)
def add_member(request: HttpRequest, slug: str, payload: MemberIn) -> Any:
    space = selectors.space_get_visible(user=request.user, slug=slug)
    if (payload.username is None) == (payload.organization is None):
        raise Invalid(_("Give either 'username' or 'organization'."), field="username")
    member = _person(payload.username) if payload.username else None
    organization = None
    if payload.organization:
        try:
            organization = organization_get_visible(viewer=request.user, slug=payload.organization)
        except NotFound:
            raise Invalid(
                _("There is no organization '%(slug)s'.") % {"slug": payload.organization},
                field="organization",
            ) from None
    membership = actions.space_member_add(
        user=request.user, space=space, member=member, organization=organization, role=payload.role
    )
    return 201, member_out(membership)


@router.patch(
    "/spaces/{slug}/members/{member_id}", response=MemberOut, summary="Change a member's role"
)
def change_member_role(request: HttpRequest, slug: str, member_id: int, payload: RoleIn) -> Any:
    space = selectors.space_get_visible(user=request.user, slug=slug)
    membership = selectors.space_membership_get(
        user=request.user, space=space, membership_id=member_id
    )
    membership = actions.space_member_change_role(
        user=request.user, space=space, membership=membership, role=payload.role
    )
    return member_out(membership)


@router.delete(
    "/spaces/{slug}/members/{member_id}", response={204: None}, summary="Remove a member"
)
def remove_member(request: HttpRequest, slug: str, member_id: int) -> Any:
    space = selectors.space_get_visible(user=request.user, slug=slug)
    membership = selectors.space_membership_get(
        user=request.user, space=space, membership_id=member_id
    )
    actions.space_member_remove(user=request.user, space=space, membership=membership)
    return 204, None


class BlockOut(Schema):
    id: int
    username: str
    blocked_by: str
    reason: str
    created_at: datetime
    expires_at: datetime | None


def block_out(block: Block) -> dict[str, Any]:
    return {
        "id": block.pk,
        "username": block.user.username,
        "blocked_by": block.blocked_by.username,
        "reason": block.reason,
        "created_at": block.created_at,
        "expires_at": block.expires_at,
    }


class BlockIn(Input):
    username: str = Field(max_length=150)
    reason: str = Field(min_length=1, max_length=500)
    #: None: until a steward lifts it.
    expires_at: UtcDatetime | None = None
    #: Replace a block already in force on the person (MediaWiki's `reblock`).
    replace: bool = False


@router.get("/spaces/{slug}/blocks", response=PageOf[BlockOut], summary="The blocks in force")
def list_blocks(request: HttpRequest, slug: str, page: Query[PageParams]) -> Any:
    space = selectors.space_get_visible(user=request.user, slug=slug)
    blocks = selectors.blocks_of_space(user=request.user, space=space)
    return paginate(blocks, page, serialize=block_out)


@router.post("/spaces/{slug}/blocks", response={201: BlockOut}, summary="Block a person")
def create_block(request: HttpRequest, slug: str, payload: BlockIn) -> Any:
    space = selectors.space_get_visible(user=request.user, slug=slug)
    block = actions.space_block(
        user=request.user,
        space=space,
        person=_person(payload.username),
        reason=payload.reason,
        expires_at=payload.expires_at,
        replace=payload.replace,
    )
    return 201, block_out(block)


@router.delete(
    "/spaces/{slug}/blocks/{username}", response={204: None}, summary="Lift a person's block"
)
def lift_block(request: HttpRequest, slug: str, username: str) -> Any:
    space = selectors.space_get_visible(user=request.user, slug=slug)
    actions.space_unblock(user=request.user, space=space, person=_person(username))
    return 204, None


@router.post("/spaces/{slug}/join", response={201: MemberOut}, summary="Join an open space")
def join_space(request: HttpRequest, slug: str) -> Any:
    space = selectors.space_get_visible(user=request.user, slug=slug)
    return 201, member_out(actions.space_join(user=request.user, space=space))


@router.post("/spaces/{slug}/leave", response={204: None}, summary="Leave a space")
def leave_space(request: HttpRequest, slug: str) -> Any:
    space = selectors.space_get_visible(user=request.user, slug=slug)
    actions.space_leave(user=request.user, space=space)
    return 204, None


@router.get(
    "/spaces/{slug}/join-requests",
    response=PageOf[JoinRequestOut],
    summary="Pending requests to join",
)
def list_join_requests(request: HttpRequest, slug: str, page: Query[PageParams]) -> Any:
    space = selectors.space_get_visible(user=request.user, slug=slug)
    pending = selectors.join_requests_pending(user=request.user, space=space)
    return paginate(pending, page, newest_first=False, serialize=join_request_out)


@router.post("/spaces/{slug}/join-requests", response={201: JoinRequestOut}, summary="Ask to join")
def create_join_request(request: HttpRequest, slug: str, payload: JoinRequestIn) -> Any:
    space = selectors.space_get_visible(user=request.user, slug=slug)
    join_request = actions.join_request_create(
        user=request.user, space=space, message=payload.message
    )
    return 201, join_request_out(join_request)


@router.post(
    "/spaces/{slug}/join-requests/{request_id}/decision",
    response=JoinRequestOut,
    summary="Approve or reject a request to join",
)
def decide_join_request(
    request: HttpRequest, slug: str, request_id: int, payload: DecisionIn
) -> Any:
    space = selectors.space_get_visible(user=request.user, slug=slug)
    join_request = selectors.join_request_get(user=request.user, space=space, request_id=request_id)
    join_request = actions.join_request_decide(
        user=request.user,
        space=space,
        join_request=join_request,
        approve=payload.decision == "approve",
    )
    return join_request_out(join_request)


@router.delete(
    "/spaces/{slug}/join-requests/{request_id}",
    response=JoinRequestOut,
    summary="Withdraw your request",
)
def withdraw_join_request(request: HttpRequest, slug: str, request_id: int) -> Any:
    space = selectors.space_get_visible(user=request.user, slug=slug)
    join_request = selectors.join_request_get(user=request.user, space=space, request_id=request_id)
    join_request = actions.join_request_withdraw(
        user=request.user, space=space, join_request=join_request
    )
    return join_request_out(join_request)


@router.get(
    "/spaces/{slug}/invitations", response=PageOf[InvitationOut], summary="Pending invitations"
)
def list_invitations(request: HttpRequest, slug: str, page: Query[PageParams]) -> Any:
    space = selectors.space_get_visible(user=request.user, slug=slug)
    pending = selectors.invitations_pending(user=request.user, space=space)
    return paginate(pending, page, newest_first=False, serialize=invitation_out)


@router.post("/spaces/{slug}/invitations", response={201: InvitationOut}, summary="Invite a person")
def create_invitation(request: HttpRequest, slug: str, payload: InvitationIn) -> Any:
    space = selectors.space_get_visible(user=request.user, slug=slug)
    invitation = actions.space_invitation_create(
        user=request.user, space=space, invitee=_person(payload.username), role=payload.role
    )
    return 201, invitation_out(invitation)


@router.get(
    "/space-invitations", response=list[InvitationOut], summary="Your pending invitations to spaces"
)
def my_invitations(request: HttpRequest) -> Any:
    if not signed_in(request.user):
        raise NotAuthenticated()
    return [invitation_out(i) for i in selectors.invitations_for(request.user)]


@router.post(
    "/space-invitations/{invitation_id}/response",
    response=InvitationOut,
    summary="Accept or decline",
)
def respond_invitation(request: HttpRequest, invitation_id: int, payload: ResponseIn) -> Any:
    invitation = selectors.invitation_get(user=request.user, invitation_id=invitation_id)
    invitation = actions.space_invitation_respond(
        user=request.user, invitation=invitation, accept=payload.accept
    )
    return invitation_out(invitation)


@router.delete(
    "/space-invitations/{invitation_id}", response=InvitationOut, summary="Cancel an invitation"
)
def cancel_invitation(request: HttpRequest, invitation_id: int) -> Any:
    invitation = selectors.invitation_get(user=request.user, invitation_id=invitation_id)
    invitation = actions.space_invitation_cancel(user=request.user, invitation=invitation)
    return invitation_out(invitation)


@router.get("/spaces/{slug}/activity", response=PageOf[EventOut], summary="A space's activity")
def space_activity(request: HttpRequest, slug: str, page: Query[PageParams]) -> Any:
    space = selectors.space_get_visible(user=request.user, slug=slug)
    return paginate(space_events(viewer=request.user, space=space), page, serialize=event_out)


__all__ = ["router", "Space"]
