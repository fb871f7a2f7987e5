"""Pages of spaces: openness, settings, members, joining. Thin faces on the actions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from peerwork.accounts import invitation_views
from peerwork.accounts.forms import add_action_error
from peerwork.accounts.selectors import organization_get_visible, person_named
from peerwork.core import confirm, policy
from peerwork.core.errors import Conflict, Invalid, NotFound

from . import actions, selectors, settings_panels
from .forms import (
    BlockForm,
    DecisionForm,
    InviteForm,
    JoinRequestForm,
    MemberAddForm,
    PolicyForm,
    PresetForm,
    RoleForm,
    SpaceCreateForm,
    SpaceSettingsForm,
)
from .invitations import SPACE
from .models import Space
from .policy_form import PolicySettingsForm
from .presets import PRESETS

EXPECTED = (Invalid, Conflict)


def space_list(request: HttpRequest) -> HttpResponse:
    context = {
        "spaces": selectors.spaces_listed(request.user),
        "can_create": policy.can(request.user, "space.create"),
    }
    return render(request, "spaces/list.html", context)


@require_http_methods(["GET", "POST"])
def space_create(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "space.create")
    form = SpaceCreateForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                space = actions.space_create(user=request.user, **form.cleaned_data)
            except EXPECTED as error:
                status = add_action_error(form, error)
            else:
                messages.success(
                    request, _("The space %(name)s is created.") % {"name": space.name}
                )
                return redirect("spaces:home", slug=space.slug)
    return render(request, "spaces/create.html", {"form": form}, status=status)


def _space_context(request: HttpRequest, space: Space) -> dict[str, Any]:
    """What every page of a space shows in its header: the viewer's role and what they may do."""
    return {
        "space": space,
        "your_role": selectors.space_role(request.user, space),
        "can_update": policy.can(request.user, "space.update", space),
        "can_manage": policy.can(request.user, "space.members.manage", space),
    }


def space_home(request: HttpRequest, slug: str) -> HttpResponse:
    space = selectors.space_get_visible(user=request.user, slug=slug)
    context = {
        **_space_context(request, space),
        "can_join": policy.can(request.user, "space.join", space),
        "can_request": policy.can(request.user, "space.join.request", space),
        "can_leave": policy.can(request.user, "space.leave", space),
        "pending_request": selectors.pending_join_request(request.user, space),
        "join_form": JoinRequestForm(),
        "getting_started": selectors.getting_started(request.user, space),
    }
    return render(request, "spaces/home.html", context)


def _settings_page(
    request: HttpRequest,
    space: Space,
    *,
    form: SpaceSettingsForm | None = None,
    policy_form: PolicyForm | None = None,
    settings_form: PolicySettingsForm | None = None,
    preset_form: PresetForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The settings page; the policy shows as a form, or as JSON (`?policy=json`, or after a
    refused JSON edit)."""
    as_json = policy_form is not None or (
        settings_form is None and request.GET.get("policy") == "json"
    )
    context = {
        **_space_context(request, space),
        "form": form or SpaceSettingsForm(initial=SpaceSettingsForm.initial_for(space)),
        "policy_as_json": as_json,
        "preset_form": preset_form or PresetForm(),
        "panels": settings_panels.panels_for(request, space),
    }
    if as_json:
        context["policy_form"] = policy_form or PolicyForm(
            initial={"policy": PolicyForm.text_of(space.policy)}
        )
    else:
        context["settings_form"] = settings_form or PolicySettingsForm(policy=space.policy)
    return render(request, "spaces/settings.html", context, status=status)


@require_http_methods(["GET", "POST"])
def space_settings(request: HttpRequest, slug: str) -> HttpResponse:
    space = selectors.space_get_visible(user=request.user, slug=slug)
    policy.require(request.user, "space.update", space)
    if request.method == "GET":
        return _settings_page(request, space)
    form = SpaceSettingsForm(request.POST)
    if not form.is_valid():
        return _settings_page(request, space, form=form, status=400)
    try:
        actions.space_update(user=request.user, space=space, **form.cleaned_data)
    except EXPECTED as error:
        status = add_action_error(form, error)
        return _settings_page(request, space, form=form, status=status)
    messages.success(request, _("The settings are saved."))
    return redirect("spaces:settings", slug=space.slug)


@require_POST
def space_policy(request: HttpRequest, slug: str) -> HttpResponse:
    """Save the policy from its form, or from its JSON text (a post with `policy`)."""
    space = selectors.space_get_visible(user=request.user, slug=slug)
    policy.require(request.user, "space.update", space)
    if "policy" in request.POST:
        return _policy_from_json(request, space)
    form = PolicySettingsForm(request.POST, policy=space.policy)
    document = form.document()
    if document is None:
        return _settings_page(request, space, settings_form=form, status=400)
    try:
        actions.space_policy_update(user=request.user, space=space, document=document)
    except EXPECTED as error:
        status = add_action_error(form, error)
        return _settings_page(request, space, settings_form=form, status=status)
    messages.success(request, _("The policy is saved."))
    return redirect(reverse("spaces:settings", args=[space.slug]) + "#policy-heading")


def _policy_from_json(request: HttpRequest, space: Space) -> HttpResponse:
    form = PolicyForm(request.POST)
    if not form.is_valid():
        return _settings_page(request, space, policy_form=form, status=400)
    try:
        actions.space_policy_update(
            user=request.user, space=space, document=form.cleaned_data["policy"]
        )
    except EXPECTED as error:
        status = add_action_error(form, error)
        return _settings_page(request, space, policy_form=form, status=status)
    messages.success(request, _("The policy is saved."))
    return redirect(reverse("spaces:settings", args=[space.slug]) + "?policy=json#policy-heading")


@require_POST
def space_policy_preset(request: HttpRequest, slug: str) -> HttpResponse:
    """Reset the whole policy to a preset's."""
    space = selectors.space_get_visible(user=request.user, slug=slug)
    policy.require(request.user, "space.update", space)
    form = PresetForm(request.POST)
    if not form.is_valid():
        return _settings_page(request, space, preset_form=form, status=400)
    try:
        actions.space_policy_preset_apply(
            user=request.user, space=space, preset=form.cleaned_data["preset"]
        )
    except EXPECTED as error:
        status = add_action_error(form, error)
        return _settings_page(request, space, preset_form=form, status=status)
    messages.success(
        request,
        _("The policy is reset to the preset %(preset)s.")
        % {"preset": PRESETS[form.cleaned_data["preset"]].name},
    )
    return redirect(reverse("spaces:settings", args=[space.slug]) + "#policy-heading")


# --- members -------------------------------------------------------------------------------


def _members_page(
    request: HttpRequest,
    space: Space,
    *,
    add_form: MemberAddForm | None = None,
    invite_form: InviteForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = _space_context(request, space)
    context.update(
        members=selectors.space_members(user=request.user, space=space),
        role_choices=RoleForm.base_fields["role"].choices,  # type: ignore[attr-defined]
        add_form=add_form or MemberAddForm(),
        invite_form=invite_form or InviteForm(auto_id="invite_%s"),
    )
    if context["can_manage"]:
        context.update(
            join_requests=selectors.join_requests_pending(user=request.user, space=space),
            invitations=selectors.invitations_pending(user=request.user, space=space),
        )
    return render(request, "spaces/members.html", context, status=status)


def members(request: HttpRequest, slug: str) -> HttpResponse:
    space = selectors.space_get_visible(user=request.user, slug=slug)
    return _members_page(request, space)


@require_POST
def member_add(request: HttpRequest, slug: str) -> HttpResponse:
    space = selectors.space_get_visible(user=request.user, slug=slug)
    policy.require(request.user, "space.members.manage", space)
    form = MemberAddForm(request.POST)
    if not form.is_valid():
        return _members_page(request, space, add_form=form, status=400)
    data = form.cleaned_data
    try:
        member = person_named(data["username"]) if data["username"] else None
        organization = None
        if data["organization"]:
            try:
                organization = organization_get_visible(
                    viewer=request.user, slug=data["organization"]
                )
            except NotFound:
                raise Invalid(
                    _("There is no organization '%(slug)s'.") % {"slug": data["organization"]},
                    field="organization",
                ) from None
        membership = actions.space_member_add(
            user=request.user,
            space=space,
            member=member,
            organization=organization,
            role=data["role"],
        )
    except EXPECTED as error:
        status = add_action_error(form, error)
        return _members_page(request, space, add_form=form, status=status)
    messages.success(request, _("%(name)s is now a member.") % {"name": membership.member})
    return redirect("spaces:members", slug=space.slug)


@require_POST
def member_role(request: HttpRequest, slug: str, member_id: int) -> HttpResponse:
    space = selectors.space_get_visible(user=request.user, slug=slug)
    membership = selectors.space_membership_get(
        user=request.user, space=space, membership_id=member_id
    )
    policy.require(request.user, "space.members.manage", space)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a role."))
        return redirect("spaces:members", slug=space.slug)
    try:
        actions.space_member_change_role(
            user=request.user, space=space, membership=membership, role=form.cleaned_data["role"]
        )
    except EXPECTED as error:
        messages.error(request, error.detail)
    else:
        messages.success(
            request, _("The role of %(name)s is changed.") % {"name": membership.member}
        )
    return redirect("spaces:members", slug=space.slug)


@require_POST
def member_remove(request: HttpRequest, slug: str, member_id: int) -> HttpResponse:
    space = selectors.space_get_visible(user=request.user, slug=slug)
    membership = selectors.space_membership_get(
        user=request.user, space=space, membership_id=member_id
    )
    policy.require(request.user, "space.members.manage", space)
    if not confirm.is_confirmed(request):
        return confirm.ask(
            request,
            confirm.Question(
                title=_("Remove %(name)s from %(space)s?")
                % {"name": membership.member, "space": space.name},
                consequence=_(
                    "They lose what members may do here at once: their role, and writing where "
                    "only members write. What they wrote stays, under their name."
                ),
                irreversible=_("To come back they have to be invited or ask to join again."),
                button=_("Remove the member"),
                cancel_url=reverse("spaces:members", args=[space.slug]),
            ),
        )
    try:
        actions.space_member_remove(user=request.user, space=space, membership=membership)
    except EXPECTED as error:
        messages.error(request, error.detail)
    else:
        messages.success(
            request, _("%(name)s is no longer a member.") % {"name": membership.member}
        )
    return redirect("spaces:members", slug=space.slug)


# --- joining and leaving -------------------------------------------------------------------


@require_POST
def join(request: HttpRequest, slug: str) -> HttpResponse:
    space = selectors.space_get_visible(user=request.user, slug=slug)
    try:
        actions.space_join(user=request.user, space=space)
    except EXPECTED as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, _("Welcome to %(name)s.") % {"name": space.name})
    return redirect("spaces:home", slug=space.slug)


@require_POST
def leave(request: HttpRequest, slug: str) -> HttpResponse:
    space = selectors.space_get_visible(user=request.user, slug=slug)
    policy.require(request.user, "space.leave", space)
    if not confirm.is_confirmed(request):
        return confirm.ask(
            request,
            confirm.Question(
                title=_("Leave %(name)s?") % {"name": space.name},
                consequence=_(
                    "You stop being a member at once, with your role. What you wrote stays, "
                    "under your name."
                ),
                irreversible=_("To come back you have to be invited or ask to join again."),
                button=_("Leave this space"),
                cancel_url=reverse("spaces:home", args=[space.slug]),
            ),
        )
    try:
        actions.space_leave(user=request.user, space=space)
    except EXPECTED as error:
        messages.error(request, error.detail)
        return redirect("spaces:home", slug=space.slug)
    messages.success(request, _("You left %(name)s.") % {"name": space.name})
    if policy.can(request.user, "space.view", space):
        return redirect("spaces:home", slug=space.slug)
    return redirect("home")


@require_POST
def join_request_create(request: HttpRequest, slug: str) -> HttpResponse:
    space = selectors.space_get_visible(user=request.user, slug=slug)
    policy.require(request.user, "space.join.request", space)
    form = JoinRequestForm(request.POST)
    if form.is_valid():
        try:
            actions.join_request_create(
                user=request.user, space=space, message=form.cleaned_data["message"]
            )
        except EXPECTED as error:
            messages.error(request, error.detail)
        else:
            messages.success(request, _("Your request to join is sent to the stewards."))
    else:
        messages.error(request, _("The message is too long."))
    return redirect("spaces:home", slug=space.slug)


@require_POST
def join_request_decide(request: HttpRequest, slug: str, request_id: int) -> HttpResponse:
    space = selectors.space_get_visible(user=request.user, slug=slug)
    join_request = selectors.join_request_get(user=request.user, space=space, request_id=request_id)
    policy.require(request.user, "space.join_request.decide", join_request)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose Approve or Reject."))
        return redirect("spaces:members", slug=space.slug)
    approve = form.cleaned_data["decision"] == "approve"
    if not approve and not confirm.is_confirmed(request):
        return confirm.ask(
            request,
            confirm.Question(
                title=_("Turn down the request of %(name)s?") % {"name": join_request.user.name},
                consequence=_(
                    "They are told their request to join %(space)s is turned down, and it "
                    "leaves the list of requests."
                )
                % {"space": space.name},
                irreversible=_("To join later they have to ask again."),
                button=_("Reject"),
                cancel_url=reverse("spaces:members", args=[space.slug]),
            ),
        )
    try:
        actions.join_request_decide(
            user=request.user, space=space, join_request=join_request, approve=approve
        )
    except EXPECTED as error:
        messages.error(request, error.detail)
    else:
        name = join_request.user.name
        if approve:
            messages.success(request, _("%(name)s is now a member.") % {"name": name})
        else:
            messages.success(request, _("The request of %(name)s is turned down.") % {"name": name})
    return redirect("spaces:members", slug=space.slug)


@require_POST
def join_request_withdraw(request: HttpRequest, slug: str, request_id: int) -> HttpResponse:
    space = selectors.space_get_visible(user=request.user, slug=slug)
    join_request = selectors.join_request_get(user=request.user, space=space, request_id=request_id)
    policy.require(request.user, "space.join_request.withdraw", join_request)
    if not confirm.is_confirmed(request):
        return confirm.ask(
            request,
            confirm.Question(
                title=_("Withdraw your request to join %(name)s?") % {"name": space.name},
                consequence=_("The stewards will no longer see your request."),
                irreversible=_("To join later you have to ask again."),
                button=_("Withdraw the request"),
                cancel_url=reverse("spaces:home", args=[space.slug]),
            ),
        )
    try:
        actions.join_request_withdraw(user=request.user, space=space, join_request=join_request)
    except EXPECTED as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, _("Your request to join is withdrawn."))
    return redirect("spaces:home", slug=space.slug)


# --- invitations ---------------------------------------------------------------------------


@require_POST
def invitation_create(request: HttpRequest, slug: str) -> HttpResponse:
    space = selectors.space_get_visible(user=request.user, slug=slug)
    policy.require(request.user, "space.members.manage", space)
    form = InviteForm(request.POST, auto_id="invite_%s")
    if not form.is_valid():
        return _members_page(request, space, invite_form=form, status=400)
    try:
        invitee = person_named(form.cleaned_data["username"])
        actions.space_invitation_create(
            user=request.user, space=space, invitee=invitee, role=form.cleaned_data["role"]
        )
    except EXPECTED as error:
        status = add_action_error(form, error)
        return _members_page(request, space, invite_form=form, status=status)
    messages.success(request, _("%(name)s is invited.") % {"name": invitee.name})
    return redirect("spaces:members", slug=space.slug)


@require_POST
def invitation_respond(request: HttpRequest, invitation_id: int) -> HttpResponse:
    return invitation_views.respond(
        request, SPACE, invitation_id, welcome=_("Welcome to %(name)s."), home="spaces:home"
    )


@require_POST
def invitation_cancel(request: HttpRequest, invitation_id: int) -> HttpResponse:
    return invitation_views.cancel(request, SPACE, invitation_id, members="spaces:members")


def _blocks_page(
    request: HttpRequest, space: Space, *, form: BlockForm | None = None, status: int = 200
) -> HttpResponse:
    context = _space_context(request, space)
    context.update(
        blocks=selectors.blocks_of_space(user=request.user, space=space)[:200],
        can_block=policy.can(request.user, "space.block", space),
        block_form=form or BlockForm(),
    )
    return render(request, "spaces/blocks.html", context, status=status)


def blocks(request: HttpRequest, slug: str) -> HttpResponse:
    """The blocks in force (public, like MediaWiki's block list); stewards block from here."""
    space = selectors.space_get_visible(user=request.user, slug=slug)
    return _blocks_page(request, space)


@require_POST
def block_create(request: HttpRequest, slug: str) -> HttpResponse:
    space = selectors.space_get_visible(user=request.user, slug=slug)
    policy.require(request.user, "space.block", space)
    form = BlockForm(request.POST)
    if not form.is_valid():
        return _blocks_page(request, space, form=form, status=400)
    try:
        person = person_named(form.cleaned_data["username"])
    except EXPECTED as error:
        status = add_action_error(form, error)
        return _blocks_page(request, space, form=form, status=status)
    if not confirm.is_confirmed(request):
        return confirm.ask(
            request,
            confirm.Question(
                title=_("Block %(name)s in %(space)s?")
                % {"name": person.username, "space": space.name},
                consequence=_(
                    "They keep reading the space, but may not edit pages or contribute until "
                    "the block ends. They see the reason when they try."
                ),
                button=_("Block"),
                cancel_url=reverse("spaces:blocks", args=[space.slug]),
            ),
        )
    try:
        actions.space_block(
            user=request.user,
            space=space,
            person=person,
            reason=form.cleaned_data["reason"],
            expires_at=form.expires_at(),
        )
    except EXPECTED as error:
        status = add_action_error(form, error)
        return _blocks_page(request, space, form=form, status=status)
    messages.success(request, _("%(name)s is blocked.") % {"name": person.username})
    return redirect("spaces:blocks", slug=space.slug)


@require_POST
def block_lift(request: HttpRequest, slug: str, username: str) -> HttpResponse:
    space = selectors.space_get_visible(user=request.user, slug=slug)
    policy.require(request.user, "space.block", space)
    try:
        person = person_named(username)
        actions.space_unblock(
            user=request.user,
            space=space,
            person=person,
            reason=request.POST.get("reason", "")[:500],
        )
    except EXPECTED as error:
        messages.error(request, str(error.detail))
        return redirect("spaces:blocks", slug=space.slug)
    messages.success(request, _("The block of %(name)s is lifted.") % {"name": person.username})
    return redirect("spaces:blocks", slug=space.slug)
