"""The space kind of the one invitation lifecycle (peerwork/accounts/invitations.py)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from peerwork.accounts.invitations import InvitationKind, register
from peerwork.accounts.names import person_name

from .models import SpaceInvitation, SpaceMembership
from .selectors import forget_roles

SPACE = register(
    InvitationKind(
        name="space",
        model=SpaceInvitation,
        membership_model=SpaceMembership,
        target_field="space",
        roles=("member", "steward"),
        manage_action="space.members.manage",
        invalid_role_message=lambda: _("Role must be 'steward' or 'member'."),
        already_member_message=lambda invitee, space: (
            _("%(name)s is already a member of this space.") % {"name": person_name(invitee)}
        ),
        forget_roles=forget_roles,
        space_of=lambda space: space,
    )
)
