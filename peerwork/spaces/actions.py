"""Every write about spaces. Each runs in one transaction, asks the policy, records its event."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peerwork.accounts import invitations
from peerwork.accounts.models import Organization, User, Viewer
from peerwork.activity import recorder
from peerwork.core import policy
from peerwork.core.errors import Conflict, Invalid

from .invitations import SPACE
from .models import LICENCES, Block, JoinRequest, Space, SpaceInvitation, SpaceMembership
from .presets import preset_policy
from .selectors import block_in_force, forget_roles, space_block_in_force
from .space_policy import policy_validate

LICENCE_CODES = {code for code, _label in LICENCES}


def _check_openness(visibility: str, participation: str) -> None:
    if visibility not in Space.Visibility.values:
        raise Invalid(_("Visibility must be 'public' or 'members'."), field="visibility")
    if participation not in Space.Participation.values:
        raise Invalid(_("Participation must be 'anyone' or 'members'."), field="participation")
    if visibility == "members" and participation == "anyone":
        raise Invalid(
            _(
                "A members-only space takes contributions from members only; "
                "set participation to 'members'."
            ),
            field="participation",
        )


def _check_licence(licence: str) -> None:
    if licence not in LICENCE_CODES:
        raise Invalid(
            _("Unknown licence '%(licence)s'; choose one of %(choices)s.")
            % {"licence": licence, "choices": ", ".join(sorted(LICENCE_CODES))},
            field="licence",
        )


@transaction.atomic
def space_create(
    *,
    user: Viewer,
    slug: str,
    name: str,
    description: str = "",
    visibility: str = "public",
    participation: str = "anyone",
    licence: str = "CC-BY-SA-4.0",
    policy_document: dict[str, Any] | None = None,
    preset: str | None = None,
) -> Space:
    """A new space whose creator is its steward. Its policy is `preset`'s (spaces/presets.py),
    or the schema's defaults without one, with `policy_document`'s keys put over it."""
    user = policy.require_person(user, "space.create")
    _check_openness(visibility, participation)
    _check_licence(licence)
    space = Space(
        slug=slug,
        name=name,
        description=description,
        visibility=visibility,
        participation=participation,
        licence=licence,
        policy=(
            preset_policy(preset, policy_document)
            if preset is not None
            else policy_validate(policy_document or {})
        ),
        created_by=user,
    )
    _full_clean(space)
    if Space.objects.filter(slug=slug).exists():
        raise Conflict(
            _("The short name '%(slug)s' is taken; choose another.") % {"slug": slug}, field="slug"
        )
    try:
        with transaction.atomic():
            space.save(force_insert=True)
    except IntegrityError:
        raise Conflict(
            _("The short name '%(slug)s' is taken; choose another.") % {"slug": slug}, field="slug"
        ) from None
    SpaceMembership.objects.create(space=space, user=user, role=SpaceMembership.Role.STEWARD)
    forget_roles(user)
    recorder.record(
        actor=user,
        verb="space:created",
        target=space,
        space=space,
        data={
            "slug": slug,
            "name": name,
            "visibility": visibility,
            "participation": participation,
            "licence": licence,
            **({"preset": preset} if preset is not None else {}),
        },
    )
    return space


def _full_clean(obj: Any) -> None:
    from django.core.exceptions import ValidationError

    try:
        obj.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise Invalid(" ".join(messages), field=field) from None


@transaction.atomic
def space_update(*, user: Viewer, space: Space, **fields: Any) -> Space:
    """Change name, description, openness or licence; the event keeps old and new values."""
    user = policy.require_person(user, "space.update", space)
    allowed = {"name", "description", "visibility", "participation", "licence"}
    unknown = set(fields) - allowed
    if unknown:
        raise Invalid(
            _("Unknown field '%(field)s'.") % {"field": sorted(unknown)[0]},
            field=sorted(unknown)[0],
        )
    space = Space.objects.select_for_update().get(pk=space.pk)
    _check_openness(
        fields.get("visibility", space.visibility), fields.get("participation", space.participation)
    )
    if "licence" in fields:
        _check_licence(fields["licence"])
    diff = recorder.changes(space, fields)
    if not diff:
        return space
    for field, value in fields.items():
        setattr(space, field, value)
    _full_clean(space)
    space.save(update_fields=list(diff))
    recorder.record(actor=user, verb="space:updated", target=space, space=space, data=diff)
    return space


@transaction.atomic
def space_policy_update(*, user: Viewer, space: Space, document: Any) -> Space:
    user = policy.require_person(user, "space.update", space)
    return space_policy_apply(actor=user, space=space, document=document)


@transaction.atomic
def space_policy_preset_apply(*, user: Viewer, space: Space, preset: str) -> Space:
    """Reset the whole policy to `preset`'s (spaces/presets.py); the event names the preset."""
    user = policy.require_person(user, "space.update", space)
    document = preset_policy(preset)
    return space_policy_apply(actor=user, space=space, document=document, data={"preset": preset})


def space_policy_apply(
    *, actor: Any, space: Space, document: Any, data: dict[str, Any] | None = None
) -> Space:
    """Write a new policy with no permission check: for a steward's edit (checked above) and
    for a passed proposal, whose vote is the authority (`data` names it in the event)."""
    space = Space.objects.select_for_update().get(pk=space.pk)
    new_policy = policy_validate(document)
    if new_policy == space.policy:
        return space
    changed: dict[str, Any] = {
        key: {"old": space.policy.get(key), "new": value}
        for key, value in new_policy.items()
        if space.policy.get(key) != value
    }
    space.policy = new_policy
    space.save(update_fields=["policy"])
    recorder.record(
        actor=actor,
        verb="space:policy_updated",
        target=space,
        space=space,
        data={**changed, **(data or {})},
    )
    return space


def _stewards_left(space: Space, *, excluding: SpaceMembership) -> bool:
    return (
        SpaceMembership.objects.filter(space=space, role="steward", user__isnull=False)
        .exclude(pk=excluding.pk)
        .exists()
    )


@transaction.atomic
def space_member_add(
    *,
    user: Viewer,
    space: Space,
    member: User | None = None,
    organization: Organization | None = None,
    role: str = "member",
) -> SpaceMembership:
    """Add a person or a whole organization directly (stewards only)."""
    user = policy.require_person(user, "space.members.manage", space)
    if (member is None) == (organization is None):
        raise Invalid(_("Name either a person or an organization to add."), field="username")
    if role not in SpaceMembership.Role.values:
        raise Invalid(_("Role must be 'steward' or 'member'."), field="role")
    lookup = {"user": member} if member is not None else {"organization": organization}
    membership, created = SpaceMembership.objects.get_or_create(
        space=space, **lookup, defaults={"role": role}
    )
    if not created:
        raise Conflict(
            _("%(name)s is already a member of this space.") % {"name": membership.member}
        )
    if member is not None:
        forget_roles(member)
    recorder.record(
        actor=user,
        verb="space:member_added",
        target=space,
        space=space,
        data=_member_data(membership),
    )
    return membership


def _member_data(membership: SpaceMembership) -> dict[str, Any]:
    if membership.user:
        return {"user": membership.user.username, "role": membership.role}
    assert membership.organization is not None  # the check constraint: one or the other
    return {"organization": membership.organization.slug, "role": membership.role}


@transaction.atomic
def space_member_change_role(
    *, user: Viewer, space: Space, membership: SpaceMembership, role: str
) -> SpaceMembership:
    user = policy.require_person(user, "space.members.manage", space)
    if role not in SpaceMembership.Role.values:
        raise Invalid(_("Role must be 'steward' or 'member'."), field="role")
    membership = SpaceMembership.objects.select_for_update().get(pk=membership.pk, space=space)
    if membership.role == role:
        return membership
    if membership.role == "steward" and not _stewards_left(space, excluding=membership):
        raise Conflict(_("A space needs at least one steward in person; name another one first."))
    old = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    recorder.record(
        actor=user,
        verb="space:member_role_changed",
        target=space,
        space=space,
        data={**_member_data(membership), "role": {"old": old, "new": role}},
    )
    return membership


@transaction.atomic
def space_member_set_bot(
    *, user: Viewer, space: Space, membership: SpaceMembership, bot: bool
) -> SpaceMembership:
    """Mark a person's membership as a bot account, or take the mark away (stewards only)."""
    user = policy.require_person(user, "space.members.manage", space)
    membership = SpaceMembership.objects.select_for_update().get(pk=membership.pk, space=space)
    if membership.user_id is None:
        raise Invalid(_("Only a person can be marked as a bot, not an organization."))
    if membership.bot == bot:
        return membership
    membership.bot = bot
    membership.save(update_fields=["bot"])
    recorder.record(
        actor=user,
        verb="space:member_bot_changed",
        target=space,
        space=space,
        data={**_member_data(membership), "bot": {"old": not bot, "new": bot}},
    )
    return membership


@transaction.atomic
def space_member_remove(*, user: Viewer, space: Space, membership: SpaceMembership) -> None:
    user = policy.require_person(user, "space.members.manage", space)
    membership = SpaceMembership.objects.select_for_update().get(pk=membership.pk, space=space)
    if membership.role == "steward" and not _stewards_left(space, excluding=membership):
        raise Conflict(_("A space needs at least one steward in person; name another one first."))
    data = _member_data(membership)
    membership.delete()
    if membership.user_id:
        forget_roles(membership.user)
    recorder.record(actor=user, verb="space:member_removed", target=space, space=space, data=data)


@transaction.atomic
def space_leave(*, user: Viewer, space: Space) -> None:
    user = policy.require_person(user, "space.leave", space)
    membership = SpaceMembership.objects.select_for_update().get(space=space, user=user)
    if membership.role == "steward" and not _stewards_left(space, excluding=membership):
        raise Conflict(_("You are the last steward; name another steward before you leave."))
    membership.delete()
    forget_roles(user)
    recorder.record(actor=user, verb="space:member_left", target=space, space=space)


@transaction.atomic
def space_join(*, user: Viewer, space: Space) -> SpaceMembership:
    user = policy.require_person(user, "space.join", space)
    membership, created = SpaceMembership.objects.get_or_create(
        space=space, user=user, defaults={"role": "member"}
    )
    if created:
        forget_roles(user)
        recorder.record(actor=user, verb="space:joined", target=space, space=space)
    return membership


@transaction.atomic
def join_request_create(*, user: Viewer, space: Space, message: str = "") -> JoinRequest:
    user = policy.require_person(user, "space.join.request", space)
    join_request, created = JoinRequest.objects.get_or_create(
        space=space, user=user, status="pending", defaults={"message": message}
    )
    if created:
        recorder.record(
            actor=user,
            verb="space:join_requested",
            target=space,
            space=space,
            data={"request": join_request.pk},
        )
    return join_request


@transaction.atomic
def join_request_decide(
    *, user: Viewer, space: Space, join_request: JoinRequest, approve: bool
) -> JoinRequest:
    user = policy.require_person(user, "space.join_request.decide", join_request)
    join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk, space=space)
    if join_request.status != "pending":
        raise Conflict(
            _("This request was already %(status)s.")
            % {"status": join_request.get_status_display()}
        )
    join_request.status = "approved" if approve else "rejected"
    join_request.decided_by = user
    join_request.decided_at = timezone.now()
    join_request.save(update_fields=["status", "decided_by", "decided_at"])
    if approve:
        SpaceMembership.objects.get_or_create(
            space=space, user=join_request.user, defaults={"role": "member"}
        )
        forget_roles(join_request.user)
    recorder.record(
        actor=user,
        verb="space:join_approved" if approve else "space:join_rejected",
        target=space,
        space=space,
        data={"user": join_request.user.username, "request": join_request.pk},
    )
    return join_request


@transaction.atomic
def join_request_withdraw(*, user: Viewer, space: Space, join_request: JoinRequest) -> JoinRequest:
    user = policy.require_person(user, "space.join_request.withdraw", join_request)
    join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk, space=space)
    if join_request.status != "pending":
        raise Conflict(
            _("This request was already %(status)s.")
            % {"status": join_request.get_status_display()}
        )
    join_request.status = "withdrawn"
    join_request.save(update_fields=["status"])
    recorder.record(
        actor=user,
        verb="space:join_withdrawn",
        target=space,
        space=space,
        data={"request": join_request.pk},
    )
    return join_request


def space_invitation_create(
    *, user: Viewer, space: Space, invitee: User, role: str = "member"
) -> SpaceInvitation:
    return invitations.create(SPACE, user=user, target=space, invitee=invitee, role=role)


def space_invitation_respond(
    *, user: Viewer, invitation: SpaceInvitation, accept: bool
) -> SpaceInvitation:
    return invitations.respond(SPACE, user=user, invitation=invitation, accept=accept)


def space_invitation_cancel(*, user: Viewer, invitation: SpaceInvitation) -> SpaceInvitation:
    return invitations.cancel(SPACE, user=user, invitation=invitation)


def _block_data(block: Block, person: User) -> dict[str, Any]:
    return {
        "user": person.username,
        "block": block.pk,
        "reason": block.reason,
        "expires_at": block.expires_at.isoformat() if block.expires_at else None,
    }


@transaction.atomic
def space_block(
    *,
    user: Viewer,
    space: Space,
    person: User,
    reason: str,
    expires_at: datetime | None,
    prevents_account_creation: bool = True,
    replace: bool = False,
) -> Block:
    """Keep `person` from contributing to `space` until `expires_at` (None: until lifted).
    A person already blocked is blocked again only when `replace` is given (MediaWiki's
    `reblock`), so two stewards acting at once do not silently overwrite each other."""
    actor = policy.require_person(user, "space.block", space)
    now = timezone.now()
    if expires_at is not None and expires_at <= now:
        raise Invalid(
            _("The expiry must be in the future (or none, until lifted)."), field="expires_at"
        )
    if person.pk == actor.pk:
        raise Invalid(_("You cannot block yourself."), field="username")
    standing = Block.objects.select_for_update().filter(
        space=space, user=person, lifted_at__isnull=True
    )
    replaced = False
    for old in standing:
        if old.expires_at is None or old.expires_at > now:
            replaced = True
            if not replace:
                raise Conflict(_("%(name)s is already blocked.") % {"name": person.username})
        # An earlier block (expired, or being replaced) ends here; its row stays for the log.
        old.lifted_at = now
        old.lifted_by = actor if (old.expires_at is None or old.expires_at > now) else None
        old.save(update_fields=["lifted_at", "lifted_by"])
    block = Block.objects.create(
        space=space,
        user=person,
        blocked_by=actor,
        reason=reason.strip()[:500],
        created_at=now,
        expires_at=expires_at,
        prevents_account_creation=prevents_account_creation,
    )
    forget_roles(person)
    recorder.record(
        actor=actor,
        verb="space:blocked",
        target=space,
        space=space,
        data={**_block_data(block, person), "replaced": replaced},
    )
    return block


@transaction.atomic
def space_block_by_rule(
    *, space: Space, person: User, reason: str, expires_at: datetime, rule_author: User, rule: str
) -> Block | None:
    """A block a steward's filter sets (no one acts at the moment: the filter's author answers
    for it). A block already in force is left as it is; returns the new block, or None."""
    if block_in_force(person, space) is not None:
        return None
    standing = Block.objects.select_for_update().filter(
        space=space, user=person, lifted_at__isnull=True
    )
    now = timezone.now()
    standing.update(lifted_at=now)  # expired ones end here; their rows stay for the log
    block = Block.objects.create(
        space=space,
        user=person,
        blocked_by=rule_author,
        reason=reason.strip()[:500],
        created_at=now,
        expires_at=expires_at,
    )
    forget_roles(person)
    recorder.record(
        actor=rule_author,
        verb="space:blocked",
        target=space,
        space=space,
        data={**_block_data(block, person), "replaced": False, "rule": rule},
    )
    return block


@transaction.atomic
def space_unblock(*, user: Viewer, space: Space, person: User, reason: str = "") -> Block:
    """Lift the block in force on `person`; the row stays, marked lifted."""
    actor = policy.require_person(user, "space.block", space)
    forget_roles(person)
    current = block_in_force(person, space)
    if current is not None and current.is_site_wide:
        current = space_block_in_force(person, space)
    if current is None:
        raise Conflict(_("%(name)s is not blocked.") % {"name": person.username})
    block = Block.objects.select_for_update().get(pk=current.pk)
    block.lifted_at = timezone.now()
    block.lifted_by = actor
    block.save(update_fields=["lifted_at", "lifted_by"])
    forget_roles(person)
    recorder.record(
        actor=actor,
        verb="space:unblocked",
        target=space,
        space=space,
        data={**_block_data(block, person), "reason": reason.strip()[:500]},
    )
    return block
