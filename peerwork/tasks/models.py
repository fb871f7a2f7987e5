"""Tasks (self-assigned work): a piece of work in a space that people claim, deliver and have
reviewed by a peer before it is done, with an optional bounty paid from the space's treasury.

The state of a task is a stored column changed only by the actions (docs/tasks.md); claims,
deliveries and reviews are rows, and reviews are never changed once written.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Mode(models.TextChoices):
    """How many may work on a task at once, as Gitcoin's bounties do."""

    SINGLE = "single", _("single (one claimant at a time)")
    COOPERATIVE = "cooperative", _("cooperative (a team shares the bounty)")
    CONTEST = "contest", _("contest (several deliver, one is picked)")


class State(models.TextChoices):
    """A task's state; labels carry the context "task state" (Spanish agrees them with "tarea")."""

    OPEN = "open", pgettext_lazy("task state", "open")
    CLAIMED = "claimed", pgettext_lazy("task state", "claimed")
    IN_REVIEW = "in_review", pgettext_lazy("task state", "in review")
    CHANGES_REQUESTED = "changes_requested", pgettext_lazy("task state", "changes requested")
    DONE = "done", pgettext_lazy("task state", "done")
    CANCELLED = "cancelled", pgettext_lazy("task state", "cancelled")


#: States in which the task is still being worked on (claims count toward the limits).
ACTIVE_STATES = (State.OPEN, State.CLAIMED, State.IN_REVIEW, State.CHANGES_REQUESTED)


class Task(models.Model):
    space = models.ForeignKey("spaces.Space", on_delete=models.PROTECT, related_name="tasks")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="tasks_created"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    #: short labels of the skills the work needs ("cartography"), lower case.
    skills = models.JSONField(_("skills wanted"), default=list, blank=True)
    labels = models.JSONField(_("labels"), default=list, blank=True)
    #: a language code of settings.LANGUAGES, or "" for any.
    language = models.CharField(_("language"), max_length=16, blank=True)
    estimate_hours = models.PositiveIntegerField(_("estimate (hours)"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    mode = models.CharField(_("mode"), max_length=16, choices=Mode.choices, default=Mode.SINGLE)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.OPEN)
    #: the bounty in minor units of `currency`; 0 for none.
    bounty = models.PositiveBigIntegerField(_("bounty (minor units)"), default=0)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    depends_on = models.ManyToManyField(
        "self", symmetrical=False, through="Dependency", related_name="blocks", blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    watches = GenericRelation("activity.Watch", related_query_name="task")

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=[s.value for s in State]), name="task_state_known"
            ),
            models.CheckConstraint(
                condition=Q(mode__in=[m.value for m in Mode]), name="task_mode_known"
            ),
            models.CheckConstraint(
                condition=Q(bounty=0) | Q(currency__regex=r"^[A-Z]{3}$"),
                name="task_bounty_has_currency",
            ),
            models.CheckConstraint(
                condition=Q(done_at__isnull=True) | Q(state="done"), name="task_done_at_when_done"
            ),
            models.CheckConstraint(
                condition=Q(cancelled_at__isnull=True) | Q(state="cancelled"),
                name="task_cancelled_at_when_cancelled",
            ),
        ]
        indexes = [models.Index(fields=["space", "state"], name="task_space_state_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def has_bounty(self) -> bool:
        return self.bounty > 0

    @property
    def is_closed(self) -> bool:
        return self.state in {State.DONE, State.CANCELLED}


class Dependency(models.Model):
    """`task` cannot be claimed until `depends_on` is done; both in the same space, no cycles."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="dependency_rows")
    depends_on = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="dependent_rows")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["task", "depends_on"], name="dependency_once"),
            models.CheckConstraint(
                condition=~Q(task=F("depends_on")), name="dependency_not_on_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task_id} after {self.depends_on_id}"


class ClaimStatus(models.TextChoices):
    REQUESTED = "requested", pgettext_lazy("claim status", "requested")
    ACTIVE = "active", pgettext_lazy("claim status", "active")
    RELEASED = "released", pgettext_lazy("claim status", "released")
    EXPIRED = "expired", pgettext_lazy("claim status", "expired")
    DECLINED = "declined", pgettext_lazy("claim status", "declined")


#: A claim that holds (or asks for) a place on the task.
LIVE_CLAIMS = (ClaimStatus.REQUESTED, ClaimStatus.ACTIVE)


class Claim(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="claims")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="task_claims"
    )
    status = models.CharField(max_length=16, choices=ClaimStatus.choices)
    #: the claimant's weight in a cooperative task's bounty split (1 elsewhere).
    share = models.PositiveIntegerField(default=1)
    #: a copy of the task's mode, so the database can hold "one active claim per single task".
    is_single = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    #: the last delivery or comment by the claimant; the claim expires claim_days after it.
    last_activity_at = models.DateTimeField(default=timezone.now)
    warned_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["task"],
                condition=Q(status="active", is_single=True),
                name="claim_one_active_per_single_task",
            ),
            models.UniqueConstraint(
                fields=["task", "user"],
                condition=Q(status__in=["requested", "active"]),
                name="claim_one_live_per_person",
            ),
            models.CheckConstraint(
                condition=Q(share__gte=1) & Q(share__lte=100), name="claim_share_range"
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in ClaimStatus]), name="claim_status_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.task_id} ({self.status})"


class Delivery(models.Model):
    """What a claimant hands in for review; kept as handed in (a new delivery replaces none)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="deliveries")
    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="deliveries")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="task_deliveries"
    )
    text = models.TextField(_("what you did"))
    links = models.JSONField(_("links"), default=list, blank=True)
    revision = models.ForeignKey(
        "wiki.Revision", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    is_winner = models.BooleanField(default=False)
    #: a contest's losing delivery its author released to the commons (shown publicly).
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["task"], condition=Q(is_winner=True), name="delivery_one_winner"
            ),
        ]

    def __str__(self) -> str:
        return f"delivery {self.pk} of {self.task_id}"


class Decision(models.TextChoices):
    APPROVED = "approved", _("approve")
    CHANGES_REQUESTED = "changes_requested", _("request changes")


class Review(models.Model):
    """A peer's decision on a delivery, with the reason; immutable (merit counts them)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reviews")
    delivery = models.ForeignKey(Delivery, on_delete=models.PROTECT, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="task_reviews"
    )
    decision = models.CharField(max_length=20, choices=Decision.choices)
    reason = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["task"], condition=Q(decision="approved"), name="review_one_approval"
            ),
            models.CheckConstraint(
                condition=Q(decision__in=[d.value for d in Decision]), name="review_decision_known"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="review_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.decision} by {self.reviewer_id}"
