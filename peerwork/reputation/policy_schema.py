"""The `reputation` section of a space's policy (docs/reputation.md, docs/space-policy.md)."""

from __future__ import annotations

from typing import ClassVar

from django.utils.translation import gettext, gettext_lazy
from pydantic import BaseModel, ConfigDict, StrictInt, model_validator

from peerwork.spaces.space_policy import Text, setting


def _points(default: int, title: Text, help: Text, *, low: int = 0) -> int:
    return setting(default, ge=low, le=10000, title=title, help=help)  # type: ignore[no-any-return]


class ReputationPoints(BaseModel):
    model_config = ConfigDict(extra="forbid")

    edit_survived: StrictInt = _points(
        2,
        gettext_lazy("An edit that stays"),
        gettext_lazy("For an edit patrolled, or not reverted within the days below."),
    )
    edit_survival_days: StrictInt = setting(
        3,
        ge=0,
        le=365,
        unit="days",
        title=gettext_lazy("An edit stays after"),
        help=gettext_lazy("How long an edit must go without being undone or rolled back."),
    )
    edit_reverted: StrictInt = _points(
        5,
        gettext_lazy("An edit rolled back or undone (taken away)"),
        gettext_lazy("Taken from the person whose edit someone else rolled back or undid."),
    )
    idea_supported: StrictInt = _points(
        1,
        gettext_lazy("A support of an idea"),
        gettext_lazy("To the idea's author, for each person who supports it."),
    )
    idea_milestone: StrictInt = _points(
        10,
        gettext_lazy("An idea reaching a milestone"),
        gettext_lazy("To the idea's author, at each support milestone."),
    )
    review_given: StrictInt = _points(
        1,
        gettext_lazy("A review given"),
        gettext_lazy("Patrolling someone's edit, reviewing an idea or a task's delivery."),
    )
    task_approved: StrictInt = _points(
        10,
        gettext_lazy("A task's delivery approved"),
        gettext_lazy("To the person who delivered it; not limited by the daily cap."),
    )
    challenge_award: StrictInt = _points(
        20,
        gettext_lazy("A challenge prize won"),
        gettext_lazy("To each winner of a place; not limited by the daily cap."),
    )
    proposal_passed: StrictInt = _points(
        10,
        gettext_lazy("A proposal passed"),
        gettext_lazy("To the person who opened it."),
    )
    daily_cap: StrictInt = setting(
        200,
        ge=1,
        le=100000,
        title=gettext_lazy("Daily cap"),
        help=gettext_lazy(
            "The most a person gains in one day, beyond approved tasks and challenge prizes."
        ),
    )


class PrivilegeThresholds(BaseModel):
    """The points that unlock each privilege (a steward holds all; roles grant as before)."""

    model_config = ConfigDict(extra="forbid")

    autopatrol: StrictInt = _points(
        50,
        gettext_lazy("Edits need no patrol"),
        gettext_lazy("Points after which a person's edits are marked patrolled."),
    )
    patrol: StrictInt = _points(
        100,
        gettext_lazy("Patrol others' edits"),
        gettext_lazy("Points to mark other people's edits patrolled."),
    )
    rollback: StrictInt = _points(
        250,
        gettext_lazy("Roll back"),
        gettext_lazy("Points to revert a person's last edits in one click."),
    )
    edit_protected: StrictInt = _points(
        500,
        gettext_lazy("Edit members-only pages"),
        gettext_lazy("Points to edit pages protected for members."),
    )
    post_challenges: StrictInt = _points(
        100,
        gettext_lazy("Post challenges"),
        gettext_lazy("Points to post a challenge when the policy asks for more than a role."),
    )
    review_ideas: StrictInt = _points(
        200,
        gettext_lazy("Review ideas"),
        gettext_lazy("Points to review ideas that reached the last milestone."),
    )
    review_tasks: StrictInt = _points(
        150,
        gettext_lazy("Review task deliveries"),
        gettext_lazy("Points to approve or send back others' deliveries."),
    )
    moderate_discussions: StrictInt = _points(
        500,
        gettext_lazy("Moderate discussions"),
        gettext_lazy("Points to remove other people's comments."),
    )


class TrustLevels(BaseModel):
    """Discourse's trust levels: points earned in a rolling window, with hysteresis."""

    model_config = ConfigDict(extra="forbid")

    window_days: StrictInt = setting(
        100,
        ge=1,
        le=3650,
        unit="days",
        title=gettext_lazy("Trust is counted over the last"),
        help=gettext_lazy("Only points earned in this many days count toward a trust level."),
    )
    basic: StrictInt = _points(
        10,
        gettext_lazy("Points for level 1 (basic)"),
        gettext_lazy("Earned in the window; a person drops back below 90% of it."),
        low=1,
    )
    member: StrictInt = _points(
        50,
        gettext_lazy("Points for level 2 (member)"),
        gettext_lazy("Earned in the window; a person drops back below 90% of it."),
        low=1,
    )
    regular: StrictInt = _points(
        200,
        gettext_lazy("Points for level 3 (regular)"),
        gettext_lazy("Earned in the window; a person drops back below 90% of it."),
        low=1,
    )
    decay_days: StrictInt = setting(
        180,
        ge=0,
        le=3650,
        unit="days",
        title=gettext_lazy("Inactive people lose a level every"),
        help=gettext_lazy("Days without earning a point before a level is lost; 0 never."),
    )

    @model_validator(mode="after")
    def _growing(self) -> TrustLevels:
        if not self.basic <= self.member <= self.regular:
            raise ValueError(
                gettext("Each trust level needs at least the points of the level below it.")
            )
        return self


class Detection(BaseModel):
    """When supports look like serial voting or a ring, and their points are reversed."""

    model_config = ConfigDict(extra="forbid")

    serial_supports: StrictInt = setting(
        5,
        ge=2,
        le=1000,
        title=gettext_lazy("Serial supports"),
        help=gettext_lazy("Supports by one person of one author's ideas that count as serial."),
    )
    serial_hours: StrictInt = setting(
        24,
        ge=1,
        le=720,
        unit="hours",
        title=gettext_lazy("Serial supports within"),
        help=gettext_lazy("The time those supports fall within."),
    )
    ring_supports: StrictInt = setting(
        2,
        ge=1,
        le=1000,
        title=gettext_lazy("Ring supports"),
        help=gettext_lazy(
            "Supports each way between two or three people that make a ring within the window."
        ),
    )
    ring_days: StrictInt = setting(
        30,
        ge=1,
        le=365,
        unit="days",
        title=gettext_lazy("Rings are looked for within"),
        help=gettext_lazy("How far back supports are compared to find rings."),
    )


class ReputationPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid")
    section_title: ClassVar[Text] = gettext_lazy("Reputation")
    section_help: ClassVar[Text] = gettext_lazy(
        "Points earned from work others accepted, and the privileges they unlock."
    )

    points: ReputationPoints = setting(
        default_factory=ReputationPoints,
        title=gettext_lazy("Points"),
        help=gettext_lazy("What each accepted contribution earns."),
    )
    thresholds: PrivilegeThresholds = setting(
        default_factory=PrivilegeThresholds,
        title=gettext_lazy("Privileges"),
        help=gettext_lazy("The points that unlock each privilege."),
    )
    trust: TrustLevels = setting(
        default_factory=TrustLevels,
        title=gettext_lazy("Trust levels"),
        help=gettext_lazy("Levels earned over a rolling window of days."),
    )
    detection: Detection = setting(
        default_factory=Detection,
        title=gettext_lazy("Serial supports and rings"),
        help=gettext_lazy("When the points of supports are reversed."),
    )


def reputation_policy(space: object) -> ReputationPolicy:
    """The space's reputation section, defaults filled in (old policies lack it)."""
    document = getattr(space, "policy", None) or {}
    return ReputationPolicy.model_validate(document.get("reputation", {}))


def privilege_label(key: str) -> str:
    """A privilege by the name its setting gives it ("Patrol others' edits"), not its key."""
    if key == "level":
        return gettext("Trust level")
    field = PrivilegeThresholds.model_fields.get(key)
    return str(field.title) if field is not None and field.title else key
