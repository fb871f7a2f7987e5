"""People, organizations and API tokens."""

from __future__ import annotations

import hashlib
import secrets
import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser, AnonymousUser
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

slug_validator = RegexValidator(
    r"^[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?$",
    _(
        "Use 1 to 50 lowercase letters, digits and hyphens, "
        "starting and ending with a letter or digit."
    ),
)


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


#: How notifications reach a person by mail (docs/decisions/0042-email.md).
EMAIL_NOTIFICATIONS = [
    ("none", _("No email")),
    ("each", _("An email for each notification")),
    ("daily", _("A daily digest")),
    ("weekly", _("A weekly digest")),
]


class User(AbstractUser):
    class Visibility(models.TextChoices):
        """Who sees a personal detail of a profile (the time zone, the languages)."""

        EVERYONE = "everyone", _("everyone")
        SPACES = "spaces", _("people in my spaces")
        SELF = "self", _("only me")

    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    bio = models.TextField(_("bio"), max_length=5000, blank=True)
    skills = models.JSONField(_("skills"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    language = models.CharField(
        _("interface language"), max_length=10, blank=True, choices=settings.LANGUAGES
    )
    #: The address its owner proved they read (by a link mailed to it); the address is
    #: verified while it equals `email`, so a change of address needs a new proof.
    verified_email = models.EmailField(_("verified email"), blank=True)
    email_notifications = models.CharField(
        _("notifications by email"),
        max_length=10,
        choices=EMAIL_NOTIFICATIONS,
        default="daily",
    )
    #: Settings that other tools keep for the person (a wiki client's date format or edit
    #: font, user scripts' options), by name; peerwork itself reads none of them (decision 0054).
    preferences = models.JSONField(_("other preferences"), default=dict, blank=True)
    time_zone_visibility = models.CharField(
        _("who sees my time zone"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.SPACES,
    )
    languages_visibility = models.CharField(
        _("who sees my languages"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.SPACES,
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("username"), name="accounts_user_username_unique_ci"),
            models.CheckConstraint(
                condition=Q(email_notifications__in=["none", "each", "daily", "weekly"]),
                name="accounts_user_email_notifications_valid",
            ),
            models.CheckConstraint(
                condition=Q(time_zone_visibility__in=["everyone", "spaces", "self"])
                & Q(languages_visibility__in=["everyone", "spaces", "self"]),
                name="accounts_user_visibility_valid",
            ),
        ]

    @property
    def name(self) -> str:
        return self.display_name or self.username

    @property
    def is_email_verified(self) -> bool:
        return bool(self.email) and self.verified_email == self.email

    def __str__(self) -> str:
        return self.name


class Organization(models.Model):
    slug = models.CharField(
        _("short name"), max_length=50, unique=True, validators=[slug_validator]
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    website = models.URLField(_("website"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class OrganizationMembership(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", _("admin")
        MEMBER = "member", _("member")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organization_memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "user"], name="accounts_orgmembership_one_per_person"
            ),
            models.CheckConstraint(
                condition=Q(role__in=["admin", "member"]), name="accounts_orgmembership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.organization} ({self.role})"


class OrganizationInvitation(models.Model):
    class Status(models.TextChoices):
        """Labels in the context "organization invitation status": they agree with
        "invitation"."""

        PENDING = "pending", pgettext_lazy("organization invitation status", "pending")
        ACCEPTED = "accepted", pgettext_lazy("organization invitation status", "accepted")
        DECLINED = "declined", pgettext_lazy("organization invitation status", "declined")
        CANCELLED = "cancelled", pgettext_lazy("organization invitation status", "cancelled")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organization_invitations"
    )
    role = models.CharField(
        max_length=10, choices=OrganizationMembership.Role.choices, default="member"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "user"],
                condition=Q(status="pending"),
                name="accounts_orginvitation_one_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"invitation of {self.user} to {self.organization}"


class ApiToken(models.Model):
    """A bearer token; only its SHA-256 is kept, so a leaked database leaks no usable token."""

    class Scope(models.TextChoices):
        READ = "read", _("read")
        WRITE = "write", _("write")

    PREFIX = "pw_"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    scope = models.CharField(max_length=5, choices=Scope.choices, default=Scope.READ)
    digest = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=12, help_text="The first characters, to tell tokens apart.")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(scope__in=["read", "write"]), name="accounts_apitoken_scope_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @classmethod
    def digest_of(cls, raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def new_secret(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


#: Who asks: a signed-in person or an anonymous visitor; the policy decides what either may do.
Viewer = User | AnonymousUser


class NotificationMail(models.Model):
    """One mail of notifications sent to a person: one notification, or a digest of several.

    The newest row's `last_notification_id` is where the next mail starts, so a run that
    sends nothing new sends no mail, and a rerun sends nothing twice.
    """

    class Kind(models.TextChoices):
        EACH = "each", _("notification")
        DAILY = "daily", _("daily digest")
        WEEKLY = "weekly", _("weekly digest")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_mails"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    address = models.EmailField()
    sent_at = models.DateTimeField()
    #: The newest notification the mail told of, and how many it told of.
    last_notification_id = models.BigIntegerField()
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "last_notification_id"], name="accounts_notificationmail_once"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["each", "daily", "weekly"]),
                name="accounts_notificationmail_kind_valid",
            ),
        ]
        indexes = [models.Index(fields=["user", "-sent_at"], name="accounts_mail_user_idx")]

    def __str__(self) -> str:
        return f"{self.kind} mail to {self.user_id} at {self.sent_at}"
