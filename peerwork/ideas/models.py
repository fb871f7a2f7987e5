"""Ideas (co-creation): proposals anyone may make, supported by the community through
milestones, reviewed against published criteria, and credited to their co-creators."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Status(models.TextChoices):
    """An idea's status. Its labels carry the context "idea status": languages that agree
    adjectives with their noun translate them for an idea, not for a request or an invitation."""

    DRAFT = "draft", pgettext_lazy("idea status", "draft")
    OPEN = "open", pgettext_lazy("idea status", "open for support")
    IN_REVIEW = "in_review", pgettext_lazy("idea status", "in review")
    ACCEPTED = "accepted", pgettext_lazy("idea status", "accepted")
    REJECTED = "rejected", pgettext_lazy("idea status", "rejected")
    EXPIRED = "expired", pgettext_lazy("idea status", "expired")
    MERGED = "merged", pgettext_lazy("idea status", "merged")
    DONE = "done", pgettext_lazy("idea status", "done")


#: Statuses in which an idea gathers support.
SUPPORTABLE = {Status.OPEN}
#: Statuses from which nothing more happens, except a steward's undo of a merge.
CLOSED = {Status.ACCEPTED, Status.REJECTED, Status.EXPIRED, Status.MERGED, Status.DONE}


class Idea(models.Model):
    space = models.ForeignKey("spaces.Space", on_delete=models.CASCADE, related_name="ideas")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=50_000, blank=True)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    published_at = models.DateTimeField(null=True, blank=True)
    #: The milestones this idea runs through, copied from the space's policy when it is
    #: published, so a later policy change never moves a running idea's goal posts.
    milestones = models.JSONField(default=list, blank=True)
    #: Index of the next milestone to reach (== len(milestones) once all are reached).
    stage = models.PositiveSmallIntegerField(default=0)
    #: Supporters the next milestone needs (null once all are reached), for sorting lists.
    next_goal = models.PositiveIntegerField(null=True, blank=True)
    #: When the current stage began: publication, or the moment the previous one was reached.
    stage_started_at = models.DateTimeField(null=True, blank=True)
    #: When the next milestone must be reached; null outside the open status.
    deadline_at = models.DateTimeField(null=True, blank=True)
    #: Cache of the number of Support rows, changed in the same transaction as they are.
    support_count = models.PositiveIntegerField(default=0)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_reason = models.TextField(blank=True, max_length=10_000)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_ideas"
    )

    #: the people watching it (one `activity.Watch` table for every watchable model).
    watches = GenericRelation("activity.Watch", related_query_name="idea")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[choice.value for choice in Status]),
                name="ideas_idea_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="merged", merged_into__isnull=False)
                | (~Q(status="merged") & Q(merged_into__isnull=True)),
                name="ideas_idea_merged_names_target",
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("pk")), name="ideas_idea_not_merged_into_itself"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="ideas_idea_published_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["space", "status", "-id"], name="ideas_idea_list_idx"),
            models.Index(fields=["status", "deadline_at"], name="ideas_idea_deadline_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class Creator(models.Model):
    """A creator of an idea: its author, an invited co-creator, or one credited by a merge."""

    class State(models.TextChoices):
        """Where a co-creator stands: labels in the context "co-creator state" (a person)."""

        INVITED = "invited", pgettext_lazy("co-creator state", "invited")
        ACCEPTED = "accepted", pgettext_lazy("co-creator state", "accepted")
        DECLINED = "declined", pgettext_lazy("co-creator state", "declined")

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="creators")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    #: Agreed weight of this creator in the revenue share (the split is share / sum of shares).
    share = models.PositiveIntegerField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.INVITED)
    #: Set when the creator came with a merged idea, so undoing the merge takes them off.
    via_merge = models.ForeignKey(
        "Merge", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["idea", "user"], name="ideas_creator_once"),
            models.CheckConstraint(condition=Q(share__gte=1), name="ideas_creator_share_positive"),
            models.CheckConstraint(
                condition=Q(state__in=["invited", "accepted", "declined"]),
                name="ideas_creator_state_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.idea_id} ({self.state})"


class Support(models.Model):
    """One person's support of one idea: a unique row, the count is the number of rows."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()
    #: Set when the support came over from a merged duplicate.
    via_merge = models.ForeignKey(
        "Merge", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["idea", "user"], name="ideas_support_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} supports {self.idea_id}"


class MilestoneReached(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="milestones_reached")
    stage = models.PositiveSmallIntegerField()
    supporters = models.PositiveIntegerField()
    reached_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["idea", "stage"], name="ideas_milestone_once"),
        ]

    def __str__(self) -> str:
        return f"{self.idea_id} reached stage {self.stage}"


class DuplicateFlag(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="duplicate_flags")
    duplicate_of = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="+")
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(max_length=2000, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["idea", "duplicate_of", "flagged_by"], name="ideas_flag_once"
            ),
            models.CheckConstraint(
                condition=~Q(idea=models.F("duplicate_of")), name="ideas_flag_not_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.idea_id} duplicates {self.duplicate_of_id}"


class Merge(models.Model):
    """A duplicate merged into another idea; kept so that the merge can be undone."""

    source = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="merges_out")
    target = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="merges_in")
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(max_length=2000, blank=True)
    source_status = models.CharField(max_length=10, choices=Status.choices)
    #: Supports of the target by the source's creators, which the merge removed (creators
    #: never support their own idea): [[user_id, "created_at"], ...], restored on undo.
    dropped_supports = models.JSONField(default=list, blank=True)
    merged_at = models.DateTimeField()
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(source=models.F("target")), name="ideas_merge_not_itself"
            ),
            models.UniqueConstraint(
                fields=["source"],
                condition=Q(undone_at__isnull=True),
                name="ideas_merge_one_standing_per_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_id} into {self.target_id}"


class RevenueShare(models.Model):
    """What an accepted idea's creators are owed: basis points of net revenue, in integers
    that add up exactly to the space's policy; the ledger pays them out later."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="revenue_shares")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    basis_points = models.PositiveIntegerField()
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["idea", "user"], name="ideas_revenue_share_once"),
            models.CheckConstraint(
                condition=Q(basis_points__lte=10000), name="ideas_revenue_share_at_most_all"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.basis_points} bp of {self.idea_id}"
