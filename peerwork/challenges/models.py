"""Challenges (innovation networks): a seeker's problem with a prize, sealed submissions,
judges' scores and the awards that split the prize exactly.

States (upcoming, open, judging, judged, withdrawn) are computed from the stored times, so
nothing depends on a job having run (docs/challenges.md).
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Kind(models.TextChoices):
    IDEATION = "ideation", _("ideation")
    THEORETICAL = "theoretical", _("theoretical")
    PROTOTYPE = "prototype", _("prototype")
    SCORED = "scored", _("scored (leaderboard)")


class IpTerms(models.TextChoices):
    """The documented templates of docs/challenges.md."""

    LICENSE = "license", _("solver keeps the rights and licenses them to the seeker")
    ASSIGN = "assign", _("rights are assigned to the seeker on award")
    OPEN = "open", _("open licence: the work joins the space's commons")


class State(models.TextChoices):
    """A challenge's state; its labels carry the context "challenge state", since languages
    that agree adjectives with their noun say "withdrawn" differently of a challenge."""

    UPCOMING = "upcoming", pgettext_lazy("challenge state", "upcoming")
    OPEN = "open", pgettext_lazy("challenge state", "open")
    JUDGING = "judging", pgettext_lazy("challenge state", "judging")
    JUDGED = "judged", pgettext_lazy("challenge state", "judged")
    WITHDRAWN = "withdrawn", pgettext_lazy("challenge state", "withdrawn")


METRIC_CHOICES = [
    ("accuracy", _("accuracy")),
    ("rmse", _("root mean squared error")),
    ("mae", _("mean absolute error")),
    ("log_loss", _("log loss")),
    ("f1", _("F1")),
]


class Challenge(models.Model):
    space = models.ForeignKey("spaces.Space", on_delete=models.PROTECT, related_name="challenges")
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="challenges_posted"
    )
    #: set when an organization is the seeker: its admins act for it.
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="challenges",
    )
    title = models.CharField(_("title"), max_length=200)
    statement = models.TextField(_("problem statement"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    currency = models.CharField(_("currency"), max_length=3)
    prize_pool = models.PositiveBigIntegerField(_("prize pool (minor units)"))
    #: amounts per place (1st, 2nd, ...) in minor units; they add up to prize_pool.
    prize_split = models.JSONField(_("prize per place"), default=list)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    ip_terms = models.CharField(_("IP terms"), max_length=16, choices=IpTerms.choices)
    eligibility = models.TextField(_("eligibility"), blank=True)
    metric = models.CharField(_("metric"), max_length=16, choices=METRIC_CHOICES, blank=True)
    #: a scored challenge may show its live leaderboard to everyone (Kaggle style); off, only
    #: the judges see it before the close and each solver sees their own rows.
    leaderboard_public = models.BooleanField(_("public live leaderboard"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    awarded_at = models.DateTimeField(null=True, blank=True)
    #: when the "closed" notice went out; the state never depends on it (it comes from closes_at).
    close_noticed_at = models.DateTimeField(null=True, blank=True)

    #: the people watching it (one `activity.Watch` table for every watchable model).
    watches = GenericRelation("activity.Watch", related_query_name="challenge")

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")), name="challenge_closes_after_opening"
            ),
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"), name="challenge_currency_code"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in Kind]), name="challenge_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(ip_terms__in=[t.value for t in IpTerms]), name="challenge_ip_known"
            ),
            models.CheckConstraint(
                condition=~Q(kind="scored") | ~Q(metric=""), name="challenge_scored_has_metric"
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(awarded_at__isnull=True),
                name="challenge_not_withdrawn_and_awarded",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_scored(self) -> bool:
        return self.kind == Kind.SCORED

    def state_at(self, now: datetime | None = None) -> str:
        now = now or timezone.now()
        if self.withdrawn_at is not None:
            return State.WITHDRAWN
        if self.awarded_at is not None:
            return State.JUDGED
        if now < self.opens_at:
            return State.UPCOMING
        if now < self.closes_at:
            return State.OPEN
        # A scored challenge is judged by its metric: the close reveals the private ranking.
        return State.JUDGED if self.is_scored else State.JUDGING

    @property
    def state(self) -> str:
        return self.state_at()

    @property
    def is_open(self) -> bool:
        return self.state == State.OPEN

    @property
    def is_judged(self) -> bool:
        """From here on submissions are unsealed (docs/challenges.md, "Sealing")."""
        return self.state == State.JUDGED


class Criterion(models.Model):
    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(max_length=100)
    weight = models.PositiveSmallIntegerField()
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["challenge", "name"], name="criterion_unique_name"),
            models.CheckConstraint(condition=Q(weight__gte=1), name="criterion_weight_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.weight})"


class Judge(models.Model):
    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="judges")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="challenges_judged"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["challenge", "user"], name="judge_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} judges {self.challenge_id}"


class Truth(models.Model):
    """The hidden ground truth of a scored challenge: seen by the seeker only."""

    challenge = models.OneToOneField(Challenge, on_delete=models.CASCADE, related_name="truth")
    data = models.BinaryField()
    id_column = models.CharField(max_length=200)
    target_column = models.CharField(max_length=200)
    row_count = models.PositiveIntegerField()
    #: seeds the public/private split; never shown, so nobody can tell which rows are public.
    seed = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"truth of {self.challenge_id}"


class Entrant(models.Model):
    """One row per (challenge, solver): the lock that keeps daily caps exact."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="entrants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="challenge_entries"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["challenge", "user"], name="entrant_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.challenge_id}"


class Submission(models.Model):
    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="submissions")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="challenge_submissions"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)
    #: the UTC day of submitted_at, which the daily cap counts.
    day = models.DateField()
    file_name = models.CharField(max_length=200, blank=True)
    file_data = models.BinaryField(null=True, blank=True)
    public_score = models.FloatField(null=True, blank=True)
    private_score = models.FloatField(null=True, blank=True)
    is_final = models.BooleanField(default=False)

    class Meta:
        ordering = ["submitted_at", "id"]
        indexes = [
            models.Index(fields=["challenge", "submitted_by", "day"], name="submission_day_idx")
        ]

    def __str__(self) -> str:
        return self.title


class SubmissionMember(models.Model):
    """A member of a submission's team; invited members count once they accept."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="challenge_teams"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "user"], name="submission_member_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.submission_id}"


class Score(models.Model):
    """One judge's score (0–10) of one submission on one criterion."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="scores")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.PositiveSmallIntegerField()
    scored_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "judge", "criterion"], name="score_once_per_criterion"
            ),
            models.CheckConstraint(condition=Q(value__lte=10), name="score_at_most_ten"),
        ]

    def __str__(self) -> str:
        return f"{self.judge_id}: {self.value}"


class Award(models.Model):
    """The prize of one place, given to one submission."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="awards")
    place = models.PositiveSmallIntegerField()
    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="awards")
    amount = models.PositiveBigIntegerField()

    class Meta:
        ordering = ["place"]
        constraints = [
            models.UniqueConstraint(fields=["challenge", "place"], name="award_one_per_place"),
            models.UniqueConstraint(
                fields=["challenge", "submission"], name="award_one_per_submission"
            ),
            models.CheckConstraint(condition=Q(place__gte=1), name="award_place_positive"),
        ]

    def __str__(self) -> str:
        return f"place {self.place}: {self.amount}"


class AwardShare(models.Model):
    """One team member's share of an award, in minor units."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="shares")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    amount = models.PositiveBigIntegerField()

    class Meta:
        ordering = ["award", "id"]
        constraints = [
            models.UniqueConstraint(fields=["award", "user"], name="award_share_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.amount}"
