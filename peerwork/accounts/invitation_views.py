"""The web answers to an invitation, for every kind: accept or decline, and cancel.

Each kind's URL keeps its own view (and name); the view hands over what differs: the welcome
message and where the group's home and member list are.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from peerwork.core import policy
from peerwork.core.errors import Conflict, Invalid

from . import invitations
from .forms import ResponseForm
from .invitations import InvitationKind


def respond(
    request: HttpRequest, kind: InvitationKind, invitation_id: int, *, welcome: str, home: str
) -> HttpResponse:
    """`welcome` has a %(name)s for the group; `home` is the URL name of its page (by slug)."""
    # An invitation is concealed from anyone but its invitee and managers, anonymous included.
    me = request.user
    invitation = invitations.get(kind, viewer=me, invitation_id=invitation_id)
    policy.require(me, kind.respond_action, invitation)
    form = ResponseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose Accept or Decline."))
        return redirect("accounts:invitations")
    accept = form.cleaned_data["accept"]
    try:
        invitations.respond(kind, user=me, invitation=invitation, accept=accept)
    except (Invalid, Conflict) as error:
        messages.error(request, error.detail)
        return redirect("accounts:invitations")
    target = getattr(invitation, kind.target_field)
    if accept:
        messages.success(request, welcome % {"name": target.name})
        return redirect(home, slug=target.slug)
    messages.success(request, _("You declined the invitation to %(name)s.") % {"name": target.name})
    return redirect("accounts:invitations")


def cancel(
    request: HttpRequest, kind: InvitationKind, invitation_id: int, *, members: str
) -> HttpResponse:
    """`members` is the URL name of the page that lists the group's invitations (by slug)."""
    invitation = invitations.get(kind, viewer=request.user, invitation_id=invitation_id)
    try:
        invitations.cancel(kind, user=request.user, invitation=invitation)
    except (Invalid, Conflict) as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, _("The invitation is cancelled."))
    return redirect(members, slug=getattr(invitation, kind.target_field).slug)
