"""Forms of the people and organization pages: they read the typed text, the actions judge it."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from peerwork.core import limits
from peerwork.core.errors import RateLimited

from .models import EMAIL_NOTIFICATIONS, ApiToken, OrganizationMembership, User, time_zone_choices


class Form(forms.Form):
    """Labels without a trailing colon: they read as names, in every language."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class LoginForm(AuthenticationForm):
    #: Set when sign-ins are throttled: the RateLimited refusal, whose wait the page sends.
    throttled: RateLimited | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        """Each attempt counts against the account and the address before the password is
        checked (peerwork/core/limits.py); too many, and the form says how long to wait."""
        username = self.cleaned_data.get("username")
        if username and self.cleaned_data.get("password"):
            try:
                limits.login_attempt(username=username)
            except RateLimited as refusal:
                self.throttled = refusal
                raise ValidationError(refusal.detail, code="throttled") from None
        data = super().clean()
        if username and self.user_cache is not None:
            limits.login_succeeded(username=username)
        return data


USERNAME_HELP = _("Letters, digits and @ . + - _ only.")


def split_tags(text: str) -> list[str]:
    """'a, b ,c' -> ['a', 'b', 'c']: the comma-separated form of a list of short texts."""
    return [part.strip() for part in text.split(",") if part.strip()]


class SignupForm(Form):
    username = forms.CharField(label=_("Username"), max_length=150, help_text=USERNAME_HELP)
    display_name = forms.CharField(label=_("Display name"), max_length=100, required=False)
    email = forms.EmailField(
        label=_("Email (optional)"), required=False, help_text=_("Only used to reach you.")
    )
    password1 = forms.CharField(
        label=_("Password"), max_length=200, strip=False, widget=forms.PasswordInput
    )
    password2 = forms.CharField(
        label=_("Password again"), max_length=200, strip=False, widget=forms.PasswordInput
    )

    def clean(self) -> dict[str, Any]:
        data = cast(dict[str, Any], super().clean())  # Form.clean returns cleaned_data
        if (
            data.get("password1")
            and data.get("password2")
            and data["password1"] != data["password2"]
        ):
            self.add_error("password2", _("The two passwords are not the same."))
        return data


class ProfileForm(Form):
    display_name = forms.CharField(label=_("Display name"), max_length=100, required=False)
    bio = forms.CharField(
        label=_("About you"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    skills = forms.CharField(
        label=_("Skills"),
        required=False,
        max_length=3000,
        help_text=_("Separate them with commas, for example: translation, Python, design."),
    )
    languages = forms.CharField(
        label=_("Languages you speak"),
        required=False,
        max_length=3000,
        help_text=_("Separate them with commas, for example: English, Español."),
    )
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=time_zone_choices)
    language = forms.ChoiceField(
        label=_("Interface language"),
        required=False,
        choices=[("", _("As my browser asks"))] + list(settings.LANGUAGES),
    )

    time_zone_visibility = forms.ChoiceField(
        label=_("Who sees my time zone"),
        choices=User.Visibility.choices,
        widget=forms.RadioSelect,
    )
    languages_visibility = forms.ChoiceField(
        label=_("Who sees my languages"),
        choices=User.Visibility.choices,
        widget=forms.RadioSelect,
    )

    #: the fields of the "Privacy" fieldset; the template shows the others above it.
    PRIVACY_FIELDS = ("time_zone_visibility", "languages_visibility")

    def privacy_fields(self) -> list[Any]:
        return [self[name] for name in self.PRIVACY_FIELDS]

    def profile_fields_shown(self) -> list[Any]:
        return [field for field in self.visible_fields() if field.name not in self.PRIVACY_FIELDS]

    @classmethod
    def initial_for(cls, person: Any) -> dict[str, Any]:
        return {
            "time_zone_visibility": person.time_zone_visibility,
            "languages_visibility": person.languages_visibility,
            "display_name": person.display_name,
            "bio": person.bio,
            "skills": ", ".join(person.skills),
            "languages": ", ".join(person.languages),
            "time_zone": person.time_zone,
            "language": person.language,
        }

    def profile_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["skills"] = split_tags(data["skills"])
        data["languages"] = split_tags(data["languages"])
        return data


class PasswordChangeForm(Form):
    old_password = forms.CharField(
        label=_("Current password"), max_length=200, strip=False, widget=forms.PasswordInput
    )
    new_password1 = forms.CharField(
        label=_("New password"), max_length=200, strip=False, widget=forms.PasswordInput
    )
    new_password2 = forms.CharField(
        label=_("New password again"), max_length=200, strip=False, widget=forms.PasswordInput
    )

    def clean(self) -> dict[str, Any]:
        data = cast(dict[str, Any], super().clean())  # Form.clean returns cleaned_data
        first, second = data.get("new_password1"), data.get("new_password2")
        if first and second and first != second:
            self.add_error("new_password2", _("The two passwords are not the same."))
        return data


class TokenForm(Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("What the token is for, e.g. 'my bot'.")
    )
    scope = forms.ChoiceField(
        label=_("Scope"),
        choices=ApiToken.Scope.choices,
        initial=ApiToken.Scope.READ,
        help_text=_("'read' can only look; 'write' can also change things as you."),
    )


class OrganizationForm(Form):
    slug = forms.CharField(
        label=_("Short name"),
        max_length=50,
        help_text=_("Used in addresses: lowercase letters, digits and hyphens."),
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    website = forms.CharField(label=_("Website"), max_length=200, required=False)


class OrganizationEditForm(OrganizationForm):
    slug = None  # type: ignore[assignment]


class OrganizationMemberForm(Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    role = forms.ChoiceField(
        label=_("Role"),
        choices=OrganizationMembership.Role.choices,
        initial=OrganizationMembership.Role.MEMBER,
    )


class OrganizationRoleForm(Form):
    role = forms.ChoiceField(label=_("Role"), choices=OrganizationMembership.Role.choices)


class ResponseForm(Form):
    """Accept or decline an invitation: the button pressed names the answer."""

    accept = forms.TypedChoiceField(
        choices=[("1", _("Accept")), ("0", _("Decline"))], coerce=lambda value: value == "1"
    )


def add_action_error(form: forms.Form, error: Any, *, fields: dict[str, str] | None = None) -> int:
    """Show an action's Invalid/Conflict next to its field (or the form) and return the status.

    `fields` maps an action's field name to this form's, where they differ.
    """
    field = (fields or {}).get(error.field, error.field)
    form.add_error(field if field in form.fields else None, str(error.detail))
    return int(error.status)


# --- email, password reset --------------------------------------------------------------------


class PasswordResetRequestForm(Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        help_text=_("The address of your account."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )


class ResetPasswordForm(SetPasswordForm):
    """Django's form for a new password (two fields, the password validators), its fields
    declared as the password change form's: Django's help is an HTML list, ours plain text."""

    new_password1 = forms.CharField(
        label=_("New password"), max_length=200, strip=False, widget=forms.PasswordInput
    )
    new_password2 = forms.CharField(
        label=_("New password again"), max_length=200, strip=False, widget=forms.PasswordInput
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class EmailAddressForm(Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        required=False,
        help_text=_("Leave it empty to remove your address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label=_("Current password"),
        max_length=200,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class EmailNotificationsForm(Form):
    notifications = forms.ChoiceField(
        label=_("Notifications by email"),
        choices=EMAIL_NOTIFICATIONS,
        widget=forms.RadioSelect,
    )


class DirectoryForm(Form):
    """The people directory's search and order, read from the query string."""

    q = forms.CharField(
        label=_("Name or skill"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[("name", _("name")), ("newest", _("newest first"))],
    )

    def values(self) -> dict[str, str]:
        """What to show: a wrong value reads as the default rather than as an error page."""
        if not self.is_valid():
            return {"query": "", "sort": "name"}
        return {
            "query": self.cleaned_data["q"],
            "sort": self.cleaned_data["sort"] or "name",
        }
