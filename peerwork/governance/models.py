"""Decisions in public: proposals with a decision method, ballots, delegations and results.

A proposal's state is a stored column changed only by the actions (docs/governance.md). A
result is written once, at the close, with the whole tally, and never changed: anyone can
recompute it from the ballots in the space's dump.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class State(models.TextChoices):
    """Labels carry the context "proposal state" (Spanish agrees them with "propuesta")."""

    OPEN = "open", pgettext_lazy("proposal state", "open")
    CLOSED = "closed", pgettext_lazy("proposal state", "closed")
    CANCELLED = "cancelled", pgettext_lazy("proposal state", "cancelled")


class Eligibility(models.TextChoices):
    MEMBER = "member", _("members and stewards")
    STEWARD = "steward", _("stewards")


class Execution(models.TextChoices):
    """What happened to the changes a proposal carries once it passed."""

    NONE = "", _("nothing to apply")
    WAITING = "waiting", _("waiting for the timelock")
    APPLIED = "applied", _("applied")
    FAILED = "failed", _("could not be applied")
    NOT_PASSED = "not_passed", _("not applied: the proposal did not pass")


class Proposal(models.Model):
    space = models.ForeignKey("spaces.Space", on_delete=models.PROTECT, related_name="proposals")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="proposals_created"
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("proposal"), blank=True)
    #: a name of peerwork.governance.methods.METHOD_NAMES.
    method = models.CharField(_("decision method"), max_length=20)
    #: the method's settings, cleaned by the method (seats, dots, credits, ranked rules...).
    settings = models.JSONField(_("method settings"), default=dict, blank=True)
    #: topics, lower case: a delegation scoped to a topic applies to proposals tagged with it.
    tags = models.JSONField(_("topics"), default=list, blank=True)
    opens_at = models.DateTimeField(_("opens"), default=timezone.now)
    closes_at = models.DateTimeField(_("closes"))
    #: the share (percent) of eligible voters whose votes must be counted for a valid result.
    quorum_percent = models.PositiveSmallIntegerField(_("quorum (percent)"), default=0)
    eligibility = models.CharField(
        _("who may vote"), max_length=16, choices=Eligibility.choices, default=Eligibility.MEMBER
    )
    secret = models.BooleanField(_("secret ballots"), default=False)
    #: True: the tally is shown while voting goes on (public ballots only).
    live_results = models.BooleanField(_("show results while voting"), default=False)
    state = models.CharField(max_length=16, choices=State.choices, default=State.OPEN)
    #: what the proposal changes if it passes: {"policy": {...}, "tasks": [...], "budget": {...}}
    changes = models.JSONField(_("changes if passed"), default=dict, blank=True)
    execution = models.CharField(
        max_length=16, choices=Execution.choices, default=Execution.NONE, blank=True
    )
    execute_after = models.DateTimeField(null=True, blank=True)
    executed_at = models.DateTimeField(null=True, blank=True)
    execution_log = models.JSONField(default=list, blank=True)
    outcome = models.TextField(_("outcome statement"), blank=True)
    outcome_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    watches = GenericRelation("activity.Watch", related_query_name="proposal")

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=[s.value for s in State]), name="proposal_state_known"
            ),
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")), name="proposal_closes_after_opening"
            ),
            models.CheckConstraint(
                condition=Q(quorum_percent__lte=100), name="proposal_quorum_percent"
            ),
            models.CheckConstraint(
                condition=Q(eligibility__in=[e.value for e in Eligibility]),
                name="proposal_eligibility_known",
            ),
            models.CheckConstraint(
                condition=Q(live_results=False) | Q(secret=False),
                name="proposal_secret_results_hidden",
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | Q(state="closed"),
                name="proposal_closed_at_when_closed",
            ),
        ]
        indexes = [models.Index(fields=["state", "closes_at"], name="proposal_state_closes_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def phase(self) -> str:
        """ "upcoming", "voting", "counting" (closed by time, result not yet written), "closed",
        "cancelled": what a reader is told, from the state and the clock."""
        if self.state != State.OPEN:
            return str(self.state)
        now = timezone.now()
        if now < self.opens_at:
            return "upcoming"
        return "voting" if now < self.closes_at else "counting"


class Option(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="options")
    #: a short stable id used in ballots and the dump ("a", "b", ... unless given).
    key = models.CharField(max_length=40)
    label = models.CharField(_("option"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    #: a budget project's cost, in minor units of the budget's currency.
    cost = models.PositiveBigIntegerField(null=True, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "key"], name="option_key_once"),
        ]

    def __str__(self) -> str:
        return self.label


class Ballot(models.Model):
    """One voter's current ballot; changing it replaces the row's choice (and its receipt)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="ballots")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ballots"
    )
    #: the ballot as the method cleaned it (JSON).
    choice = models.JSONField()
    #: shown only to the voter; published with secret ballots so the voter can find theirs.
    receipt = models.CharField(max_length=32, unique=True)
    #: set at the close: 1 plus the votes delegated to this ballot, and whose they are.
    weight = models.PositiveIntegerField(default=1)
    carries = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "voter"], name="ballot_one_per_voter"),
        ]

    def __str__(self) -> str:
        return f"ballot {self.pk} on {self.proposal_id}"


class Delegation(models.Model):
    """`delegator`'s vote in a space (topic "") or on one topic goes to `delegate`, unless the
    delegator votes directly; revoked rows stay for the record."""

    space = models.ForeignKey("spaces.Space", on_delete=models.CASCADE, related_name="delegations")
    delegator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="delegations_given"
    )
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="delegations_received"
    )
    topic = models.CharField(_("topic"), max_length=50, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["space", "delegator", "topic"],
                condition=Q(revoked_at__isnull=True),
                name="delegation_one_live_per_topic",
            ),
            models.CheckConstraint(
                condition=~Q(delegator=F("delegate")), name="delegation_not_to_oneself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.delegator_id} -> {self.delegate_id} ({self.topic or 'all'})"


class Result(models.Model):
    """The tally written at the close; immutable (the dump lets anyone recompute it)."""

    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="result")
    computed_at = models.DateTimeField(default=timezone.now)
    eligible = models.PositiveIntegerField()
    #: people whose vote counted: direct voters plus the delegators their ballots carried.
    counted = models.PositiveIntegerField()
    ballots = models.PositiveIntegerField()
    quorum_met = models.BooleanField()
    passed = models.BooleanField()
    winners = models.JSONField(default=list)
    #: the method's full tally (rounds for ranked methods), as the method returned it.
    tally = models.JSONField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(counted__gte=F("ballots")), name="result_counted")
        ]

    def __str__(self) -> str:
        return f"result of {self.proposal_id}"


# ---- opinion maps (docs/assist.md, "Opinion maps") ------------------------------------------


class Statement(models.Model):
    """A short statement on a proposal that participants agree or disagree with (Polis)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="statements")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="statements"
    )
    text = models.CharField(_("statement"), max_length=280)
    created_at = models.DateTimeField(default=timezone.now)
    is_hidden = models.BooleanField(default=False)
    hidden_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["proposal", "is_hidden"], name="statement_proposal_idx")]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def space(self) -> Any:
        """The proposal's space: the policy's rules ask for it."""
        return self.proposal.space


class StatementVote(models.Model):
    """One person's current vote on a statement: agree 1, disagree -1, pass 0 (changeable)."""

    AGREE, DISAGREE, PASS = 1, -1, 0

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="votes")
    #: the statement's proposal, kept here so a proposal's matrix is one query.
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="+")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="statement_votes"
    )
    value = models.SmallIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["statement", "voter"], name="statement_vote_once"),
            models.CheckConstraint(condition=Q(value__in=[-1, 0, 1]), name="statement_vote_value"),
        ]
        indexes = [models.Index(fields=["proposal", "voter"], name="statement_vote_voter_idx")]

    def __str__(self) -> str:
        return f"{self.voter_id} on {self.statement_id}: {self.value}"


class OpinionMap(models.Model):
    """The cached map of a proposal: computed by a job after votes, with what it used.

    `changes` counts every vote, statement and hiding; the map is outdated while it is ahead of
    `computed_changes`. The document (peerwork/governance/opinion.py) names participants only
    by their number: the order in which they first voted.
    """

    proposal = models.OneToOneField(Proposal, on_delete=models.CASCADE, related_name="opinion_map")
    changes = models.PositiveIntegerField(default=0)
    computed_changes = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(null=True, blank=True)
    vote_count = models.PositiveIntegerField(default=0)
    #: when a computation was scheduled and has not run yet (the debounce).
    scheduled_at = models.DateTimeField(null=True, blank=True)
    seed = models.PositiveIntegerField(default=0)
    document = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return f"opinion map of {self.proposal_id}"

    @property
    def is_outdated(self) -> bool:
        return self.changes > self.computed_changes
