"""Pages about a person's email: setting a new password by mail, proving an address, and
how notifications reach them by mail. Thin faces on accounts/email_actions.py."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from peerwork.core.errors import Conflict, Invalid, InvalidLink

from . import email_actions
from .forms import (
    EmailAddressForm,
    EmailNotificationsForm,
    PasswordResetRequestForm,
    ResetPasswordForm,
    add_action_error,
)
from .mail import site_url
from .views import EXPECTED, signed_in_user

BACKEND = "django.contrib.auth.backends.ModelBackend"


# --- a new password by mail -------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    form = PasswordResetRequestForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                email_actions.password_reset_request(
                    email=form.cleaned_data["email"],
                    base_url=site_url(request),
                    language=get_language() or "",
                )
            except EXPECTED as error:
                status = add_action_error(form, error)
            else:
                return redirect("accounts:password_reset_sent")
    return render(request, "accounts/password_reset.html", {"form": form}, status=status)


@require_safe
def password_reset_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/password_reset_sent.html")


class PasswordResetConfirm(auth_views.PasswordResetConfirmView):
    """Django's page for a reset link: it moves the token from the address into the session
    (so the page's address leaks nothing), then the action sets the password and the person
    is signed in."""

    template_name = "accounts/password_reset_confirm.html"
    form_class = ResetPasswordForm
    success_url = reverse_lazy("home")

    def form_valid(self, form: Any) -> HttpResponse:
        token = self.request.session.get(INTERNAL_RESET_SESSION_TOKEN, "")
        try:
            person = email_actions.password_reset_confirm(
                uid=self.kwargs["uidb64"],
                token=token,
                new_password=form.cleaned_data["new_password1"],
            )
        except InvalidLink:
            self.validlink = False
            return self.render_to_response(self.get_context_data(form=None), status=400)
        except Invalid as error:
            add_action_error(form, error, fields={"password": "new_password1"})
            return self.render_to_response(self.get_context_data(form=form), status=400)
        del self.request.session[INTERNAL_RESET_SESSION_TOKEN]
        auth_login(self.request, person, backend=BACKEND)
        messages.success(self.request, _("Your new password is set, and you are signed in."))
        return redirect(self.success_url)

    def form_invalid(self, form: Any) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form), status=400)


password_reset_confirm = require_http_methods(["GET", "POST"])(PasswordResetConfirm.as_view())


# --- proving an address -----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def email_verify(request: HttpRequest, verification: str) -> HttpResponse:
    """GET asks, POST confirms: a mail scanner that opens the link verifies nothing."""
    try:
        person = email_actions.email_verification_person(token=verification)
    except InvalidLink:
        status = 400 if request.method == "POST" else 200
        return render(request, "accounts/email_verify.html", {"valid": False}, status=status)
    if request.method == "POST":
        email_actions.email_verify(token=verification)
        messages.success(
            request, _("Your address %(address)s is verified.") % {"address": person.email}
        )
        if request.user.is_authenticated and request.user.pk == person.pk:
            return redirect("accounts:email_settings")
        return redirect("home")
    context = {"valid": True, "person": person, "verification": verification}
    response = render(request, "accounts/email_verify.html", context)
    add_never_cache_headers(response)  # it names the person's address: kept by no one
    return response


# --- the settings page ------------------------------------------------------------------------


def _settings_page(
    request: HttpRequest,
    *,
    address_form: EmailAddressForm | None = None,
    notifications_form: EmailNotificationsForm | None = None,
    status: int = 200,
) -> HttpResponse:
    me = signed_in_user(request)
    context = {
        "me": me,
        "address_form": address_form or EmailAddressForm(initial={"email": me.email}),
        "notifications_form": notifications_form
        or EmailNotificationsForm(initial={"notifications": me.email_notifications}),
    }
    return render(request, "accounts/email_settings.html", context, status=status)


@require_http_methods(["GET", "POST"])
def email_settings(request: HttpRequest) -> HttpResponse:
    """How notifications reach the person by mail (the page also holds the address)."""
    me = signed_in_user(request)
    if request.method != "POST":
        return _settings_page(request)
    form = EmailNotificationsForm(request.POST)
    if form.is_valid():
        try:
            email_actions.email_notifications_set(
                user=me, person=me, choice=form.cleaned_data["notifications"]
            )
        except EXPECTED as error:
            status = add_action_error(form, error, fields={"notifications": "notifications"})
            return _settings_page(request, notifications_form=form, status=status)
        messages.success(request, _("Your email settings are saved."))
        return redirect("accounts:email_settings")
    return _settings_page(request, notifications_form=form, status=400)


@require_POST
def email_address(request: HttpRequest) -> HttpResponse:
    me = signed_in_user(request)
    form = EmailAddressForm(request.POST)
    before = me.email
    if form.is_valid():
        try:
            person = email_actions.user_change_email(
                user=me,
                person=me,
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
                base_url=site_url(request),
                language=get_language() or "",
            )
        except EXPECTED as error:
            status = add_action_error(form, error)
            return _settings_page(request, address_form=form, status=status)
        if person.email == before:
            messages.success(request, _("Your address is unchanged."))
        elif person.email:
            messages.success(
                request,
                _("Your address is now %(address)s. A link to confirm it is on its way there.")
                % {"address": person.email},
            )
        else:
            messages.success(request, _("Your address is removed; peerwork sends you no mail."))
        return redirect("accounts:email_settings")
    return _settings_page(request, address_form=form, status=400)


@require_POST
def email_verification(request: HttpRequest) -> HttpResponse:
    """Send the verification link again."""
    me = signed_in_user(request)
    try:
        email_actions.email_verification_send(
            user=me, person=me, base_url=site_url(request), language=get_language() or ""
        )
    except Conflict as error:
        messages.info(request, error.detail)
    else:
        messages.success(
            request,
            _("A new link to confirm %(address)s is on its way there.") % {"address": me.email},
        )
    return redirect("accounts:email_settings")
