"""Moderation: a steward's filters and their hit log, the moderation queue and the reports
that feed it, and the spam classifier's learned numbers.

The queue holds one open item per thing (a comment, or a person) per space: repeated reports
of one thing, and the hold a screen put on it, are grouped on that item.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

#: What a filter may do to a contribution it matches (core/screening.py's actions).
FILTER_ACTIONS = (
    ("warn", _("Warn (the person may confirm)")),
    ("tag", _("Tag")),
    ("hold", _("Hold for review")),
    ("refuse", _("Refuse")),
    ("block", _("Refuse and block for a time")),
)
#: The kinds of contribution a filter may look at.
FILTER_KINDS = (
    ("discussions.comment", _("Comments")),
    ("wiki.edit", _("Wiki edits")),
    ("ideas.idea", _("Ideas")),
)
#: The longest pattern a filter may hold (see patterns.py).
MAX_PATTERN_CHARS = 200


class Filter(models.Model):
    """A steward's rule (MediaWiki's AbuseFilter): conditions on a contribution, all or any of
    them, and the action taken when they hold. A condition left empty is not asked."""

    space = models.ForeignKey("spaces.Space", on_delete=models.CASCADE, related_name="filters")
    name = models.CharField(max_length=120)
    description = models.CharField(max_length=500, blank=True)
    is_enabled = models.BooleanField(default=False)
    #: "all": every condition set must hold; "any": one is enough.
    match = models.CharField(max_length=3, default="all")
    #: Kinds of contribution looked at ("" : every kind), comma-separated.
    kinds = models.CharField(max_length=200, blank=True)
    #: Regular expressions (case-insensitive), checked by patterns.py before they are saved.
    added_pattern = models.CharField(max_length=MAX_PATTERN_CHARS, blank=True)
    title_pattern = models.CharField(max_length=MAX_PATTERN_CHARS, blank=True)
    summary_pattern = models.CharField(max_length=MAX_PATTERN_CHARS, blank=True)
    #: The account is younger than this many days.
    account_age_below_days = models.PositiveIntegerField(null=True, blank=True)
    #: The person has made fewer than this many contributions in the space.
    edit_count_below = models.PositiveIntegerField(null=True, blank=True)
    action = models.CharField(max_length=10, choices=FILTER_ACTIONS, default="tag")
    #: For "block": how long the block lasts.
    block_hours = models.PositiveIntegerField(null=True, blank=True)
    #: What the person reads when the filter stops them (or why their words wait).
    message = models.CharField(max_length=500, blank=True)
    tag = models.CharField(max_length=60, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(match__in=["all", "any"]), name="moderation_filter_match_known"
            ),
            models.CheckConstraint(
                condition=~Q(action="block") | Q(block_hours__gt=0),
                name="moderation_filter_block_has_hours",
            ),
        ]
        indexes = [models.Index(fields=["space", "is_enabled"], name="moderation_filter_idx")]

    def __str__(self) -> str:
        return f"filter {self.pk} ({self.name})"

    @property
    def kind_list(self) -> list[str]:
        return [kind for kind in self.kinds.split(",") if kind]


class FilterHit(models.Model):
    """One time a filter matched: who, what, when and what it did (the hit log)."""

    filter = models.ForeignKey(Filter, on_delete=models.CASCADE, related_name="hits")
    space = models.ForeignKey("spaces.Space", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kind = models.CharField(max_length=40)
    action = models.CharField(max_length=10)
    #: The start of the text the filter saw (stewards read it in the hit log).
    excerpt = models.CharField(max_length=300, blank=True)
    title = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["filter", "-created_at"], name="moderation_hit_filter_idx"),
            models.Index(fields=["space", "-id"], name="moderation_hit_space_idx"),
        ]

    def __str__(self) -> str:
        return f"hit {self.pk} of filter {self.filter_id}"


REPORT_REASONS = (
    ("spam", _("Spam or advertising")),
    ("abuse", _("Harassment or abuse")),
    ("off_topic", _("Off topic")),
    ("illegal", _("Illegal content")),
    ("other", _("Something else")),
)

QUEUE_STATUSES = (
    ("open", _("Waiting for a moderator")),
    ("dismissed", _("Dismissed: nothing to do")),
    ("released", _("Released: published")),
    ("removed", _("Content removed")),
    ("warned", _("Person warned")),
    ("blocked", _("Person blocked")),
)


class QueueItem(models.Model):
    """One thing waiting for a moderator in a space: a comment (reported, or held by a filter
    or the classifier) or a person (reported). Decided once; a new report after a decision
    opens a new item."""

    space = models.ForeignKey(
        "spaces.Space", on_delete=models.CASCADE, related_name="moderation_items"
    )
    comment = models.ForeignKey(
        "discussions.Comment", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    #: A screen held the comment (it is hidden until released or removed).
    is_held = models.BooleanField(default=False)
    #: Why a screen held it: the findings as plain data (screen, reason, score...).
    hold_reasons = models.JSONField(default=list, blank=True)
    report_count = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=QUEUE_STATUSES, default="open")
    #: The moderator judged the comment spam: the classifier learns from it.
    is_spam = models.BooleanField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["space", "comment"],
                condition=Q(status="open", comment__isnull=False),
                name="moderation_item_one_open_per_comment",
            ),
            models.UniqueConstraint(
                fields=["space", "person"],
                condition=Q(status="open", comment__isnull=True),
                name="moderation_item_one_open_per_person",
            ),
            models.CheckConstraint(
                condition=Q(status="open", decided_at__isnull=True)
                | (~Q(status="open") & Q(decided_at__isnull=False)),
                name="moderation_item_decision_complete",
            ),
        ]
        indexes = [models.Index(fields=["space", "status", "-id"], name="moderation_queue_idx")]

    def __str__(self) -> str:
        return f"queue item {self.pk} in {self.space_id}"


class Report(models.Model):
    """A person's report of a comment or a person; grouped on the item it joined."""

    item = models.ForeignKey(QueueItem, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(max_length=20, choices=REPORT_REASONS)
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["item", "reporter"], name="moderation_report_once_per_item"
            ),
        ]
        indexes = [models.Index(fields=["reporter", "-id"], name="moderation_report_mine_idx")]

    def __str__(self) -> str:
        return f"report {self.pk} on item {self.item_id}"


class SpamModel(models.Model):
    """The spam classifier's learned numbers for a space (None: the site-wide fallback, one row
    written under a lock by the training job): multinomial naive Bayes' log probabilities per
    word, as plain JSON (never a pickle)."""

    space = models.OneToOneField(
        "spaces.Space", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    decisions = models.PositiveIntegerField()
    #: {"vocabulary": [...], "spam": [log p(word|spam)...], "ham": [...], "prior": [ham, spam]}
    weights = models.JSONField()
    trained_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"spam model of {self.space_id or 'the site'}"
