"""Pages about people, organizations, API tokens and invitations: thin faces on the actions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from peerwork.activity.selectors import person_events
from peerwork.activity.views import event_page
from peerwork.core import confirm, policy
from peerwork.core.errors import Conflict, Invalid, NotAuthenticated, RateLimited
from peerwork.core.pagination import offset_from_query, offset_slice

from . import actions, email_actions, invitation_views, selectors
from . import invitations as invitation_kinds
from .forms import (
    DirectoryForm,
    LoginForm,
    OrganizationEditForm,
    OrganizationForm,
    OrganizationMemberForm,
    OrganizationRoleForm,
    PasswordChangeForm,
    ProfileForm,
    SignupForm,
    TokenForm,
    add_action_error,
)
from .mail import site_url
from .models import User
from .policy import organization_role

EXPECTED = (Invalid, Conflict, RateLimited)


def signed_in_user(request: HttpRequest) -> User:
    """The signed-in person; anyone else is sent to sign in (by ProblemMiddleware)."""
    if not policy.signed_in(request.user):
        raise NotAuthenticated()
    return request.user  # type: ignore[return-value]


# --- signing up, in and out -------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if policy.signed_in(request.user):
        return redirect("home")
    form = SignupForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                person = actions.user_signup(
                    username=data["username"],
                    password=data["password1"],
                    email=data["email"],
                    display_name=data["display_name"],
                )
            except EXPECTED as error:
                status = add_action_error(form, error, fields={"password": "password1"})
            else:
                auth_login(request, person, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(
                    request, _("Welcome to peerwork, %(name)s.") % {"name": person.name}
                )
                if person.email:
                    email_actions.email_verification_send(
                        user=person,
                        person=person,
                        base_url=site_url(request),
                        language=get_language() or "",
                    )
                    messages.info(
                        request,
                        _("A link to confirm %(address)s is on its way there.")
                        % {"address": person.email},
                    )
                return redirect("home")
    return render(request, "accounts/signup.html", {"form": form}, status=status)


class LoginView(auth_views.LoginView):
    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)
        if form.throttled is not None:  # too many attempts: 429 and how long to wait
            response.status_code = 429
            response["Retry-After"] = str(form.throttled.retry_after)
        return response


login = LoginView.as_view(
    template_name="accounts/login.html",
    authentication_form=LoginForm,
    redirect_authenticated_user=True,
)


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    auth_logout(request)
    messages.success(request, _("You are signed out."))
    return redirect("home")


# --- profiles ----------------------------------------------------------------------------

#: Who sees a personal detail, as its owner reads it on their own profile.
AUDIENCE = {
    "everyone": gettext_lazy("everyone"),
    "spaces": gettext_lazy("the people of your spaces"),
    "self": gettext_lazy("only you"),
}


DIRECTORY_PAGE_SIZE = 30


@require_safe
def directory(request: HttpRequest) -> HttpResponse:
    """Everyone the viewer may see: name, skills, the spaces they share; searched and sorted."""
    form = DirectoryForm(request.GET)
    values = form.values()
    people = selectors.people_listed(viewer=request.user, **values)
    found, next_start = offset_slice(
        people, size=DIRECTORY_PAGE_SIZE, offset=offset_from_query(request.GET.get("start"))
    )
    shared = selectors.spaces_in_common(viewer=request.user, people=found)
    twins = selectors.shared_names(found)
    query = request.GET.copy()
    query.pop("start", None)
    context = {
        "form": form,
        "rows": [
            {
                "person": person,
                "show_username": not person.display_name or person.display_name in twins,
                "spaces": shared.get(person.pk, []),
            }
            for person in found
        ],
        "searched": bool(values["query"]),
        "next_start": next_start,
        "is_later_page": offset_from_query(request.GET.get("start")) > 0,
        "query": query.urlencode(),
    }
    return render(request, "accounts/directory.html", context)


@require_safe
def profile(request: HttpRequest, username: str) -> HttpResponse:
    person = selectors.user_get_visible(viewer=request.user, username=username)
    context = {
        "person": person,
        "details": selectors.personal_details(viewer=request.user, person=person),
        "time_zone_audience": AUDIENCE[person.time_zone_visibility],
        "languages_audience": AUDIENCE[person.languages_visibility],
        "organizations": selectors.organizations_of(person),
        "can_update": policy.can(request.user, "user.update", person),
    }
    return render(request, "accounts/profile.html", context)


@require_safe
def contributions(request: HttpRequest, username: str) -> HttpResponse:
    person = selectors.user_get_visible(viewer=request.user, username=username)
    events = person_events(viewer=request.user, person=person)
    return event_page(request, events, "accounts/contributions.html", {"person": person})


@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest) -> HttpResponse:
    me = signed_in_user(request)
    policy.require(me, "user.update", me)
    status = 200
    if request.method == "POST":
        form = ProfileForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                actions.user_update_profile(user=me, person=me, **form.profile_fields())
            except EXPECTED as error:
                status = add_action_error(form, error)
            else:
                messages.success(request, _("Your profile is saved."))
                return redirect("accounts:profile", username=me.username)
    else:
        form = ProfileForm(initial=ProfileForm.initial_for(me))
    return render(request, "accounts/profile_edit.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def set_language(request: HttpRequest) -> HttpResponse:
    """The footer's language switch. For a signed-in person it also becomes their interface
    language, which otherwise outranks the browser and the cookie on every later page. If the
    database cannot be written (the switch is on the error pages too), the cookie still
    carries the choice. A reader's switch is a GET, so the pages they read carry no form
    token and may be kept for every reader; it only sets the cookie."""
    from django.conf import settings
    from django.db import DatabaseError
    from django.views.i18n import set_language as django_set_language

    if request.method == "GET":
        return _language_cookie(request)
    language = request.POST.get("language", "")
    try:
        me = request.user
        # Only a language the site offers; "" would reset the profile to "the browser's".
        if me.is_authenticated and language in dict(settings.LANGUAGES):
            actions.user_update_profile(user=me, person=me, language=language)
    except DatabaseError:
        pass  # the cookie below still switches this browser
    return django_set_language(request)


def _language_cookie(request: HttpRequest) -> HttpResponse:
    from django.conf import settings
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = redirect(target)
    language = request.GET.get("language", "")
    if language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response


@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    me = signed_in_user(request)
    policy.require(me, "user.update", me)
    form = PasswordChangeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                actions.user_change_password(
                    user=me,
                    person=me,
                    old_password=form.cleaned_data["old_password"],
                    new_password=form.cleaned_data["new_password1"],
                )
            except EXPECTED as error:
                status = add_action_error(form, error, fields={"password": "new_password1"})
            else:
                update_session_auth_hash(request, me)
                messages.success(request, _("Your password is changed."))
                return redirect("accounts:profile", username=me.username)
    return render(request, "accounts/password_change.html", {"form": form}, status=status)


# --- API tokens ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    """The secret of a new token is in this one response only; it is never stored."""
    me = signed_in_user(request)
    form = TokenForm(request.POST or None)
    status = 200
    new_token = new_secret = None
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                new_token, new_secret = actions.token_create(
                    user=me,
                    person=me,
                    name=form.cleaned_data["name"],
                    scope=form.cleaned_data["scope"],
                )
            except EXPECTED as error:
                status = add_action_error(form, error)
            else:
                status = 201
                form = TokenForm()
    context = {
        "form": form,
        "tokens": selectors.tokens_of(viewer=me, person=me),
        "new_token": new_token,
        "new_secret": new_secret,
    }
    response = render(request, "accounts/tokens.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    me = signed_in_user(request)
    token = selectors.token_get(viewer=me, person=me, token_id=token_id)
    if not confirm.is_confirmed(request):
        return confirm.ask(
            request,
            confirm.Question(
                title=_("Revoke the token “%(name)s”?") % {"name": token.name},
                consequence=_(
                    "Programs that use it stop working at once: every request with it is "
                    "refused, and any open live stream with it is closed."
                ),
                irreversible=_("A revoked token cannot be used again; make a new one instead."),
                button=_("Revoke the token"),
                cancel_url=reverse("accounts:tokens"),
            ),
        )
    actions.token_revoke(user=me, token=token)
    messages.success(request, _("The token '%(name)s' is revoked.") % {"name": token.name})
    return redirect("accounts:tokens")


# --- organizations -------------------------------------------------------------------------


def organization_list(request: HttpRequest) -> HttpResponse:
    context = {
        "organizations": selectors.organizations_visible(request.user),
        "can_create": policy.can(request.user, "organization.create"),
    }
    return render(request, "accounts/organization_list.html", context)


@require_http_methods(["GET", "POST"])
def organization_create(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "organization.create")
    form = OrganizationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                organization = actions.organization_create(user=request.user, **form.cleaned_data)
            except EXPECTED as error:
                status = add_action_error(form, error)
            else:
                messages.success(
                    request,
                    _("The organization %(name)s is created.") % {"name": organization.name},
                )
                return redirect("accounts:organization_detail", slug=organization.slug)
    return render(
        request,
        "accounts/organization_form.html",
        {"form": form, "organization": None},
        status=status,
    )


def _organization_page(
    request: HttpRequest,
    organization: Any,
    *,
    member_form: OrganizationMemberForm | None = None,
    invite_form: OrganizationMemberForm | None = None,
    status: int = 200,
) -> HttpResponse:
    can_manage = policy.can(request.user, "organization.members.manage", organization)
    context = {
        "organization": organization,
        "members": selectors.organization_members(viewer=request.user, organization=organization),
        "your_role": organization_role(request.user, organization),
        "can_update": policy.can(request.user, "organization.update", organization),
        "can_manage": can_manage,
        "can_leave": policy.can(request.user, "organization.leave", organization),
        "invitations": (
            selectors.organization_invitations_pending(
                viewer=request.user, organization=organization
            )
            if can_manage
            else []
        ),
        "member_form": member_form or OrganizationMemberForm(auto_id="add_%s"),
        "invite_form": invite_form or OrganizationMemberForm(auto_id="invite_%s"),
        "role_choices": OrganizationRoleForm.base_fields["role"].choices,  # type: ignore[attr-defined]
    }
    return render(request, "accounts/organization_detail.html", context, status=status)


@require_safe
def organization_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organization = selectors.organization_get_visible(viewer=request.user, slug=slug)
    return _organization_page(request, organization)


@require_http_methods(["GET", "POST"])
def organization_edit(request: HttpRequest, slug: str) -> HttpResponse:
    organization = selectors.organization_get_visible(viewer=request.user, slug=slug)
    policy.require(request.user, "organization.update", organization)
    status = 200
    if request.method == "POST":
        form = OrganizationEditForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                actions.organization_update(
                    user=request.user, organization=organization, **form.cleaned_data
                )
            except EXPECTED as error:
                status = add_action_error(form, error)
            else:
                messages.success(request, _("The organization is saved."))
                return redirect("accounts:organization_detail", slug=organization.slug)
    else:
        form = OrganizationEditForm(
            initial={
                "name": organization.name,
                "description": organization.description,
                "website": organization.website,
            }
        )
    context = {"form": form, "organization": organization}
    return render(request, "accounts/organization_form.html", context, status=status)


def _organization_member_form(
    request: HttpRequest, slug: str, *, prefix: str, invite: bool
) -> HttpResponse:
    organization = selectors.organization_get_visible(viewer=request.user, slug=slug)
    policy.require(request.user, "organization.members.manage", organization)
    form = OrganizationMemberForm(request.POST, auto_id=f"{prefix}_%s")
    forms = {"invite_form" if invite else "member_form": form}
    if not form.is_valid():
        return _organization_page(request, organization, status=400, **forms)  # type: ignore[arg-type]
    person = None
    try:
        person = selectors.person_named(form.cleaned_data["username"])
        if invite:
            actions.organization_invitation_create(
                user=request.user,
                organization=organization,
                invitee=person,
                role=form.cleaned_data["role"],
            )
        else:
            actions.organization_member_add(
                user=request.user,
                organization=organization,
                member=person,
                role=form.cleaned_data["role"],
            )
    except EXPECTED as error:
        status = add_action_error(form, error)
        return _organization_page(request, organization, status=status, **forms)  # type: ignore[arg-type]
    if invite:
        messages.success(request, _("%(name)s is invited.") % {"name": person.name})
    else:
        messages.success(request, _("%(name)s is now a member.") % {"name": person.name})
    return redirect("accounts:organization_detail", slug=organization.slug)


@require_POST
def organization_member_add(request: HttpRequest, slug: str) -> HttpResponse:
    return _organization_member_form(request, slug, prefix="add", invite=False)


@require_POST
def organization_invite(request: HttpRequest, slug: str) -> HttpResponse:
    return _organization_member_form(request, slug, prefix="invite", invite=True)


@require_POST
def organization_member_role(request: HttpRequest, slug: str, username: str) -> HttpResponse:
    organization = selectors.organization_get_visible(viewer=request.user, slug=slug)
    membership = selectors.organization_membership_get(
        viewer=request.user, organization=organization, username=username
    )
    policy.require(request.user, "organization.members.manage", organization)
    form = OrganizationRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a role."))
        return redirect("accounts:organization_detail", slug=organization.slug)
    try:
        actions.organization_member_change_role(
            user=request.user,
            organization=organization,
            membership=membership,
            role=form.cleaned_data["role"],
        )
    except EXPECTED as error:
        messages.error(request, error.detail)
    else:
        messages.success(
            request, _("The role of %(name)s is changed.") % {"name": membership.user.name}
        )
    return redirect("accounts:organization_detail", slug=organization.slug)


@require_POST
def organization_member_remove(request: HttpRequest, slug: str, username: str) -> HttpResponse:
    organization = selectors.organization_get_visible(viewer=request.user, slug=slug)
    membership = selectors.organization_membership_get(
        viewer=request.user, organization=organization, username=username
    )
    leaving = membership.user_id == request.user.pk
    policy.require(
        request.user,
        "organization.leave" if leaving else "organization.members.manage",
        organization,
    )
    if not confirm.is_confirmed(request):
        detail_url = reverse("accounts:organization_detail", args=[organization.slug])
        if leaving:
            question = confirm.Question(
                title=_("Leave %(name)s?") % {"name": organization.name},
                consequence=_(
                    "You stop being a member at once, and lose what its members may do in the "
                    "spaces it belongs to."
                ),
                irreversible=_("To come back you have to be invited again."),
                button=_("Leave the organization"),
                cancel_url=detail_url,
            )
        else:
            question = confirm.Question(
                title=_("Remove %(name)s from %(organization)s?")
                % {"name": membership.user.name, "organization": organization.name},
                consequence=_(
                    "They stop being a member at once, and lose what its members may do in the "
                    "spaces it belongs to."
                ),
                irreversible=_("To come back they have to be invited again."),
                button=_("Remove the member"),
                cancel_url=detail_url,
            )
        return confirm.ask(request, question)
    try:
        actions.organization_member_remove(
            user=request.user, organization=organization, membership=membership
        )
    except EXPECTED as error:
        messages.error(request, error.detail)
    else:
        if leaving:
            messages.success(request, _("You left %(name)s.") % {"name": organization.name})
        else:
            messages.success(
                request, _("%(name)s is no longer a member.") % {"name": membership.user.name}
            )
    return redirect("accounts:organization_detail", slug=organization.slug)


# --- invitations ---------------------------------------------------------------------------


def invitations(request: HttpRequest) -> HttpResponse:
    me = signed_in_user(request)
    # The space kind registers itself from the spaces app; accounts does not import spaces.
    context = {
        f"{kind.name}_invitations": invitation_kinds.pending_for(kind, me)
        for kind in invitation_kinds.kinds()
    }
    return render(request, "accounts/invitations.html", context)


@require_POST
def organization_invitation_respond(request: HttpRequest, invitation_id: int) -> HttpResponse:
    return invitation_views.respond(
        request,
        invitation_kinds.ORGANIZATION,
        invitation_id,
        welcome=_("You joined %(name)s."),
        home="accounts:organization_detail",
    )


@require_POST
def organization_invitation_cancel(request: HttpRequest, invitation_id: int) -> HttpResponse:
    return invitation_views.cancel(
        request,
        invitation_kinds.ORGANIZATION,
        invitation_id,
        members="accounts:organization_detail",
    )
