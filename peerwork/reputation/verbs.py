"""Event verbs of reputation, registered with the one registry from ReputationConfig.ready()."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from peerwork.activity.verbs import register

register("reputation:reversed", _("reversed reputation from serial or ring supports"))
register("reputation:granted", _("changed a person's privileges"))


def _describe() -> None:
    """What the data of these verbs says to a reader (peerwork/activity/sentences.py)."""
    from peerwork.activity.sentences import Field, describe

    describe(
        "reputation:reversed",
        reason=Field(_("reason")),
        people=Field(_("people"), "people"),
    )
    describe(
        "reputation:granted",
        privilege=Field(_("privilege")),
        allowed=Field(_("granted"), "yesno"),
        level=Field(_("trust level"), "count"),
        reason=Field(_("reason"), "quote"),
    )


_describe()
