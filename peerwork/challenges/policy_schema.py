"""The `challenges` section of a space's policy (docs/space-policy.md)."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from django.utils.translation import gettext_lazy
from pydantic import BaseModel, ConfigDict, StrictInt

from peerwork.spaces.space_policy import WHO_CONTRIBUTES, Text, setting


class ChallengesPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid")
    section_title: ClassVar[Text] = gettext_lazy("Challenges")
    section_help: ClassVar[Text] = gettext_lazy("Who posts challenges and how solvers submit.")

    post_privilege: Literal["contributor", "member", "steward"] = setting(
        "member",
        choices=WHO_CONTRIBUTES,
        title=gettext_lazy("Who may post a challenge"),
        help=gettext_lazy("A challenge asks solvers for answers, often with a prize."),
    )
    daily_submissions: StrictInt = setting(
        5,
        ge=1,
        le=1000,
        title=gettext_lazy("Submissions per day"),
        help=gettext_lazy(
            "How many submissions a solver may make to one challenge per day (UTC); refused "
            "uploads do not count."
        ),
    )
    final_submissions: StrictInt = setting(
        2,
        ge=1,
        le=100,
        title=gettext_lazy("Final submissions"),
        help=gettext_lazy(
            "How many submissions a solver may pick for a scored challenge's final ranking."
        ),
    )
    public_percent: StrictInt = setting(
        30,
        ge=1,
        le=99,
        unit="percent",
        title=gettext_lazy("Share scored on the live leaderboard"),
        help=gettext_lazy("The rest of a scored challenge's answers decide the final ranking."),
    )
    max_upload_bytes: StrictInt = setting(
        2 * 1024 * 1024,
        ge=1024,
        le=50 * 1024 * 1024,
        unit="bytes",
        title=gettext_lazy("Largest upload"),
        help=gettext_lazy("The largest answer, prediction or attached file a solver may send."),
    )


def challenges_policy(space: Any) -> ChallengesPolicy:
    """The space's challenges settings, defaults filled in."""
    return ChallengesPolicy.model_validate((space.policy or {}).get("challenges") or {})
