"""The `limits` section of a space's policy: the space's own rate limits (docs/moderation.md).

Each number is how many a person may do per minute in this space; 0 keeps the site's figure
(settings.PEERWORK_RATE_LIMITS, MediaWiki's by default). `exempt` says who is never limited
here: stewards (and bot accounts, like MediaWiki's `noratelimit` right), or all members too.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from django.utils.translation import gettext_lazy
from pydantic import BaseModel, ConfigDict, StrictInt

from peerwork.spaces.space_policy import Text, setting

EXEMPT: tuple[tuple[str, Text], ...] = (
    ("steward", gettext_lazy("Stewards and bot accounts")),
    ("member", gettext_lazy("Members, stewards and bot accounts")),
)

#: (kind, bucket) -> the label of its setting.
LABELS: dict[tuple[str, str], Text] = {
    ("edit", "newbie"): gettext_lazy("Edits per minute by a new account"),
    ("edit", "user"): gettext_lazy("Edits per minute by an established account"),
    ("edit", "ip"): gettext_lazy("Edits per minute from one address (new accounts)"),
    ("comment", "newbie"): gettext_lazy("Comments per minute by a new account"),
    ("comment", "user"): gettext_lazy("Comments per minute by an established account"),
    ("comment", "ip"): gettext_lazy("Comments per minute from one address (new accounts)"),
    ("support", "newbie"): gettext_lazy("Supports per minute by a new account"),
    ("support", "user"): gettext_lazy("Supports per minute by an established account"),
    ("support", "ip"): gettext_lazy("Supports per minute from one address (new accounts)"),
}


def _per_minute(label: Text) -> Any:
    return setting(
        0,
        ge=0,
        le=100000,
        title=label,
        help=gettext_lazy("0 keeps the site's limit. A new account is one not yet autoconfirmed."),
    )


def field_name(kind: str, bucket: str) -> str:
    return f"{kind}_{bucket}_per_minute"


class LimitsPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid")
    section_title: ClassVar[Text] = gettext_lazy("Rate limits")
    section_help: ClassVar[Text] = gettext_lazy(
        "How fast one person, or one address, may edit, comment and support here."
    )

    exempt: Literal["steward", "member"] = setting(
        "steward",
        title=gettext_lazy("Never limited"),
        help=gettext_lazy("Who may act as fast as they like in this space."),
        choices=EXEMPT,
    )
    edit_newbie_per_minute: StrictInt = _per_minute(LABELS["edit", "newbie"])
    edit_user_per_minute: StrictInt = _per_minute(LABELS["edit", "user"])
    edit_ip_per_minute: StrictInt = _per_minute(LABELS["edit", "ip"])
    comment_newbie_per_minute: StrictInt = _per_minute(LABELS["comment", "newbie"])
    comment_user_per_minute: StrictInt = _per_minute(LABELS["comment", "user"])
    comment_ip_per_minute: StrictInt = _per_minute(LABELS["comment", "ip"])
    support_newbie_per_minute: StrictInt = _per_minute(LABELS["support", "newbie"])
    support_user_per_minute: StrictInt = _per_minute(LABELS["support", "user"])
    support_ip_per_minute: StrictInt = _per_minute(LABELS["support", "ip"])
