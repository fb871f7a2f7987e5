"""Spaces: one commons each, with its openness, licence, policy and members."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from peerwork.accounts.models import slug_validator

LICENCES = [
    ("CC-BY-SA-4.0", "CC BY-SA 4.0"),
    ("CC-BY-4.0", "CC BY 4.0"),
    ("CC0-1.0", "CC0 1.0"),
    ("GFDL-1.3", "GNU FDL 1.3"),
    ("ODbL-1.0", "ODbL 1.0"),
    ("All-rights-reserved", _("All rights reserved")),
]


class Space(models.Model):
    class Visibility(models.TextChoices):
        PUBLIC = "public", _("public: anyone may read")
        MEMBERS = "members", _("members: only members may read, and it is not listed")

    class Participation(models.TextChoices):
        ANYONE = "anyone", _("anyone signed in may contribute")
        MEMBERS = "members", _("only members may contribute")

    slug = models.CharField(
        _("short name"), max_length=50, unique=True, validators=[slug_validator]
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    participation = models.CharField(
        _("participation"),
        max_length=10,
        choices=Participation.choices,
        default=Participation.ANYONE,
    )
    licence = models.CharField(
        _("licence"), max_length=40, choices=LICENCES, default="CC-BY-SA-4.0"
    )
    policy = models.JSONField(_("policy"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(visibility__in=["public", "members"]), name="spaces_visibility_valid"
            ),
            models.CheckConstraint(
                condition=Q(participation__in=["anyone", "members"]),
                name="spaces_participation_valid",
            ),
            # Who cannot read cannot contribute: a members-only space takes members-only work.
            models.CheckConstraint(
                condition=~Q(visibility="members", participation="anyone"),
                name="spaces_private_is_members_only",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_public(self) -> bool:
        return self.visibility == self.Visibility.PUBLIC


class SpaceMembership(models.Model):
    """A person or a whole organization; every member of a member organization is a member."""

    class Role(models.TextChoices):
        STEWARD = "steward", _("steward")
        MEMBER = "member", _("member")

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="space_memberships",
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="space_memberships",
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    # An account that runs a program: its edits may be flagged so that recent changes can hide
    # them (MediaWiki's bot group). Only a person's own membership can carry it.
    bot = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(bot=False) | Q(user__isnull=False),
                name="spaces_membership_bot_is_a_person",
            ),
            models.CheckConstraint(
                condition=(Q(user__isnull=False, organization__isnull=True))
                | (Q(user__isnull=True, organization__isnull=False)),
                name="spaces_membership_person_xor_organization",
            ),
            models.CheckConstraint(
                condition=Q(role__in=["steward", "member"]), name="spaces_membership_role_valid"
            ),
            models.UniqueConstraint(
                fields=["space", "user"],
                condition=Q(user__isnull=False),
                name="spaces_membership_one_per_person",
            ),
            models.UniqueConstraint(
                fields=["space", "organization"],
                condition=Q(organization__isnull=False),
                name="spaces_membership_one_per_organization",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} in {self.space} ({self.role})"

    @property
    def member(self) -> object:
        return self.user or self.organization


class JoinRequest(models.Model):
    class Status(models.TextChoices):
        """Labels in the context "join request status": they agree with "request"."""

        PENDING = "pending", pgettext_lazy("join request status", "pending")
        APPROVED = "approved", pgettext_lazy("join request status", "approved")
        REJECTED = "rejected", pgettext_lazy("join request status", "rejected")
        WITHDRAWN = "withdrawn", pgettext_lazy("join request status", "withdrawn")

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="join_requests")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests"
    )
    message = models.TextField(max_length=2000, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["space", "user"],
                condition=Q(status="pending"),
                name="spaces_joinrequest_one_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"request of {self.user} to join {self.space}"


class SpaceInvitation(models.Model):
    class Status(models.TextChoices):
        """Labels in the context "space invitation status": they agree with "invitation"."""

        PENDING = "pending", pgettext_lazy("space invitation status", "pending")
        ACCEPTED = "accepted", pgettext_lazy("space invitation status", "accepted")
        DECLINED = "declined", pgettext_lazy("space invitation status", "declined")
        CANCELLED = "cancelled", pgettext_lazy("space invitation status", "cancelled")

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="space_invitations"
    )
    role = models.CharField(max_length=10, choices=SpaceMembership.Role.choices, default="member")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["space", "user"],
                condition=Q(status="pending"),
                name="spaces_invitation_one_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"invitation of {self.user} to {self.space}"


class Block(models.Model):
    """A person kept from contributing to a space until `expires_at` (None: until lifted), as
    MediaWiki's blocks keep a user from editing. Lifting keeps the row, so the block log and
    the activity log stay whole; at most one block of a person in a space is in force."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="blocks")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    blocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(null=True, blank=True)
    #: MediaWiki's `nocreate`: kept for clients that read it back (a space has no accounts).
    prevents_account_creation = models.BooleanField(default=True)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["space", "user"],
                condition=Q(lifted_at__isnull=True),
                name="spaces_block_one_standing",
            ),
            models.CheckConstraint(
                condition=Q(expires_at__isnull=True) | Q(expires_at__gt=models.F("created_at")),
                name="spaces_block_expires_after_start",
            ),
        ]
        indexes = [models.Index(fields=["space", "-id"], name="spaces_block_listing_idx")]

    def __str__(self) -> str:
        return f"block {self.pk} of {self.user_id} in {self.space_id}"

    #: A block of one space; a SiteBlock answers True.
    is_site_wide = False


class SiteBlock(models.Model):
    """A person kept from contributing to every space until `expires_at` (None: until lifted),
    set by a site administrator. Like Block, lifting keeps the row (the block log) and at most
    one site-wide block of a person is in force."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    blocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(max_length=500)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(null=True, blank=True)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    #: Read the same way as a Block's by the pages and the MediaWiki API.
    is_site_wide = True
    prevents_account_creation = True

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(lifted_at__isnull=True),
                name="spaces_siteblock_one_standing",
            ),
            models.CheckConstraint(
                condition=Q(expires_at__isnull=True) | Q(expires_at__gt=models.F("created_at")),
                name="spaces_siteblock_expires_after_start",
            ),
        ]
        indexes = [models.Index(fields=["-id"], name="spaces_siteblock_listing_idx")]

    def __str__(self) -> str:
        return f"site-wide block {self.pk} of {self.user_id}"
